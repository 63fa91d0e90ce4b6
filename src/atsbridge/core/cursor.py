"""Opaque, tamper-proof page cursors.

A cursor carries the last id served and a hash of the query it belongs to, signed with HMAC. The SDK
repeats every original filter beside the cursor; a cursor replayed with different filters, or edited by
hand, or cut short, is refused with a clear error instead of serving a wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import orjson

from atsbridge.core.errors import input_invalid
from atsbridge.core.safetext import same_token

_VERSION = 1
#: Ours are under 200 characters; a longer "cursor" is refused before any decoding work.
MAX_CURSOR_LENGTH = 1024


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def query_fingerprint(parts: dict[str, object]) -> str:
    return hashlib.blake2b(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS), digest_size=8).hexdigest()


class CursorCodec:
    def __init__(self, secret: bytes):
        self._key = hashlib.sha256(b"atsbridge-cursor\0" + secret).digest()

    def _sign(self, body: bytes) -> str:
        return _b64(hmac.new(self._key, body, hashlib.sha256).digest()[:16])

    def encode(self, last_id: str, fingerprint: str) -> str:
        body = orjson.dumps({"v": _VERSION, "after": last_id, "q": fingerprint})
        return f"{_b64(body)}.{self._sign(body)}"

    def decode(self, cursor: str, fingerprint: str) -> str:
        """The id to continue after. Raises PLATFORM.INPUT_INVALID on any forged or mismatched cursor."""
        if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
            raise input_invalid("cursor: not a cursor issued by this API")
        body_text, _, signature = cursor.partition(".")
        try:
            body = _unb64(body_text)
        except (ValueError, TypeError):
            raise input_invalid("cursor: not a cursor issued by this API") from None
        if not signature or not same_token(signature, self._sign(body)):
            raise input_invalid("cursor: not a cursor issued by this API (it was altered or truncated)")
        data = orjson.loads(body)  # signed by us: well-formed
        if not isinstance(data, dict) or data.get("v") != _VERSION or not isinstance(data.get("after"), str):
            raise input_invalid("cursor: unsupported cursor version")
        if data.get("q") != fingerprint:
            raise input_invalid(
                "cursor: this cursor belongs to a query with other filters; repeat the original filters "
                "(updated_after, include_deleted, ids, ...) or start again without a cursor"
            )
        return str(data["after"])
