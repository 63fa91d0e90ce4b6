"""A stateful fake of Recruitee's API (``/c/{company_id}``) for tests, demos and ``atsbridge fake-ats recruitee``.

Recruitee behaviour reproduced: a personal token as ``Authorization: Bearer <token>`` (default
``recruitee_token``), the company id in every path (default ``89564``; another answers 403 "Company id is
invalid"), objects wrapped in a root key with a ``references`` side list, ``limit``/``offset`` paging (all
records when neither is given), offers' ``scope`` (archived ones only on request) and pipelines only in the
offer detail, placements embedded in candidates, list vs detail candidate views, multipart attachments,
signed file URLs under ``/files`` (no token needed), no ``updated_after`` filter and no tombstones.

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
from atsbridge.fakes.recruitee import handlers as h
from atsbridge.fakes.recruitee.control import HOOKS, errors
from atsbridge.fakes.recruitee.state import FakeState
from atsbridge.fakes.teamtailor.faults import Window

__all__ = ["FakeState", "conformance_setup", "create_app"]

Handler = h.Handler


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": [message]}, status_code=status, headers=headers)


def _truncate(response: Response) -> Response:
    body = bytes(response.body)
    return Response(body[: max(1, len(body) // 2)], status_code=response.status_code, media_type="application/json")


async def _body(request: Request) -> Any:
    if request.method not in ("POST", "PATCH", "PUT", "DELETE"):
        return None
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return h.parse_multipart(content_type, raw)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise h.Refused(400, "the body is not valid JSON") from None


def _gate(request: Request, fake: FakeState) -> Response | None:
    path, method = request.url.path, request.method
    wait = {"Retry-After": f"{fake.retry_after:.3f}"}
    if fake.faults.take("storm", path, method) is not None:
        return _error(429, "Too many requests", wait)
    failure = fake.faults.take("fail", path, method)
    if failure is not None:
        return _error(failure.status, "Service unavailable", wait)
    if request.headers.get("authorization") != f"Bearer {fake.token}":
        return _error(401, "Unauthorized")
    if request.path_params.get("company") != fake.company:
        return _error(403, "Company id is invalid")
    limited = fake.throttle()
    if limited is not None and not limited[0]:
        return _error(429, "Too many requests", {"Retry-After": f"{limited[2]:.3f}"})
    return None


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
            body = await _body(request)
            with fake.lock:
                response = handler(request, fake, body)
        except h.Refused as exc:
            return _error(exc.status, exc.message)
        stall = fake.faults.take("stall", path, request.method)
        if stall is not None:  # committed; the answer comes too late for the client
            await asyncio.sleep(stall.seconds)
        if response.media_type == "application/json" and fake.faults.take("truncate", path) is not None:
            return _truncate(response)
        return response

    return endpoint


def _routes(fake: FakeState, latency: float) -> list[Route]:
    c = "/c/{company}"
    table: list[tuple[str, Handler, list[str]]] = [
        (f"{c}/admins", h.list_admins, ["GET"]),
        (f"{c}/disqualify_reasons", h.list_reasons, ["GET"]),
        (f"{c}/offers", h.list_offers, ["GET"]),
        (f"{c}/offers/{{id}}", h.get_offer, ["GET"]),
        (f"{c}/candidates", h.list_candidates, ["GET"]),
        (f"{c}/candidates", h.create_candidate, ["POST"]),
        (f"{c}/candidates/{{id}}", h.get_candidate, ["GET"]),
        (f"{c}/candidates/{{id}}/notes", h.list_notes, ["GET"]),
        (f"{c}/candidates/{{id}}/notes", h.create_note, ["POST"]),
        (f"{c}/candidates/{{id}}/attachments", h.list_attachments, ["GET"]),
        (f"{c}/placements", h.create_placement, ["POST"]),
        (f"{c}/placements/{{id}}/change_stage", h.change_stage, ["PATCH"]),
        (f"{c}/placements/{{id}}/disqualify", h.disqualify, ["PATCH"]),
        (f"{c}/attachments", h.create_attachment, ["POST"]),
        (f"{c}/bulk/candidates/tags", h.bulk_tags, ["PATCH", "DELETE"]),
    ]
    routes = [Route(p, guarded(fake, latency, fn), methods=m) for p, fn, m in table]
    routes.append(Route("/files/{kind}/{id}", guarded(fake, latency, h.download, open_=True), methods=["GET"]))
    return routes


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    token: str = "recruitee_token",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (100, 60.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)`` is a fixed window answering 429 with ``Retry-After`` (about
    100/min is reported for trial companies); None turns it off. ``state`` serves an existing company."""
    fake = state if state is not None else FakeState.generate(seed, records, token)
    fake.window = Window(*rate_limit) if rate_limit is not None else None
    app = Starlette(routes=_routes(fake, latency))
    app.state.fake = fake
    return attach(app, "recruitee", HOOKS, errors)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    return {"base_url": base_url, "company_id": "89564", "requests_per_minute": 100_000}, {"token": "recruitee_token"}
