"""Every error leaves the API as the contract's envelope; nothing else (no HTML, no stack trace)."""

from __future__ import annotations

import logging
import uuid

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from atsbridge.core.errors import ApiError

log = logging.getLogger("atsbridge.api")


def error_response(err: ApiError) -> Response:
    return Response(orjson.dumps(err.envelope()), status_code=err.status, media_type="application/json")


def _loc(loc: tuple[object, ...] | list[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:10]:
            where = _loc(err.get("loc", ()))
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return error_response(ApiError("PLATFORM.INPUT_INVALID", "; ".join(problems) or "invalid input"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            msg = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            msg = f"method {request.method} is not allowed on {request.url.path}"
        else:
            msg = str(exc.detail)
        return error_response(ApiError("PLATFORM.INPUT_INVALID", msg, status=exc.status_code))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        ref = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        return error_response(
            ApiError("PLATFORM.UNKNOWN_ERROR", f"internal error (reference {ref}); the details are in the server log")
        )
