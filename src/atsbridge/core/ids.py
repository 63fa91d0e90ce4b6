"""Identifiers.

Record ids are deterministic: a function of integration, model and remote id, so a mapper can name a
related record without a database lookup and a re-sync never mints new ids. They are 24 base58
characters, like Kombo's, and unique across models.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


_PAIRS = [a + b for b in _ALPHABET for a in _ALPHABET]  # index = low digit + 58 * high digit


def _base58(raw: bytes, length: int) -> str:
    """Little-endian base58 digits of ``raw``, two at a time (a sync computes hundreds of thousands)."""
    number = int.from_bytes(raw, "big")
    chars = []
    for _ in range(length // 2):
        number, rem = divmod(number, 3364)
        chars.append(_PAIRS[rem])
    if length % 2:
        chars.append(_ALPHABET[number % 58])
    return "".join(chars)


@lru_cache(maxsize=1 << 16)
def record_id(integration_id: str, model: str, remote_id: str) -> str:
    """Cached: mappers name the same jobs, stages and users over and over. The hot set is small; a bigger
    cache mostly held ids named once (about 250 bytes each: 65 MB at 2**18), growing a big sync's memory."""
    digest = hashlib.blake2b(f"{integration_id}\0{model}\0{remote_id}".encode(), digest_size=20).digest()
    return _base58(digest, 24)


def random_id(length: int = 24) -> str:
    return _base58(secrets.token_bytes(24), length)


def new_api_key() -> str:
    return "atsb_" + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """API keys carry 256 bits of entropy, so one SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()  # total over any text
