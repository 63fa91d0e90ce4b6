"""Vendor failures, classified once into the contract's ``REMOTE.*`` / ``INTEGRATION.*`` codes."""

from __future__ import annotations


class RemoteError(Exception):
    """A vendor call failed in a way the caller should report with ``code``."""

    def __init__(self, code: str, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retryable = retryable


class PaginationLoop(RemoteError):
    """The vendor handed back a cursor it already gave: stop loudly instead of looping or truncating."""

    def __init__(self, stream: str, cursor: str):
        super().__init__("REMOTE.UNKNOWN_HTTP_ERROR", f"{stream}: the vendor repeated a page cursor ({cursor[:60]})")


def classify(status: int, body: str) -> RemoteError:
    """Map a final (non-retried or retries-exhausted) HTTP status to the contract's error codes."""
    snippet = body.strip().replace("\n", " ")[:300]
    if status == 401:
        return RemoteError(
            "INTEGRATION.AUTHENTICATION_INVALID", f"the ATS refused the credentials (401): {snippet}", status=status
        )
    if status == 403:
        return RemoteError("INTEGRATION.PERMISSION_MISSING", f"the ATS denied access (403): {snippet}", status=status)
    if status == 429:
        return RemoteError(
            "REMOTE.RATE_LIMIT_EXCEEDED", "the ATS kept rate limiting after retries", status=status, retryable=True
        )
    if status in (400, 404, 409, 422):
        return RemoteError("REMOTE.INPUT_INVALID", f"the ATS rejected the request ({status}): {snippet}", status=status)
    if status >= 500:
        return RemoteError(
            "REMOTE.SERVICE_UNAVAILABLE", f"the ATS failed ({status}): {snippet}", status=status, retryable=True
        )
    return RemoteError(
        "REMOTE.UNKNOWN_HTTP_ERROR", f"unexpected answer from the ATS ({status}): {snippet}", status=status
    )
