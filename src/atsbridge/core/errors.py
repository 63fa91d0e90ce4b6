"""The contract's error codes and the one exception type that carries them to the error envelope."""

from __future__ import annotations

from typing import Literal

AtsErrorCode = Literal[
    "PLATFORM.RATE_LIMIT_EXCEEDED",
    "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
    "PLATFORM.INTEGRATION_NOT_FOUND",
    "PLATFORM.INPUT_INVALID",
    "PLATFORM.UNKNOWN_ERROR",
    "PLATFORM.IP_NOT_WHITELISTED",
    "PLATFORM.AUTHENTICATION_INVALID",
    "PLATFORM.TASK_TIMED_OUT",
    "INTEGRATION.PERMISSION_MISSING",
    "INTEGRATION.AUTHENTICATION_INVALID",
    "INTEGRATION.QA_FAILED",
    "INTEGRATION.SETUP_SYNC_PENDING",
    "INTEGRATION.SETUP_INCOMPLETE",
    "INTEGRATION.INACTIVE",
    "INTEGRATION.MODEL_NOT_AVAILABLE",
    "INTEGRATION.MODEL_DISABLED",
    "INTEGRATION.ACTION_NOT_AVAILABLE",
    "INTEGRATION.ACTION_DISABLED",
    "REMOTE.SERVICE_UNAVAILABLE",
    "REMOTE.RATE_LIMIT_EXCEEDED",
    "REMOTE.INPUT_INVALID",
    "REMOTE.UNKNOWN_HTTP_ERROR",
    "ATS.JOB_CLOSED",
    "ATS.APPLICATION_ALREADY_EXISTS",
]

#: Codes a `general.*` / `connect.*` operation may answer with (the SDK rejects any other).
GENERAL_CODES = frozenset(
    {
        "PLATFORM.RATE_LIMIT_EXCEEDED",
        "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
        "PLATFORM.INTEGRATION_NOT_FOUND",
        "PLATFORM.INPUT_INVALID",
        "PLATFORM.UNKNOWN_ERROR",
        "PLATFORM.IP_NOT_WHITELISTED",
        "PLATFORM.AUTHENTICATION_INVALID",
        "PLATFORM.TASK_TIMED_OUT",
    }
)

_STATUS: dict[str, int] = {
    "PLATFORM.RATE_LIMIT_EXCEEDED": 429,
    "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED": 429,
    "PLATFORM.INTEGRATION_NOT_FOUND": 404,
    "PLATFORM.INPUT_INVALID": 400,
    "PLATFORM.UNKNOWN_ERROR": 500,
    "PLATFORM.IP_NOT_WHITELISTED": 403,
    "PLATFORM.AUTHENTICATION_INVALID": 401,
    "PLATFORM.TASK_TIMED_OUT": 504,
    "INTEGRATION.PERMISSION_MISSING": 403,
    "INTEGRATION.AUTHENTICATION_INVALID": 403,
    "INTEGRATION.QA_FAILED": 409,
    "INTEGRATION.SETUP_SYNC_PENDING": 409,
    "INTEGRATION.SETUP_INCOMPLETE": 409,
    "INTEGRATION.INACTIVE": 403,
    "INTEGRATION.MODEL_NOT_AVAILABLE": 404,
    "INTEGRATION.MODEL_DISABLED": 403,
    "INTEGRATION.ACTION_NOT_AVAILABLE": 404,
    "INTEGRATION.ACTION_DISABLED": 403,
    "REMOTE.SERVICE_UNAVAILABLE": 503,
    "REMOTE.RATE_LIMIT_EXCEEDED": 429,
    "REMOTE.INPUT_INVALID": 400,
    "REMOTE.UNKNOWN_HTTP_ERROR": 502,
    "ATS.JOB_CLOSED": 409,
    "ATS.APPLICATION_ALREADY_EXISTS": 409,
}

_TITLES: dict[str, str] = {
    "PLATFORM.INPUT_INVALID": "Invalid input",
    "PLATFORM.AUTHENTICATION_INVALID": "Invalid API key",
    "PLATFORM.INTEGRATION_NOT_FOUND": "Integration not found",
    "PLATFORM.UNKNOWN_ERROR": "Unknown error",
    "INTEGRATION.SETUP_SYNC_PENDING": "First sync not finished",
    "INTEGRATION.MODEL_NOT_AVAILABLE": "Model not available",
    "INTEGRATION.ACTION_NOT_AVAILABLE": "Action not available",
    "INTEGRATION.INACTIVE": "Integration inactive",
}


class ApiError(Exception):
    """An error the API answers with the contract's envelope."""

    def __init__(self, code: str, message: str, *, status: int | None = None, title: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else _STATUS.get(code, 400)
        self.title = title if title is not None else _TITLES.get(code, code.split(".", 1)[-1].replace("_", " ").title())

    def envelope(self) -> dict[str, object]:
        return {
            "status": "error",
            "error": {"code": self.code, "title": self.title, "message": self.message, "log_url": None},
        }


def input_invalid(message: str) -> ApiError:
    return ApiError("PLATFORM.INPUT_INVALID", message)
