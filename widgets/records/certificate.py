"""Certificates: who has earned one, the PDF (English, Welsh or both, Welsh first), and codes that cannot be forged.

The rule is the course's one definition of completion (records.progress): a certificate is earned when the
course is completed, that is modules 00-07 (module 07 being the final check, passed); module 08 is optional.

A certificate is signed with the data folder's Ed25519 key (records/signing.py): the record keeps the signature
and the public key, and the verification code printed on it is made from the signature. A certificate counts as
verified only where its public key is trusted (this data folder's own, or one registered with
`fmse-course records trust-key`); `fmse-course records verify CODE` checks one. The first certificates were
signed with an HMAC key kept in the data folder (`certificate.key`); they still verify where that key is.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..i18n import translator
from ..languages import LANGS, WELSH_FIRST
from ..userdata import PRIVATE, data_folder, make_folder, put_in_place, temporary_beside
from .errors import RecordsError
from .progress import (CHECKED_MODULES, FINAL_MODULE, KNOWLEDGE_CHECK, REQUIRED_MODULES, PageListError,
                       Requirement, completion_rule, course_state)
from .store import CODE, Certificate, RecordStore, StoredEvent, utc_now

FINAL_PAGE = "check-your-learning"
KEY_FILE = "certificate.key"
CONTENTS_VERSION = 1
FONTS = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans and its licence (package data)


class RuleError(RuntimeError):
    """The certificate rule cannot be worked out (a module or its check is missing); the message says which."""


# ---- the rule: the course's definition of completion -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Rule:
    requirements: tuple[Requirement, ...]

    @property
    def final_page(self) -> str:
        return next(r.page for r in self.requirements if r.number == FINAL_MODULE)

    @property
    def pages(self) -> tuple[str, ...]:
        """The modules a certificate names: the required ones, 00-07."""
        return tuple(r.page for r in self.requirements if r.required)


def load_rule(root: Path | None = None) -> Rule:
    """The rule read from the course (`root` is the course folder; default this one)."""
    return derive_rule(root / "notebooks" if root else None)


def derive_rule(notebooks: Path | None = None) -> Rule:
    """records.progress.completion_rule(), checked to be whole: every module 00-07 there, and a knowledge check
    on each of 01-07."""
    try:
        requirements = completion_rule(notebooks)
    except PageListError as exc:
        raise RuleError(str(exc)) from None
    numbered = {r.number: r for r in requirements}
    for number in REQUIRED_MODULES:
        found = numbered.get(number)
        if found is None:
            raise RuleError(f"module {number:02d} does not exist yet (notebooks/en/{number:02d}-*.ipynb), so the "
                            f"certificate rule is not complete")
        if (number in CHECKED_MODULES or number == FINAL_MODULE) and not found.passes:
            raise RuleError(f"module {number:02d} ('{found.page}') shows no {KNOWLEDGE_CHECK} exercise, so the "
                            f"certificate rule is not complete")
    return Rule(requirements)


@dataclass(frozen=True, slots=True)
class Standing:
    """How far a learner is from a certificate."""

    missing_modules: tuple[str, ...]   # required modules (pages) not completed yet, the final check apart
    final_passed: bool
    completed_on: date | None          # when the course was completed, once it is

    @property
    def eligible(self) -> bool:
        return self.final_passed and not self.missing_modules


def standing(rule: Rule, events: list[StoredEvent]) -> Standing:
    course = course_state(rule.requirements, events)
    final = rule.final_page
    return Standing(tuple(p for p in course.missing if p != final), final not in course.missing,
                    course.completed_on)


# ---- the key and the code --------------------------------------------------------------------------------

def key_path() -> Path:
    return data_folder() / KEY_FILE


def load_key(path: Path | None = None, *, create: bool = False) -> bytes:
    """The HMAC key that signed the first certificates (certificate.key, 32 random bytes, owner-only). New
    certificates are signed with the Ed25519 key instead; `create` makes one (whole, or not at all) for tests."""
    path = path or key_path()
    if create and not path.exists():
        try:
            make_folder(path.parent)
            temporary = temporary_beside(path, PRIVATE)
            with temporary.open("w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            put_in_place(temporary, path)  # another process that made one first keeps theirs: read it
        except OSError:
            raise RecordsError("missing", path=path.parent) from None
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except FileNotFoundError:
        raise RecordsError("invalid", detail=f"there is no certificate key at {path}: certificates issued with "
                                             f"this data folder cannot be checked") from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise RecordsError("invalid", detail=f"the certificate key {path} is damaged: restore it from a backup "
                                             f"(certificates signed with it cannot be checked without it)") from None
    if len(key) != 32:
        raise RecordsError("invalid", detail=f"the certificate key {path} is damaged: restore it from a backup")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # readable by this user only, whatever made it
    return key


def key_id(key: bytes) -> str:
    """A short public name for a key (which computer signed a certificate), not the key."""
    return hashlib.sha256(b"fmse-certificate-key-id:" + key).hexdigest()[:16]


def canonical(contents: dict) -> str:
    """The one text an HMAC covers: sorted keys, no spaces, UTF-8 (so ŵ and ŷ are themselves)."""
    return json.dumps(contents, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(contents_text: str, key: bytes) -> str:
    """The first certificates' code: the first 100 bits of HMAC-SHA256, as 20 base32 letters and digits."""
    digest = hmac.new(key, contents_text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest[:15]).decode("ascii")[:20]


