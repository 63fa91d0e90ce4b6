"""The fake engine: serves a :class:`~atsbridge.fakes.kit.spec.FakeSpec` over a
:class:`~atsbridge.fakes.kit.state.FakeBase` state as a Starlette app, with the control API mounted.

Every API request goes the same way: logged, ``latency``, auth (401 in the vendor's shape), faults armed for
it (slow, then fail/storm/timeout/invalid page: nothing is done), the rate-limit policy (429), the handler
under the state's lock, then the late faults (stall after commit, truncate). Refusals are counted by status.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.kit.control import control_routes
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.log import BODY_KEPT, Logged
from atsbridge.fakes.kit.paging import Reply
from atsbridge.fakes.kit.respond import early, error_response, late
from atsbridge.fakes.kit.spec import MAX_BODY, Call, Endpoint, FakeSpec, StatusReply
from atsbridge.fakes.kit.state import FakeBase


def _response(result: Any, headers: dict[str, str]) -> Response:
    if isinstance(result, Response):
        for key, value in headers.items():
            result.headers.setdefault(key, value)
        return result
    if result is None:
        return Response(status_code=204, headers=headers)
    status = result.status if isinstance(result, StatusReply) else 200
    if isinstance(result, Reply):
        headers, result = {**headers, **result.headers}, result.body
    return Response(orjson.dumps(result), status_code=status, media_type="application/json", headers=headers)


def endpoint(spec: FakeSpec, fake: FakeBase, route: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        body = await request.body()
        query = dict(request.query_params)
        entry = Logged(request.method, request.url.path, request.url.query, body[:BODY_KEPT])
        fake.log.add(entry)
        response = await _serve(request, body, query)
        entry.status = response.status_code
        if response.status_code >= 400:
            fake.counters[str(response.status_code)] += 1
        return response

    async def _serve(request: Request, body: bytes, query: dict[str, str]) -> Response:
        if fake.latency:
            await asyncio.sleep(fake.latency)
        if len(body) > MAX_BODY:
            return error_response(spec.errors, VendorError(413, "Request body too large"))
        principal = fake.auth.check(request) if fake.auth is not None else None
        if principal is None:
            challenge = fake.auth.challenge if fake.auth is not None else {}
            return error_response(spec.errors, VendorError(401, "Unauthorized: missing, invalid or expired credentials",
                                                           headers=challenge))  # fmt: skip
        fake.counters["requests"] += 1
        faults = fake.faults.begin(request.method, request.url.path, query)
        refusal = await early(faults, fake.rate_limit, spec.pager, query)
        if refusal is not None:
            return error_response(spec.errors, refusal)
        headers: dict[str, str] = {}
        if fake.rate_limit is not None:
            verdict = fake.rate_limit.admit()
            headers = dict(verdict.headers)
            if not verdict.allowed:
                return error_response(spec.errors, VendorError(429, "Rate limit exceeded"), headers)
        call = Call(request, fake, principal, body, headers)
        try:
            with fake.lock:
                result = route.handler(call)
        except VendorError as exc:
            return await late(faults, error_response(spec.errors, exc, call.headers))
        return await late(faults, _response(result, call.headers))

    return serve


def build_app(spec: FakeSpec, fake: FakeBase) -> Starlette:
    """The fake's app: control API, the auth scheme's own routes, open routes, then the API."""
    api = [Route(e.path, endpoint(spec, fake, e), methods=[e.method]) for e in spec.endpoints]
    auth_routes = fake.auth.routes() if fake.auth is not None else []
    app = Starlette(routes=[*control_routes(spec.name, spec.hooks), *auth_routes, *spec.open_routes, *api])
    app.state.fake = fake
    app.state.kit = fake
    return app


Generate = Callable[[int, int, "tuple[int, float] | None"], FakeBase]


#: ``serve(spec, fake) -> app``: how a fake's app is built from its state; :func:`build_app` unless the vendor
#: adds to it (a catch-all route, a middleware, an auth scheme that needs the generated state).
Serve = Callable[[FakeSpec, Any], Starlette]


def app_factory(spec: FakeSpec, generate: Generate, rate_limit: tuple[int, float] | None, *,
                serve: Serve = build_app) -> Callable[..., Starlette]:  # fmt: skip
    """A fake's ``create_app(seed=1, records=200, *, latency=0.0, rate_limit=<the vendor's>, state=None)``: a
    generated tenant (or the given ``state`` as is) served by ``spec``. Every fake offers this same signature,
    which the contract suite, ``fake-ats`` and the benchmarks call."""
    vendor_rate = rate_limit

    def create_app(
        seed: int = 1,
        records: int = 200,
        *,
        latency: float = 0.0,
        rate_limit: tuple[int, float] | None = vendor_rate,
        state: FakeBase | None = None,
    ) -> Starlette:
        fake = state if state is not None else generate(seed, records, rate_limit)
        fake.latency = latency
        return serve(spec, fake)

    return create_app
