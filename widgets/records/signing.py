"""Public-key signatures for certificates and records exports (Ed25519, from the `cryptography` package).

Each data folder has its own key pair: the private key in `signing.key` (owner-only, written whole or not at
all), the public key shown by `fmse-course records key`. A data folder trusts its own public key and the public
keys registered with `fmse-course records trust-key` (kept in the records). A certificate or an export counts
as verified only if its signature is right AND made with a trusted key. What this does not prevent: someone who
controls a laptop whose key is trusted can sign anything with it.

`cryptography` is imported only when a key is made, or something signed or checked, so a page's kernel does not
load it until a certificate is made.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..userdata import PRIVATE, data_folder, keep_private, make_folder, put_in_place, temporary_beside
from .errors import RecordsError

KEY_FILE = "signing.key"
PUBLIC_KEY = re.compile(r"^[0-9a-f]{64}$")


def signing_key_path() -> Path:
    return data_folder() / KEY_FILE


def _private_from_hex(text: str, path: Path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        raw = bytes.fromhex(text.strip())
        if len(raw) != 32:
            raise ValueError
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise RecordsError("invalid", detail=f"the signing key {path} is damaged: restore it from a backup, or move "
                                             f"it aside to make a new one (then others must trust the new public "
                                             f"key)") from None


def load_private_key(path: Path | None = None, *, create: bool = True):
    """This data folder's private key (made on first use: 32 random bytes, owner-only, put in place whole)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    path = path or signing_key_path()
    if create and not path.exists():
        try:
            make_folder(path.parent)
            temporary = temporary_beside(path, PRIVATE)
            raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            with temporary.open("w", encoding="ascii") as handle:
                handle.write(raw.hex() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            put_in_place(temporary, path)  # another process that made one first keeps theirs; we read it
        except OSError as exc:
            raise RecordsError("invalid", detail=f"cannot make the signing key {path} "
                                                 f"({exc.strerror or exc})") from None
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise RecordsError("invalid", detail=f"there is no signing key at {path} yet "
                                             f"(`fmse-course records key` makes one)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError("invalid", detail=f"the signing key {path} cannot be read ({exc})") from None
    keep_private(path, PRIVATE)
    return _private_from_hex(text, path)


def public_bytes(private_key) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def own_public_key(*, create: bool = False) -> str | None:
    """This data folder's public key as 64 hex characters, or None if it has none yet (and `create` is False)."""
    path = signing_key_path()
    if not create and not path.exists():
        return None
    return public_bytes(load_private_key(path, create=create)).hex()


def key_id(public_key: str) -> str:
    """A short name for a public key (16 hex characters), as certificates and exports name their signer."""
    return hashlib.sha256(b"fmse-signing-key-id:" + bytes.fromhex(public_key)).hexdigest()[:16]


def shown(public_key: str) -> str:
    """A public key as people compare it: eight groups of eight characters."""
    return " ".join(public_key[i:i + 8] for i in range(0, len(public_key), 8))


def parse_public_key(text: str) -> str | None:
    """A public key as typed or pasted (spaces, dashes, any case), in its stored form, or None."""
    key = re.sub(r"[\s:-]", "", text).lower()
    return key if PUBLIC_KEY.match(key) else None


def sign(data: bytes, private_key=None) -> tuple[str, str]:
    """(public key, signature) for `data`: the signature in base64."""
    private_key = private_key if private_key is not None else load_private_key()
    return public_bytes(private_key).hex(), base64.b64encode(private_key.sign(data)).decode("ascii")


def signature_ok(data: bytes, public_key: str, signature: str) -> bool:
    """Whether `signature` (base64) was made over `data` with the private key of `public_key`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(public_key, str) or not PUBLIC_KEY.match(public_key) or not isinstance(signature, str):
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(raw, data)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class TrustedKey:
    public_key: str
    label: str
    trusted_at: str

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


def store_private_key(store, *, create: bool = True):
    """The key certificates made with `store` are signed with: a shared store's deployment key, held in the store
    itself so every course server of the deployment signs and verifies alike (made on first use), or else this
    data folder's own key. None only when `create` is False and there is none yet."""
    held = getattr(store, "deployment_key", None)
    if held is not None:
        text = held(create=create)
        return _private_from_hex(text, Path(store.location)) if text else None
    if not create and not signing_key_path().exists():
        return None
    return load_private_key(create=create)


def trusted_public_keys(store) -> set[str]:
    """Every public key trusted here: this data folder's own (if it has one), a shared store's deployment key (if
    made), and those registered in the records."""
    keys = {k.public_key for k in store.trusted_keys()}
    own = own_public_key()
    if own:
        keys.add(own)
    if getattr(store, "deployment_key", None) is not None:
        deployment = store_private_key(store, create=False)
        if deployment is not None:
            keys.add(public_bytes(deployment).hex())
    return keys
