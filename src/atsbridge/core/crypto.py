"""Vendor credentials at rest: AES-256-GCM with a key derived from the platform secret.

Blob layout: ``b"v1" + key id (8 bytes) + nonce (12) + ciphertext``. The key id lets a rotation re-encrypt
blobs written under older secrets (``ATSBRIDGE_OLD_SECRET_KEYS``) without guessing.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PREFIX = b"v1"


def _derive(secret: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=b"atsbridge-credentials", info=b"aes-gcm").derive(secret)


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:8]


class CredentialBox:
    def __init__(self, secret: bytes, old_secrets: list[bytes] | None = None):
        self._current = _derive(secret)
        self._keys = {_key_id(k): k for k in [self._current, *(_derive(s) for s in old_secrets or [])]}

    def seal(self, credentials: dict[str, Any]) -> bytes:
        nonce = os.urandom(12)
        sealed = AESGCM(self._current).encrypt(nonce, orjson.dumps(credentials), _PREFIX)
        return _PREFIX + _key_id(self._current) + nonce + sealed

    def open(self, blob: bytes | None) -> dict[str, Any]:
        if not blob:
            return {}
        if blob[:2] != _PREFIX:
            raise ValueError("unknown credential format")
        key = self._keys.get(blob[2:10])
        if key is None:
            raise ValueError("credentials were sealed with a secret key this server does not have")
        data: dict[str, Any] = orjson.loads(AESGCM(key).decrypt(blob[10:22], blob[22:], _PREFIX))
        return data

    def needs_rotation(self, blob: bytes) -> bool:
        return bool(blob) and blob[2:10] != _key_id(self._current)
