"""How a vendor says what went wrong, declared once per API: where its message is, which answers mean "bad
credentials" or "rate limited" whatever their status, and errors sent inside HTTP 200 bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors.http.errors import RemoteError, classify
from atsbridge.connectors.http.paginators import dig

#: An error body is read this far at most (a vendor's HTML error page can be large).
MAX_ERROR_TEXT = 20_000


@dataclass(frozen=True)
class ErrorShape:
    """A vendor's error conventions; the defaults fit a plain REST API that uses its statuses honestly."""

    #: A response header holding the message (BambooHR), read before the body.
    message_header: str | None = None
    #: Body text (case-insensitive) that means the credentials were refused, whatever the status.
    invalid_token: tuple[str, ...] = ()
    #: Body text that means "slow down", whatever the status: retried like a 429.
    rate_limited: tuple[str, ...] = ()
    #: Errors in HTTP 200 bodies: a path whose truthy value is an error (``"errors"``, ``"success"``...).
    body_error_path: str | None = None
    #: With ``body_error_path``: the value there that means success (``True`` for ``{"success": true}``).
    body_ok_value: Any = None

    def text(self, response: httpx.Response) -> str:
        if self.message_header and response.headers.get(self.message_header):
            return response.headers[self.message_header]
        return response.text[:MAX_ERROR_TEXT]

    def status(self, response: httpx.Response) -> int:
        """The status an error answer means."""
        if not (self.invalid_token or self.rate_limited):
            return response.status_code
        text = self.text(response).lower()
        if any(marker.lower() in text for marker in self.invalid_token):
            return 401
        if any(marker.lower() in text for marker in self.rate_limited):
            return 429
        return response.status_code

    def check(self, response: httpx.Response, body: Any) -> None:
        """Raise for an error sent with HTTP 200 (called on every listed page)."""
        if self.body_error_path is None:
            return
        value = dig(body, self.body_error_path)
        failed = value != self.body_ok_value if self.body_ok_value is not None else bool(value)
        if not failed:
            return
        text = str(value if self.body_ok_value is None else body)[:300]
        lowered = text.lower()
        if any(marker.lower() in lowered for marker in self.invalid_token):
            raise classify(401, text)
        if any(marker.lower() in lowered for marker in self.rate_limited):
            raise RemoteError("REMOTE.RATE_LIMIT_EXCEEDED", f"the ATS is rate limiting: {text}", retryable=True)
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"the ATS answered with an error: {text}")