def code_of(signature: str) -> str:
    """The verification code of an Ed25519-signed certificate: 100 bits of a hash of its signature, as 20 base32
    letters and digits (Ed25519 signatures are deterministic, so the same contents always give the same code)."""
    digest = hashlib.sha256(b"fmse-certificate-code:" + signature.encode("ascii")).digest()
    return base64.b32encode(digest[:15]).decode("ascii")[:20]


def format_code(code: str) -> str:
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes, 0 for O, 1 for I, 8 for B) in its stored form, or None."""
    code = "".join(text.split()).replace("-", "").upper().translate(str.maketrans("018", "OIB"))
    return code if CODE.match(code) else None


# ---- issuing and checking ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Issued:
    certificate: Certificate
    contents: dict

    @property
    def code(self) -> str:
        return self.certificate.code


def issue(store: RecordStore, learner_id: str, *, rule: Rule | None = None, private_key=None,
          setting_name: str | None = None) -> Issued:
    """The certificate for a learner who has earned it (the same contents always give the same code).

    Raises RecordsError("invalid") saying what is missing if they have not, or if they have no name.
    """
    learner = store.learner(learner_id)
    if learner is None:
        raise RecordsError("invalid", detail=f"learner {learner_id} is not in the records")
    if not learner.name:
        raise RecordsError("invalid", detail="a certificate needs the learner's name: add it on the start page")
    rule = rule or load_rule()
    found = standing(rule, store.events(learner_id=learner_id))
    if not found.eligible or found.completed_on is None:
        raise RecordsError("invalid", detail=f"not earned yet: still to do: {', '.join(still_to_do(rule, found))}")
    from . import signing

    contents = {"v": CONTENTS_VERSION, "learner_id": learner_id, "name": learner.name,
                "completed_on": found.completed_on.isoformat(), "pages": list(rule.pages),
                "setting": setting_name or ""}
    text = canonical(contents)
    if private_key is None:
        private_key = signing.store_private_key(store)
    public_key, signature = signing.sign(text.encode("utf-8"), private_key)
    certificate = Certificate(code=code_of(signature), learner_id=learner_id, contents=text,
                              key_id=signing.key_id(public_key), issued_at=utc_now(), public_key=public_key,
                              signature=signature)
    store.record_certificate(certificate)
    return Issued(store.certificate(certificate.code) or certificate, contents)


def still_to_do(rule: Rule, found: Standing) -> list[str]:
    return [*found.missing_modules, *([] if found.final_passed else [rule.final_page])]


@dataclass(frozen=True, slots=True)
class Verification:
    status: str            # genuine, untrusted, altered, other-key, unknown, malformed, name-differs
    contents: dict | None = None
    public_key: str = ""   # who signed it (for "untrusted": the key to compare and, if right, trust)

    @property
    def genuine(self) -> bool:
        return self.status == "genuine"


def verify_contents(contents_text: str, code: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(contents_text, key), code)


def certificate_trust(certificate: Certificate, trusted: set[str] | frozenset[str],
                      hmac_key: bytes | None = None) -> str:
    """Whether a stored certificate is verified here: "verified" (signed with a key in `trusted`, unchanged since),
    "untrusted" (signed correctly, with a key this data folder does not trust), "altered" (its contents, code or
    signature do not match), or "other-key" (a first certificate, HMAC-signed on another computer).

    `trusted` is the set of public keys trusted here (signing.trusted_public_keys(store)); `hmac_key` the first
    certificates' key (load_key()) if this data folder has one."""
    from . import signing

    if certificate.signature or certificate.public_key:
        if (certificate.code != code_of(certificate.signature)
                or certificate.key_id != (signing.key_id(certificate.public_key)
                                          if signing.PUBLIC_KEY.match(certificate.public_key) else None)
                or not signing.signature_ok(certificate.contents.encode("utf-8"), certificate.public_key,
                                            certificate.signature)):
            return "altered"
        return "verified" if certificate.public_key in trusted else "untrusted"
    if hmac_key is None or certificate.key_id != key_id(hmac_key):
        return "other-key"
    return "verified" if verify_contents(certificate.contents, certificate.code, hmac_key) else "altered"


def local_hmac_key() -> bytes | None:
    """The first certificates' HMAC key, if this data folder has one (it is never made now)."""
    return load_key() if key_path().exists() else None


