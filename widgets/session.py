"""Signed cookies and the browser session: one secret, kept on disk, and a random id per browser.

The course server signs its cookies (the browser session here; the workshop's participant and trainer cookies;
later the learner, issue 14) with one secret, `server-cookie.key` in the per-user data folder: made on first use
(32 random bytes, hex), written atomically with owner-only permissions, and read again on every start, so that a
restart does not sign everyone out. Delete the file to invalidate every cookie the server has ever signed.

A browser session is a random id in the signed cookie `fmse_session` (HttpOnly, SameSite=Lax, no expiry date:
the browser drops it when it closes; the signature is refused after `SESSION_DAYS`). Kernels belong to the session
that opened their page (widgets/kernels.py).

For code that has no request handler (tests, commands) `sign()` and `verify()` do the same with the secret
given; `cookie()` and `set_cookie()` use the server's secret through tornado (settings["cookie_secret"]).
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import tornado.web

from .userdata import data_folder

SECRET_FILE = "server-cookie.key"
SESSION_COOKIE = "fmse_session"
SESSION_DAYS = 7
_SESSION_ATTRIBUTE = "_fmse_browser_session"


def secret_path() -> Path:
    return data_folder() / SECRET_FILE


def _valid(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def load_secret(path: Path | None = None) -> bytes:
    """The server's cookie secret: read from `path` (default: the per-user data folder), made there if missing
    or unreadable. The file is owner-only (0600) and written whole or not at all."""
    path = path or secret_path()
    try:
        text = path.read_text(encoding="ascii").strip()
        if _valid(text):
            if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(0o600)
            return text.encode("ascii")
    except (OSError, UnicodeDecodeError):
        pass
    text = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return text.encode("ascii")


def sign(secret: bytes, name: str, value: str) -> str:
    """`value` signed for the cookie `name` (tornado's signed-value format, version 2)."""
    return tornado.web.create_signed_value(secret, name, value).decode("ascii")


def verify(secret: bytes, name: str, signed: str | bytes | None, max_age_days: float = SESSION_DAYS) -> str | None:
    """The value `signed` carries if it was signed with `secret` for `name` within `max_age_days`, else None."""
    if not signed:
        return None
    if isinstance(signed, str):
        signed = signed.strip('"')  # as a Set-Cookie header quotes it
    value = tornado.web.decode_signed_value(secret, name, signed, max_age_days=max_age_days)
    return None if value is None else value.decode("utf-8", "replace")


def cookie(handler: tornado.web.RequestHandler, name: str, max_age_days: float = SESSION_DAYS) -> str | None:
    """The verified value of the signed cookie `name` in this request, or None."""
    try:
        value = handler.get_signed_cookie(name, max_age_days=max_age_days)
    except Exception:  # noqa: BLE001 - a garbled cookie is no cookie
        return None
    return None if value is None else value.decode("utf-8", "replace")


def set_cookie(handler: tornado.web.RequestHandler, name: str, value: str, *, expires_days: float | None = None) -> None:
    """Set the signed cookie `name`: HttpOnly, SameSite=Lax, for the whole server (its base URL)."""
    handler.set_signed_cookie(name, value, expires_days=expires_days, httponly=True, samesite="Lax",
                              path=handler.settings.get("base_url", "/") or "/")


def browser_session(handler: tornado.web.RequestHandler, *, create: bool = False) -> str | None:
    """The id of the browser session this request comes from; with `create`, a new one (and its cookie) when
    the request has none. The same id for the rest of the request either way."""
    known = getattr(handler, _SESSION_ATTRIBUTE, None)
    if known:
        return known
    value = cookie(handler, SESSION_COOKIE)
    if value is not None and len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        setattr(handler, _SESSION_ATTRIBUTE, value)
        return value
    if not create:
        return None
    value = secrets.token_hex(16)
    set_cookie(handler, SESSION_COOKIE, value)
    setattr(handler, _SESSION_ATTRIBUTE, value)
    return value
