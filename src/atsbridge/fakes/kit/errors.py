"""Vendor error bodies, declared once per vendor API, and the exception handlers raise to refuse a request.

A handler (or the engine itself: 401, 429, injected faults) raises :class:`VendorError`; the fake's
:class:`ErrorShape` turns it into the vendor's body, so every refusal of one fake looks the same, as the real
API's do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: A status's default machine code, for shapes that carry one.
CODES = {400: "BadRequestError", 401: "UnauthorizedError", 403: "ForbiddenError", 404: "ResourceNotFound",
         409: "ConflictError", 422: "UnprocessableEntity", 429: "TooManyRequests", 500: "InternalServerError",
         502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout"}  # fmt: skip


class VendorError(Exception):
    """Refuse a request: ``status`` with ``message`` (``code`` and ``field`` when the shape carries them)."""

    def __init__(self, status: int, message: str, code: str | None = None, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(message)
        self.status, self.message, self.code, self.field = status, message, code, field
        self.headers = headers or {}


#: (error) -> the JSON body the vendor answers with.
ErrorShape = Callable[[VendorError], Any]


def errors_list(error: VendorError) -> Any:
    """``{"errors": ["message"]}`` (Greenhouse v3's protocol errors)."""
    return {"errors": [error.message]}


def code_message(error: VendorError) -> Any:
    """``{"code": "...", "message": "..."}`` (Lever)."""
    return {"code": error.code or CODES.get(error.status, "Error"), "message": error.message}


def message_only(error: VendorError) -> Any:
    """``{"message": "..."}``."""
    return {"message": error.message}


def error_object(error: VendorError) -> Any:
    """``{"error": {"code", "message", "field"}}``."""
    return {"error": {"code": error.code or CODES.get(error.status, "Error"), "message": error.message,
                      "field": error.field}}  # fmt: skip