def verify(store: RecordStore, code_text: str, *, trusted: set[str] | None = None, hmac_key: bytes | None = None,
           name: str | None = None) -> Verification:
    """Whether a certificate code is genuine: issued from these records, signed with a key trusted here, and
    unchanged since. `trusted` and `hmac_key` default to this data folder's."""
    from . import signing

    code = normalise_code(code_text)
    if code is None:
        return Verification("malformed")
    found = store.certificate(code)
    if found is None:
        return Verification("unknown")
    try:
        contents = json.loads(found.contents)
    except ValueError:
        return Verification("altered")
    if not isinstance(contents, dict):
        return Verification("altered")
    trusted = signing.trusted_public_keys(store) if trusted is None else trusted
    hmac_key = hmac_key if hmac_key is not None else local_hmac_key()
    status = certificate_trust(found, trusted, hmac_key)
    if status == "verified":
        status = "genuine"
    if status == "genuine" and name is not None and (" ".join(name.split()).casefold()
                                                      != str(contents.get("name", "")).casefold()):
        status = "name-differs"
    return Verification(status, contents, found.public_key)


# ---- the PDF ----------------------------------------------------------------------------------------------

def font_path(bold: bool = False) -> Path:
    """DejaVu Sans (it has ŵ, ŷ and every other Welsh letter), shipped in the package with its licence
    (fonts/LICENSE_DEJAVU): copied from matplotlib 3.11.2's mpl-data, so the course needs no font package."""
    path = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.is_file():
        raise RecordsError("invalid", detail=f"the certificate font {path} is missing: reinstall fmse-course")
    return path


def page_titles(lang: str) -> dict[str, str]:
    from ..course import pages

    return {p.page: p.title for p in pages() if p.lang == lang}


def render_pdf(contents: dict, code: str, langs: tuple[str, ...] = WELSH_FIRST) -> bytes:
    """The certificate as a PDF: one A4 landscape page per language, in the order given (Welsh first)."""
    from fpdf import FPDF

    from ..content.course_text import course_text

    if not langs or any(lang not in LANGS for lang in langs):
        raise ValueError("langs must be ('cy',), ('en',) or ('cy', 'en')")
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.add_font("DejaVu", "B", str(font_path(bold=True)))
    pdf.set_lang(langs[0])
    pdf.set_creator("fmse-course")
    pdf.set_title(" / ".join(translator(lang).gettext("Certificate of completion") for lang in langs))
    done = date.fromisoformat(contents["completed_on"])
    for lang in langs:
        tr = translator(lang)
        titles = page_titles(lang)
        pdf.add_page()
        pdf.set_draw_color(0, 82, 102)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, 277, 190)
        pdf.set_y(24)
        pdf.set_font("DejaVu", "B", 28)
        pdf.cell(0, 14, tr.gettext("Certificate of completion"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 13)
        pdf.cell(0, 10, course_text().landing.title(lang), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.cell(0, 8, tr.gettext("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
        size = 24
        pdf.set_font("DejaVu", "B", size)
        while pdf.get_string_width(contents["name"]) > 250 and size > 10:  # a long name shrinks to fit
            size -= 1
            pdf.set_font("DejaVu", "B", size)
        pdf.cell(0, 14, contents["name"], align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 13)
        pdf.cell(0, 8, tr.gettext("completed these modules and passed the final check:"), align="C",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        for page in contents["pages"]:
            pdf.cell(0, 6.5, titles.get(page, page), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 12)
        when = format_day(done, lang)
        pdf.cell(0, 8, tr.gettext("Date: {date}").format(date=when), align="C", new_x="LMARGIN", new_y="NEXT")
        if contents.get("setting"):
            pdf.cell(0, 8, tr.gettext("Setting: {name}").format(name=contents["setting"]), align="C",
                     new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(176)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(0, 7, tr.gettext("Verification code: {code}").format(code=format_code(code)), align="C",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        # In words, in the certificate's language: no command line on a certificate (issue 14).
        pdf.set_x(30)
        pdf.multi_cell(237, 4.5, how_to_check(lang), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def how_to_check(lang: str) -> str:
    """What the certificate says about checking it, in words (the records' keeper looks the code up)."""
    return translator(lang).gettext(
        "To check this certificate, give the verification code to the person who keeps the course's records "
        "where it was taken (often the designated safeguarding person): they can look the code up in those "
        "records, which say whether the certificate is genuine and unchanged.")


def format_day(day: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale="cy" if lang == "cy" else "en_GB")


def file_name(contents: dict, langs: tuple[str, ...]) -> str:
    """E.g. tystysgrif-certificate-2026-11-20.pdf (no name in it, so it says nothing when listed)."""
    stems: dict[tuple[str, ...], str] = {("cy",): "tystysgrif", ("en",): "certificate"}
    stem = stems.get(tuple(langs), "tystysgrif-certificate")
    return f"{stem}-{contents['completed_on']}.pdf"
