"""Webhook signatures: what receivers check to know a delivery came from us, unaltered.

``X-Kombo-Signature`` is HMAC-SHA256 over the raw request body, keyed with the endpoint's secret, encoded
base64url without ``=`` padding (contract §5). Receivers must verify the bytes they received, never
re-serialised JSON, so the dispatcher sends the stored payload bytes exactly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from atsbridge.core.safetext import same_token

SIGNATURE_HEADER = "X-Kombo-Signature"
#: During a secret rotation's grace period: the same body signed with the previous secret.
PREVIOUS_SIGNATURE_HEADER = "X-Atsbridge-Previous-Signature"


def new_secret() -> str:
    """256 random bits; the prefix makes a leaked secret recognisable in logs and secret scanners."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """Constant-time check (what a receiver does; used by the CLI and tests)."""
    return same_token(signature.strip(), sign(secret, body))
