"""A stateful fake of Teamtailor's JSON:API (``/v1``) for tests, demos and ``atsbridge fake-ats teamtailor``.

Teamtailor behaviour reproduced: ``Authorization: Token token=<key>`` (default ``teamtailor_key``), the
mandatory ``X-Api-Version`` header (406 without a valid one), ``application/vnd.api+json`` writes (415
otherwise), ``page[size]`` 1-30 with ``links.first/next/last`` and ``meta``, ``include`` (nested paths too) with
linkage only for included relations, the documented filters (unknown ones 400), jobs listing only published
ones unless ``filter[status]`` says otherwise, ``X-Rate-Limit-*`` headers with 429 over the limit, signed
short-lived file URLs under ``/files`` (no key needed), and no deletion tombstones.

``app.state.fake`` is the :class:`FakeState`: mutate it and arm failures (``fail_next``, ``rate_limit_storm``,
``truncate_next``, ``slow_next``, ``stall_after_commit``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.legacy import attach
from atsbridge.fakes.teamtailor import handlers as h
from atsbridge.fakes.teamtailor import writes as w
from atsbridge.fakes.teamtailor.control import HOOKS, errors
from atsbridge.fakes.teamtailor.faults import Window
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.store import BadRequest

__all__ = ["FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
#: The current version an unversioned request is told about (any ``YYYYMMDD`` from 20161108 on is accepted).
CURRENT_VERSION = "20240904"
MEDIA_TYPE = "application/vnd.api+json"


def _error(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"errors": [{"title": title, "detail": detail, "status": str(status)}]}
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def _version_ok(value: str | None) -> bool:
    return bool(value) and value is not None and value.isdigit() and len(value) == 8 and value >= "20161108"


def _authorized(request: Request, key: str) -> bool:
    return request.headers.get("authorization", "") == f"Token token={key}"


def _limit_headers(fake: FakeState, remaining: int, reset: float) -> dict[str, str]:
    limit = fake.window.limit if fake.window else 50
    return {"X-Rate-Limit-Limit": str(limit), "X-Rate-Limit-Remaining": str(remaining),
            "X-Rate-Limit-Reset": f"{reset:.3f}"}  # fmt: skip


def _truncate(response: Response) -> Response:
    body = bytes(response.body)
    return Response(body[: max(1, len(body) // 2)], status_code=response.status_code, media_type=MEDIA_TYPE)


async def _payload(request: Request) -> Raw | None:
    if request.method not in ("POST", "PATCH"):
        return None
    if request.headers.get("content-type", "").split(";")[0].strip() != MEDIA_TYPE:
        raise BadRequest(415, "Unsupported media type", f"writes must be sent as {MEDIA_TYPE}")
    try:
        parsed = json.loads(await request.body())
    except ValueError:
        raise BadRequest(400, "Bad request", "the body is not valid JSON") from None
    return parsed if isinstance(parsed, dict) else None


def _gate(request: Request, fake: FakeState) -> Response | None:
    """Injected failures, the API key, the version header and the rate limit, in Teamtailor's order."""
    path, method = request.url.path, request.method
    if fake.faults.take("storm", path, method) is not None:
        headers = {**_limit_headers(fake, 0, fake.retry_after), "Retry-After": f"{fake.retry_after:.3f}"}
        return _error(429, "Too many requests", "Rate limit exceeded", headers)
    failure = fake.faults.take("fail", path, method)
    if failure is not None:
        return _error(failure.status, "Service unavailable", "Injected failure", {"Retry-After": f"{fake.retry_after}"})
    if not _authorized(request, fake.api_key):
        return _error(401, "Unauthorized", "Invalid API key")
    if not _version_ok(request.headers.get("x-api-version")):
        return _error(406, "Not acceptable", f"Invalid or missing X-Api-Version; the current version is "
                                             f"{CURRENT_VERSION}")  # fmt: skip
    limited = fake.throttle()
    if limited is not None and not limited[0]:
        return _error(429, "Too many requests", "Rate limit exceeded", _limit_headers(fake, 0, limited[2]))
    request.state.limit = limited
    return None


Handler = Callable[[Request, FakeState, Raw | None], Response]


def guarded(fake: FakeState, latency: float, handler: Handler, *, open_: bool = False) -> Callable[
        [Request], Awaitable[Response]]:  # fmt: skip
    async def endpoint(request: Request) -> Response:
        path = request.url.path
        fake.requests.append(f"{request.method} {path}?{request.url.query}")
        if latency:
            await asyncio.sleep(latency)
        slow = fake.faults.take("slow", path, request.method)
        if slow is not None:
            await asyncio.sleep(slow.seconds)
        refused = None if open_ else _gate(request, fake)
        if refused is not None:
            return refused
        try:
            payload = await _payload(request)
            with fake.lock:
                response = handler(request, fake, payload)
        except BadRequest as exc:
            return _error(exc.status, exc.title, exc.detail)
        stall = fake.faults.take("stall", path, request.method)
        if stall is not None:  # committed; the answer comes too late for the client
            await asyncio.sleep(stall.seconds)
        limited = getattr(request.state, "limit", None)
        if limited is not None:
            response.headers.update(_limit_headers(fake, limited[1], limited[2]))
        if response.media_type == MEDIA_TYPE and fake.faults.take("truncate", path) is not None:
            return _truncate(response)
        return response

    return endpoint


def _routes(fake: FakeState, latency: float) -> list[Route]:
    lists = ["users", "reject-reasons", "departments", "locations", "custom-fields", "stages", "uploads", "answers",
             "questions", "picked-questions", "jobs", "candidates", "job-applications", "notes"]  # fmt: skip
    routes = [Route(f"/v1/{t}", guarded(fake, latency, h.list_type(t)), methods=["GET"]) for t in lists]
    table: list[tuple[str, Handler, list[str]]] = [
        ("/v1/candidates", w.create_candidate, ["POST"]),
        ("/v1/candidates/{id}", w.update_candidate, ["PATCH"]),
        ("/v1/job-applications", w.create_application, ["POST"]),
        ("/v1/job-applications/{id}", w.update_application, ["PATCH"]),
        ("/v1/notes", w.create_note, ["POST"]),
        ("/v1/answers", w.create_answer, ["POST"]),
        ("/v1/{type}/{id}", h.get_one, ["GET"]),
        ("/v1/{type}/{id}/{rel}", h.get_related, ["GET"]),
    ]
    routes += [Route(p, guarded(fake, latency, fn), methods=m) for p, fn, m in table]
    routes.append(Route("/files/{kind}/{id}", guarded(fake, latency, h.download, open_=True), methods=["GET"]))
    return routes


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    api_key: str = "teamtailor_key",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (50, 10.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)`` is Teamtailor's window (about 50 per 10 s); None turns it off.
    ``state`` serves an existing company instead of a new one."""
    fake = state if state is not None else FakeState.generate(seed, records, api_key)
    fake.window = Window(*rate_limit) if rate_limit is not None else None
    app = Starlette(routes=_routes(fake, latency))
    app.state.fake = fake
    return attach(app, "teamtailor", HOOKS, errors)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    return {"base_url": f"{base_url}/v1", "requests_per_10s": 10_000}, {"api_key": "teamtailor_key"}
