"""CSRF tokens for server-rendered forms: an HMAC of the session (or link) they belong to.

A token is bound to one subject (a dashboard session id, a Connect link id) and expires; a form posted
from another site cannot know it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from atsbridge.core.safetext import ascii_digits, same_token

#: Ours are 35 characters; anything much longer is refused before any work.
MAX_TOKEN_LENGTH = 128


def _mac(secret: bytes, subject: str, expires: int) -> str:
    digest = hmac.new(secret, f"csrf|{subject}|{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def issue(secret: bytes, subject: str, ttl_seconds: int = 3600) -> str:
    expires = int(time.time()) + ttl_seconds
    return f"{expires}.{_mac(secret, subject, expires)}"


def valid(secret: bytes, subject: str, token: str | None) -> bool:
    """Total over any text: a malformed, foreign, altered or expired token is False, never an exception."""
    if not token or "." not in token or len(token) > MAX_TOKEN_LENGTH:
        return False
    expires_text, _, mac = token.partition(".")
    if not ascii_digits(expires_text) or int(expires_text) < time.time():
        return False
    return same_token(mac, _mac(secret, subject, int(expires_text)))
