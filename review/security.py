"""The review page's defences, kept apart from its pages so each can be tested on its own.

Passwords: argon2id, the hash carries its own salt and parameters. CSRF: one random token per
session, compared in constant time, required on every POST (logout and login too). Headers: a
strict same-origin CSP, no framing and no caching (`no-store` on every response, page images
included), because the pages show special-category personal data; HSTS when served over HTTPS.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Response, abort, request, session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

_hasher = PasswordHasher()

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs as long as a wrong password."""
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, a fresh hash when the stored one uses weaker parameters than today's)."""
    try:
        _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False, None
    if password_hash is None:
        return False, None
    return True, hash_password(password) if _hasher.check_needs_rehash(password_hash) else None


def password_problem(password: str, repeated: str) -> str | None:
    """Why a new password is refused, or None. Length is what matters (NIST SP 800-63B)."""
    if password != repeated:
        return "The two passwords differ."
    if len(password) < 12:
        return "A password needs at least 12 characters."
    return None


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return str(token)


def check_csrf() -> None:
    """Refuse (403) any state-changing request whose token is missing or not this session's."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(403, description="The form had expired or did not come from this site. Reload the page and try again.")


HSTS = "max-age=31536000"


def add_security_headers(response: Response) -> Response:
    """Every response: never stored by a browser or proxy (Flask's file sending sets its own
    Cache-Control, which is overruled here), and HSTS once the page is on HTTPS."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: `next=` must never lead elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def is_locked(locked_until_text: str | None, now: datetime) -> bool:
    return bool(locked_until_text) and datetime.fromisoformat(str(locked_until_text)) > now


def lockout_end(now: datetime, minutes: int) -> str:
    """When an account locked now opens again, in the database's ISO form."""
    return (now + timedelta(minutes=minutes)).astimezone(UTC).isoformat(timespec="seconds")
