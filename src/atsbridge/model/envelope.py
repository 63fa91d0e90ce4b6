"""Response envelopes (for OpenAPI; responses themselves are written as pre-serialised JSON)."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

from atsbridge.model.common import Warning_

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    next: str | None
    results: list[T]


class ListResponse(BaseModel, Generic[T]):
    status: Literal["success"] = "success"
    data: Page[T]


class Results(BaseModel, Generic[T]):
    results: list[T]


class ResultsWithWarnings(BaseModel, Generic[T]):
    status: Literal["success"] = "success"
    data: Results[T]
    warnings: list[Warning_]


class ErrorBody(BaseModel):
    code: str | None
    title: str | None
    message: str
    log_url: str | None


class ErrorResponse(BaseModel):
    status: Literal["error"] = "error"
    error: ErrorBody


class CheckApiKeyData(BaseModel):
    environment_id: str
    customer_id: str


class CheckApiKeyResponse(BaseModel):
    status: Literal["success"] = "success"
    data: CheckApiKeyData
