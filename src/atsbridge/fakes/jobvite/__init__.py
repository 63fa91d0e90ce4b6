"""A stateful fake of Jobvite's v2 API for tests and demos (``atsbridge fake-ats jobvite``).

**Only Jobvite's error envelope was ever recorded** (``payloads/error_401.json``, ``error_404.json``: a
third-party probe of api.jobvite.com). Every other shape is built field by field from what a working
open-source v2 client reads (``kippnorcal/jobvite``: its field lists and an anonymised candidate fixture) and a
third-party production mapping (reference §1.6): ``/candidate`` rows are a candidate (``eId``, ``firstName``,
``lastName``, ``email``, address and phone fields, ``workStatus``...) with one ``application`` (``eId``,
``workflowState``, ``workflowStateEId``, ``disposition``, ``source``/``sourceType``/``jobviteChannel``,
``lastUpdatedDate``/``sentDate``/``hireDate``/``startDate`` in epoch ms, EEO fields, ``customField[]``, inline
``resume``, and the ``job`` summary with hiring managers and recruiters); ``/job`` rows are requisitions
(``jobState``, ``locations[]``, ``applyLink``...). Whether success bodies carry ``status`` too is [3p]: served.

Served: ``GET /api/v2/candidate`` (``start``/``count`` paging, 0-based, ``count`` at most 500; ``datestart``
+ ``dateFormat`` (last-updated date, UTC here), ``candidateId``, ``applicationId``, ``wflowstate``),
``GET /api/v2/job`` (``start``/``count``, ``jobStatus``), ``POST /api/v2/candidate`` (201; 400/404/409).
Auth: headers ``x-jvi-api`` + ``x-jvi-sc``. **Refusals are sent with HTTP 200** and the real code in
``status.code`` (bad key 401, bad input 400, duplicate 409...), the worst case the reference describes; 5xx
keep their status, and so do throttles (429 with ``Retry-After``: the engine's storm contract; how Jobvite
answers a throttle is unrecorded, and the connector reads a 429 in either place). Unknown ``/api/v2/*``
routes answer the recorded 404 envelope before any auth check, as the probe saw. The rate window is the
vendor's 15 requests/minute (the hourly and daily caps are not modelled). No deletion feed: deleted
candidates simply stop being listed. Built on the fake engine: faults, the request log and the control API
(``/__fake/...``) are the kit's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atsbridge.fakes.jobvite.simulate import HOOKS
from atsbridge.fakes.jobvite.state import FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory, build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, StatusReply, reply

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/api/v2"
BAD_KEY = "Invalid api/secret. Try again with a valid api/secret"
NO_ROUTE = "Invalid URL Cannot find API."
OK = {"code": 200, "messages": ["OK"]}
#: 4xx refusals Jobvite sends with HTTP 200. A throttle keeps its 429 here: the engine's storm contract is an
#: HTTP 429 on every fake, and where Jobvite's throttle answers is unrecorded (the connector reads both).
REFUSALS_AS_200 = frozenset({400, 401, 403, 404, 405, 409, 413, 422})


def errors(error: VendorError) -> Any:
    return {"status": {"code": error.status, "messages": [BAD_KEY if error.status == 401 else error.message]}}


class Http200Errors:
    """Jobvite's quirk as middleware: a refusal under ``/api/v2`` goes out with HTTP 200 (the body keeps the
    real code)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(API):
            await self.app(scope, receive, send)
            return

        async def patched(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REFUSALS_AS_200:
                message = {**message, "status": 200}
            await send(message)

        await self.app(scope, receive, patched)


def _int(call: Call[FakeState], name: str, default: int, top: int) -> int:
    raw = call.query.get(name, str(default))
    if not raw.isdigit() or int(raw) > top:
        raise VendorError(400, f"{name} must be an integer between 0 and {top}")
    return int(raw)


def _page(call: Call[FakeState], key: str, rows: list[Raw]) -> Raw:
    start, count = _int(call, "start", 0, 10**9), _int(call, "count", 100, 500)
    count = min(count, call.fake.page_cap or count)
    return {"status": OK, "total": len(rows), key: rows[start : start + count]}


def _since(call: Call[FakeState]) -> Callable[[int], bool]:
    """``datestart``/``dateend`` (inclusive dates, in ``dateFormat``, default ``MM/dd/yyyy``)."""
    fmt = {"yyyy-MM-dd": "%Y-%m-%d", "MM/dd/yyyy": "%m/%d/%Y", "MM-dd-yyyy": "%m-%d-%Y"}.get(
        call.query.get("dateFormat", "MM/dd/yyyy")
    )
    if fmt is None:
        raise VendorError(400, f"Unsupported dateFormat {call.query['dateFormat'][:40]!r}")
    bounds = []
    for name in ("datestart", "dateend"):
        try:
            bounds.append(datetime.strptime(call.query[name], fmt).date() if call.query.get(name) else None)
        except ValueError:
            raise VendorError(400, f"{name} does not match dateFormat") from None
    lo, hi = bounds
    return lambda stamp: (lo is None or _day(stamp) >= lo) and (hi is None or _day(stamp) <= hi)


def _day(stamp: int) -> Any:
    return datetime.fromtimestamp(stamp / 1000, UTC).date()


def list_candidates(call: Call[FakeState]) -> Raw:
    fake, q = call.fake, call.query
    keep = _since(call)
    ids = [a for a in sorted(fake.applications) if keep(fake.applications[a]["lastUpdatedDate"])]
    if q.get("applicationId"):
        ids = [a for a in ids if a == q["applicationId"]]
    if q.get("candidateId"):
        ids = [a for a in ids if fake.applications[a]["_candidate"] == q["candidateId"]]
    if q.get("wflowstate"):
        ids = [a for a in ids if fake.applications[a]["workflowState"] == q["wflowstate"]]
    return _page(call, "candidates", [fake.row(a) for a in ids])


def list_jobs(call: Call[FakeState]) -> Raw:
    jobs = [call.fake.jobs[j] for j in sorted(call.fake.jobs)]
    if call.query.get("jobStatus"):
        jobs = [j for j in jobs if j["jobState"].lower() == call.query["jobStatus"].lower()]
    return _page(call, "requisitions", jobs)


def create(call: Call[FakeState]) -> StatusReply:
    app = call.fake.create(call.json_object())
    body = {"status": {"code": 201, "messages": ["Candidate created"]},
            "application": {"EId": app["eId"], "candidate": {"EId": app["_candidate"]}}}  # fmt: skip
    return reply(body, 201)


async def no_route(request: Request) -> Response:
    return Response(orjson.dumps({"status": {"code": 404, "messages": [NO_ROUTE]}}), 404, media_type="application/json")


SPEC = FakeSpec(
    name="jobvite",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{API}/candidate", list_candidates),
        Endpoint("POST", f"{API}/candidate", create),
        Endpoint("GET", f"{API}/job", list_jobs),
    ],
)


def _serve(spec: FakeSpec, fake: FakeState) -> Starlette:
    """Jobvite's catch-all 404 and its errors answered as HTTP 200 around the engine's app."""
    app = build_app(spec, fake)
    app.router.routes.append(Route(f"{API}/{{rest:path}}", no_route, methods=["GET", "POST", "PUT", "DELETE"]))
    app.add_middleware(Http200Errors)
    return app


#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(15, 60.0), serve=_serve)


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}"},
    {"api_key": "jv_key", "api_secret": "jv_secret"},
)
