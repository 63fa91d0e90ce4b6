"""Every error leaves the API as the contract's envelope; nothing else (no HTML, no stack trace).

The server-rendered pages (dashboard, Connect) share the app, so the same failures raised under their paths
answer a small HTML page instead: a browser shows a page, never a JSON envelope.
"""

from __future__ import annotations

import logging
import uuid

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from atsbridge.core.errors import ApiError
from atsbridge.web.templates import render

log = logging.getLogger("atsbridge.api")

#: Path prefixes of the server-rendered pages (``/v1/connect/...`` is the JSON API, not a page).
HTML_PREFIXES = ("/dashboard/", "/connect/")
_TITLES = {400: "Invalid request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed"}


def error_response(err: ApiError) -> Response:
    return Response(orjson.dumps(err.envelope()), status_code=err.status, media_type="application/json")


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return path == "/dashboard" or path.startswith(HTML_PREFIXES)


def _answer(request: Request, err: ApiError) -> Response:
    if not _wants_html(request):
        return error_response(err)
    title = _TITLES.get(err.status, "Something went wrong")
    back = "/dashboard" if request.url.path.startswith("/dashboard") else None
    return render("error.html", status_code=err.status, title=title, message=err.message, back=back)


def _loc(loc: tuple[object, ...] | list[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:10]:
            where = _loc(err.get("loc", ()))
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return _answer(request, ApiError("PLATFORM.INPUT_INVALID", "; ".join(problems) or "invalid input"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            msg = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            msg = f"method {request.method} is not allowed on {request.url.path}"
        else:
            msg = str(exc.detail)
        return _answer(request, ApiError("PLATFORM.INPUT_INVALID", msg, status=exc.status_code))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        ref = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        return _answer(
            request,
            ApiError("PLATFORM.UNKNOWN_ERROR", f"internal error (reference {ref}); the details are in the server log"),
        )
