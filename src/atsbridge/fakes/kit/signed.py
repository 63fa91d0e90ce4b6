"""Signed, expiring file URLs (like S3's pre-signed links some vendors hand out): no API credentials needed
to follow one, 403 once it expired or was forged. One key per fake."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import orjson


class SignedUrls:
    def __init__(self, ttl: float = 7 * 24 * 3600.0, prefix: str = "/files") -> None:
        self.ttl, self.prefix = ttl, prefix
        self._key = secrets.token_bytes(16)
        self._valid_after = 0.0

    def url(self, base_url: str, file_id: int | str) -> str:
        issued = time.time()
        body = orjson.dumps([file_id, issued, issued + self.ttl])
        sig = hmac.new(self._key, body, hashlib.sha256).hexdigest()[:32]
        return f"{base_url}{self.prefix}/{base64.urlsafe_b64encode(body).decode().rstrip('=')}.{sig}"

    def resolve(self, token: str) -> int | str | None:
        """The file a URL token names, or None when it is forged or expired."""
        body_text, _, sig = token[:2000].partition(".")
        try:
            body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
            file_id, issued, expires = orjson.loads(body)
        except (ValueError, TypeError):
            return None
        expected = hmac.new(self._key, body, hashlib.sha256).hexdigest()[:32]
        if not hmac.compare_digest(sig, expected) or issued < self._valid_after or expires < time.time():
            return None
        return file_id if isinstance(file_id, int | str) else None

    def expire_all(self) -> None:
        """Every URL handed out so far stops working (what the TTL does to a real one)."""
        self._valid_after = time.time() + 1e-6
