"""Vendor failures, classified once into the contract's ``REMOTE.*`` / ``INTEGRATION.*`` codes."""

from __future__ import annotations


class RemoteError(Exception):
    """A vendor call failed in a way the caller should report with ``code``."""

    def __init__(
        self, code: str, message: str, *, status: int | None = None, retryable: bool = False, body: str | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retryable = retryable
        #: The vendor's whole answer (messages are cut short for humans; connectors may parse this).
        self.body = body


class PaginationLoop(RemoteError):
    """The vendor handed back a cursor it already gave: stop loudly instead of looping or truncating."""

    def __init__(self, stream: str, cursor: str):
        super().__init__("REMOTE.UNKNOWN_HTTP_ERROR", f"{stream}: the vendor repeated a page cursor ({cursor[:60]})")


def classify(status: int, body: str) -> RemoteError:
    """Map a final (non-retried or retries-exhausted) HTTP status to the contract's error codes."""
    snippet = body.strip().replace("\n", " ")[:300]
    if status == 401:
        code, text, retryable = "INTEGRATION.AUTHENTICATION_INVALID", "the ATS refused the credentials (401)", False
    elif status == 403:
        code, text, retryable = "INTEGRATION.PERMISSION_MISSING", "the ATS denied access (403)", False
    elif status == 429:
        code, text, retryable = "REMOTE.RATE_LIMIT_EXCEEDED", "the ATS kept rate limiting after retries", True
    elif status in (400, 404, 409, 422):
        code, text, retryable = "REMOTE.INPUT_INVALID", f"the ATS rejected the request ({status})", False
    elif status >= 500:
        code, text, retryable = "REMOTE.SERVICE_UNAVAILABLE", f"the ATS failed ({status})", True
    else:
        code, text, retryable = "REMOTE.UNKNOWN_HTTP_ERROR", f"unexpected answer from the ATS ({status})", False
    message = text if status == 429 else f"{text}: {snippet}"
    return RemoteError(code, message, status=status, retryable=retryable, body=body)
