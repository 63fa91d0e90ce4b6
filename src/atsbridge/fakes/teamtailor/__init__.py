"""A stateful fake of Teamtailor's JSON:API (``/v1``) for tests, demos and ``atsbridge fake-ats teamtailor``.

Teamtailor behaviour reproduced: ``Authorization: Token token=<key>`` (default ``teamtailor_key``), the
mandatory ``X-Api-Version`` header (406 without a valid one), ``application/vnd.api+json`` writes (415
otherwise), ``page[size]`` 1-30 with ``links.first/next/last`` and ``meta``, ``include`` (nested paths too) with
linkage only for included relations, the documented filters (unknown ones 400), jobs listing only published
ones unless ``filter[status]`` says otherwise, ``X-Rate-Limit-*`` headers with 429 over the limit, signed
short-lived file URLs under ``/files`` (no key needed), no deletion tombstones, and signed company webhooks
(``TT-Signature`` v2) of each simulated change (``webhooks.py``).

Served by the fake engine (:mod:`atsbridge.fakes.kit`): ``app.state.fake`` is the :class:`FakeState`; mutate
it, arm faults with ``fake.faults`` and read ``fake.log``, or use the control API (``/__fake/...``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import RateLimit, Verdict
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec
from atsbridge.fakes.teamtailor import handlers as h
from atsbridge.fakes.teamtailor import writes as w
from atsbridge.fakes.teamtailor.simulate import HOOKS
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.store import BadRequest

__all__ = ["FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
#: The current version an unversioned request is told about (any ``YYYYMMDD`` from 20161108 on is accepted).
CURRENT_VERSION = "20240904"
MEDIA_TYPE = "application/vnd.api+json"
TITLES = {400: "Bad request", 401: "Unauthorized", 404: "Record not found", 406: "Not acceptable",
          413: "Payload too large", 415: "Unsupported media type", 429: "Too many requests"}  # fmt: skip


def errors(error: VendorError) -> Response:
    """JSON:API errors, answered as ``application/vnd.api+json``."""
    title = error.code or TITLES.get(error.status, "Service unavailable" if error.status >= 500 else "Error")
    body = {"errors": [{"title": title, "detail": error.message, "status": str(error.status)}]}
    return Response(orjson.dumps(body), status_code=error.status, media_type=MEDIA_TYPE, headers=error.headers)


class Window(RateLimit):
    """Teamtailor's limiter: ``limit`` requests per fixed window, reported as ``X-Rate-Limit-Limit``,
    ``-Remaining`` and ``-Reset`` (seconds until the window resets, not a timestamp)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.started, self.used = time.monotonic(), 0

    def admit(self) -> Verdict:
        now = time.monotonic()
        if now - self.started >= self.seconds:
            self.started, self.used = now, 0
        reset = max(self.seconds - (now - self.started), 0.0)
        self.used += 1
        remaining = max(self.limit - self.used, 0)
        headers = {"X-Rate-Limit-Limit": str(self.limit), "X-Rate-Limit-Remaining": str(remaining),
                   "X-Rate-Limit-Reset": f"{reset:.3f}"}  # fmt: skip
        return Verdict(self.used <= self.limit, headers)

    def storm_headers(self, retry_after: float) -> dict[str, str]:
        wait = f"{max(retry_after, 0.05):.3f}"
        return {"X-Rate-Limit-Limit": str(self.limit), "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": wait,
                "Retry-After": wait}  # fmt: skip


def _version_ok(value: str | None) -> bool:
    return value is not None and value.isdigit() and len(value) == 8 and value >= "20161108"


def _payload(call: Call[FakeState]) -> Raw | None:
    if call.request.method not in ("POST", "PATCH"):
        return None
    if call.request.headers.get("content-type", "").split(";")[0].strip() != MEDIA_TYPE:
        raise VendorError(415, f"writes must be sent as {MEDIA_TYPE}")
    parsed = call.json()
    return parsed if isinstance(parsed, dict) else None


Handler = Callable[[Request, FakeState, Raw | None], Response]


def _serve(handler: Handler) -> Callable[[Call[FakeState]], Response]:
    """The mandatory ``X-Api-Version`` (406), the JSON:API media type of writes (415), then the handler."""

    def serve(call: Call[FakeState]) -> Response:
        if not _version_ok(call.request.headers.get("x-api-version")):
            if isinstance(call.fake.rate_limit, Window):  # refused before Teamtailor's limiter counts it
                call.fake.rate_limit.used -= 1
            raise VendorError(406, f"Invalid or missing X-Api-Version; the current version is {CURRENT_VERSION}")
        try:
            return handler(call.request, call.fake, _payload(call))
        except BadRequest as exc:
            raise VendorError(exc.status, exc.detail, code=exc.title) from None

    return serve


LISTS = ("users", "reject-reasons", "departments", "locations", "custom-fields", "stages", "uploads", "answers",
         "questions", "picked-questions", "jobs", "candidates", "job-applications", "notes")  # fmt: skip
ENDPOINTS = [
    *(Endpoint("GET", f"/v1/{t}", _serve(h.list_type(t))) for t in LISTS),
    Endpoint("POST", "/v1/candidates", _serve(w.create_candidate)),
    Endpoint("PATCH", "/v1/candidates/{id}", _serve(w.update_candidate)),
    Endpoint("POST", "/v1/job-applications", _serve(w.create_application)),
    Endpoint("PATCH", "/v1/job-applications/{id}", _serve(w.update_application)),
    Endpoint("POST", "/v1/notes", _serve(w.create_note)),
    Endpoint("POST", "/v1/answers", _serve(w.create_answer)),
    Endpoint("GET", "/v1/{type}/{id}", _serve(h.get_one)),
    Endpoint("GET", "/v1/{type}/{id}/{rel}", _serve(h.get_related)),
]


async def _download(request: Request) -> Response:
    """What a signed storage URL serves: no API key, no faults."""
    fake: FakeState = request.app.state.fake
    try:
        with fake.lock:
            return h.download(request, fake, None)
    except BadRequest as exc:
        return errors(VendorError(exc.status, exc.detail, code=exc.title))


SPEC = FakeSpec(name="teamtailor", errors=errors, endpoints=ENDPOINTS, hooks=HOOKS,
                open_routes=[Route("/files/{kind}/{id}", _download, methods=["GET"])])  # fmt: skip


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
    fake.rate_limit = Window(*rate_limit) if rate_limit is not None else None
    fake.latency = latency
    return build_app(SPEC, fake)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    return {"base_url": f"{base_url}/v1", "requests_per_10s": 10_000}, {"api_key": "teamtailor_key"}
