"""Signed session cookies for the dashboard.

The cookie holds ``operator id . session id . expiry`` and an HMAC of them keyed by the platform secret, so
the server keeps no session table. Revocation still works: every request re-reads the operator, and a
revoked operator's cookies are refused. The session id is what CSRF tokens are bound to.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from atsbridge.core.safetext import ascii_digits, same_token

COOKIE_NAME = "atsbridge_session"
#: Sessions end after 12 hours, whatever happens in between.
SESSION_SECONDS = 12 * 3600
#: Ours are about 110 characters; a longer cookie is refused before any work.
MAX_COOKIE_LENGTH = 512


@dataclass(frozen=True)
class Session:
    operator_id: str
    session_id: str
    expires: int


def _mac(secret: bytes, payload: str) -> str:
    digest = hmac.new(secret, f"dashboard-session|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(secret: bytes, operator_id: str, now: float | None = None) -> tuple[str, Session]:
    """A new session for the operator and its cookie value."""
    issued = int(time.time() if now is None else now)
    session = Session(operator_id, secrets.token_urlsafe(16), issued + SESSION_SECONDS)
    payload = f"{session.operator_id}.{session.session_id}.{session.expires}"
    return f"{payload}.{_mac(secret, payload)}", session


def read(secret: bytes, cookie: str | None, now: float | None = None) -> Session | None:
    """The session a cookie carries, or None when it is missing, forged, malformed or expired."""
    if not cookie or len(cookie) > MAX_COOKIE_LENGTH or not cookie.isascii():
        return None
    parts = cookie.split(".")
    if len(parts) != 4:
        return None
    operator_id, session_id, expires, mac = parts
    if not ascii_digits(expires) or not same_token(mac, _mac(secret, f"{operator_id}.{session_id}.{expires}")):
        return None
    if int(expires) < (time.time() if now is None else now):
        return None
    return Session(operator_id, session_id, int(expires))
