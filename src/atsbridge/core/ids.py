"""Identifiers.

Record ids are deterministic: a function of integration, model and remote id, so a mapper can name a
related record without a database lookup and a re-sync never mints new ids. They are 24 base58
characters, like Kombo's, and unique across models.
"""

from __future__ import annotations

import hashlib
import secrets

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58(raw: bytes, length: int) -> str:
    number = int.from_bytes(raw, "big")
    chars = []
    for _ in range(length):
        number, rem = divmod(number, 58)
        chars.append(_ALPHABET[rem])
    return "".join(chars)


def record_id(integration_id: str, model: str, remote_id: str) -> str:
    digest = hashlib.blake2b(f"{integration_id}\0{model}\0{remote_id}".encode(), digest_size=20).digest()
    return _base58(digest, 24)


def random_id(length: int = 24) -> str:
    return _base58(secrets.token_bytes(24), length)


def new_api_key() -> str:
    return "atsb_" + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """API keys carry 256 bits of entropy, so one SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(key.encode()).hexdigest()
