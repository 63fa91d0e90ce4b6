"""A stateful fake of Workable's SPI v3 for tests, demos and the conformance suite.

Served under ``/spi/v3`` with ``Authorization: Bearer <token>`` (default ``workable_token``): members, stages,
disqualification_reasons (bare array), departments (bare array), jobs (+ ``/{shortcode}``, ``/stages``,
``/questions``, ``/members``), candidates (+ ``/{id}``, ``/activities``, ``/offer``), events, and the writes
(create on a job, move, disqualify, revert, comments, ratings, tags, update), and webhook subscriptions
(``webhooks.py``: ``POST|GET /subscriptions``, ``DELETE /subscriptions/{id}``; simulated changes are pushed
signed). Resumes are served as signed links (``/_files/resumes/{id}?sig=``) outside the API, as Workable's
temporary ``resume_url`` are.

Workable behaviour reproduced: ``{"<items>": [...], "paging": {"next": <full URL>}}`` with ``since_id`` keyset
paging by ascending id and no ``paging`` key on the last page; ``limit`` <= 100; ``created_after`` /
``updated_after`` in ISO 8601 (basic or extended) or unix seconds; unknown query parameters refused (422, so
connector mistakes show); a fixed-window rate limit with ``X-Rate-Limit-Limit/Remaining/Reset`` headers and 429.
Served by the fake engine (:mod:`atsbridge.fakes.kit`): auth, faults, the request log, the rate window and
the control API come from there. ``app.state.fake`` is the :class:`FakeState`: mutate it, arm faults with
``fake.faults`` and read ``fake.log``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec
from atsbridge.fakes.workable import generate as g
from atsbridge.fakes.workable import writes as w
from atsbridge.fakes.workable.simulate import HOOKS
from atsbridge.fakes.workable.state import FakeState, WorkableError
from atsbridge.fakes.workable.webhooks import ROUTES as WEBHOOK_ROUTES

__all__ = ["FakeState", "create_app", "conformance_setup"]

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState, Raw], Response]
API = "/spi/v3"


def _since(value: str, name: str) -> datetime:
    """ISO 8601 (``20150708T115616Z`` or ``2015-07-08T11:56:16Z``) or unix seconds."""
    try:
        if value.isdigit():
            return datetime.fromtimestamp(int(value), UTC)
        if "-" not in value[:8]:
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return g.parse(value)
    except ValueError:
        raise WorkableError(422, f"{name}: invalid timestamp {value!r}") from None


def _query(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    query = dict(request.query_params)
    unknown = set(query) - set(allowed) - {"limit", "since_id", "max_id"}
    if unknown:
        raise WorkableError(422, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    return query


def paged(request: Request, fake: FakeState, key: str, records: Iterable[Raw]) -> Response:
    """One page by ascending id from ``since_id`` (inclusive); ``paging`` only when more records follow."""
    query = dict(request.query_params)
    raw_limit = query.get("limit", "50")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 100:
        raise WorkableError(422, "limit must be between 1 and 100")
    limit = min(int(raw_limit), fake.page_cap or 100)
    rows = sorted(records, key=lambda r: str(r["id"]))
    if "since_id" in query:
        rows = [r for r in rows if str(r["id"]) >= query["since_id"]]
    if "max_id" in query:
        rows = [r for r in rows if str(r["id"]) <= query["max_id"]]
    body: Raw = {key: rows[:limit]}
    if len(rows) > limit:
        following = {**query, "since_id": str(rows[limit]["id"])}
        body["paging"] = {"next": f"{str(request.base_url).rstrip('/')}{request.url.path}?{urlencode(following)}"}
    return JSONResponse(body)


def _changed(query: dict[str, str], record: Raw) -> bool:
    for name, column in (("created_after", "created_at"), ("updated_after", "updated_at")):
        if name in query and not g.parse(record[column]) > _since(query[name], name):
            return False
    return True


# -------------------------------------------------------------------------------------------------- reads
def list_members(request: Request, fake: FakeState, _: Raw) -> Response:
    query = _query(request, ("status", "role", "email", "name", "shortcode"))
    rows = [m for m in fake.members if query.get("status") != "active" or m.get("active", True)]
    return paged(request, fake, "members", rows)


def list_jobs(request: Request, fake: FakeState, _: Raw) -> Response:
    query = _query(request, ("state", "created_after", "updated_after", "include_fields"))
    shape = g.job_list_shape()
    rows = [g.project(j, shape) for j in fake.jobs.values() if _changed(query, j) and
            query.get("state") in (None, j["state"])]  # fmt: skip
    return paged(request, fake, "jobs", rows)


def _job(fake: FakeState, shortcode: str) -> Raw:
    job = fake.jobs.get(shortcode)
    if job is None:
        raise WorkableError(404, "Not found")
    return job


def get_job(request: Request, fake: FakeState, _: Raw) -> Response:
    return JSONResponse(g.project(_job(fake, request.path_params["shortcode"]), g.job_detail_shape()))


def job_sub(request: Request, fake: FakeState, _: Raw) -> Response:
    shortcode, sub = request.path_params["shortcode"], request.path_params["sub"]
    _job(fake, shortcode)
    tables = {"stages": fake.job_stages, "questions": fake.questions, "members": fake.job_members}
    if sub not in tables:
        raise WorkableError(404, "Not found")
    rows = tables[sub].get(shortcode, [])
    return paged(request, fake, sub, rows) if sub == "members" else JSONResponse({sub: rows})


def list_candidates(request: Request, fake: FakeState, _: Raw) -> Response:
    query = _query(request, ("shortcode", "stage", "email", "created_after", "updated_after"))
    shape = g.candidate_list_shape()
    rows = [
        g.project(c, shape) for c in fake.candidates.values()
        if _changed(query, c) and query.get("shortcode") in (None, c["job"]["shortcode"])
        and query.get("email", "").lower() in ("", str(c["email"]).lower())
        and query.get("stage") in (None, fake_slug(fake, c))
    ]  # fmt: skip
    return paged(request, fake, "candidates", rows)


def fake_slug(fake: FakeState, cand: Raw) -> str | None:
    stages = fake.job_stages.get(cand["job"]["shortcode"], [])
    return next((s["slug"] for s in stages if s["name"] == cand["stage"]), None)


def _signature(fake: FakeState, candidate_id: str) -> str:
    return hashlib.sha256(f"{fake.token}:{candidate_id}".encode()).hexdigest()[:16]


def get_candidate(request: Request, fake: FakeState, _: Raw) -> Response:
    cid = request.path_params["id"]
    detail = g.project(fake.candidate(cid), g.candidate_detail_shape())
    if cid in fake.resumes:
        detail["resume_url"] = f"{str(request.base_url).rstrip('/')}/_files/resumes/{cid}?sig={_signature(fake, cid)}"
    return JSONResponse({"candidate": detail})


def candidate_activities(request: Request, fake: FakeState, _: Raw) -> Response:
    cid = request.path_params["id"]
    fake.candidate(cid)
    return paged(request, fake, "activities", fake.activities.get(cid, []))


def candidate_offer(request: Request, fake: FakeState, _: Raw) -> Response:
    return JSONResponse(fake.offer(request.path_params["id"]))


def list_events(request: Request, fake: FakeState, _: Raw) -> Response:
    query = _query(request, ("candidate_id", "shortcode", "member_id", "type", "start_date", "end_date"))
    rows = [e for e in fake.events.values() if query.get("candidate_id") in (None, e["candidate"]["id"])]
    return paged(request, fake, "events", rows)


def static(read: Callable[[FakeState], Any]) -> Handler:
    return lambda request, fake, _: JSONResponse(read(fake))


async def resume_file(request: Request) -> Response:
    """The signed resume link (no API token, as storage links take none)."""
    fake: FakeState = request.app.state.fake
    cid = request.path_params["id"]
    with fake.lock:
        content = fake.resumes.get(cid)
        meta = (fake.candidates.get(cid) or {}).get("resume_metadata") or {}
        valid = request.query_params.get("sig") == _signature(fake, cid)
    if not valid:
        return Response(b"<Error>AccessDenied</Error>", status_code=403, media_type="application/xml")
    if content is None:
        return Response(b"<Error>NoSuchKey</Error>", status_code=404, media_type="application/xml")
    headers = {"Content-Disposition": f'attachment; filename="{meta.get("filename", cid + ".pdf")}"'}
    return Response(content, media_type="application/pdf", headers=headers)


# ------------------------------------------------------------------------------------------------- writes
def post_candidate(request: Request, fake: FakeState, body: Raw) -> Response:
    stage = request.query_params.get("stage")
    cand = w.create_candidate(fake, request.path_params["shortcode"], body, stage)
    return JSONResponse({"status": "created", "candidate": g.project(cand, g.candidate_detail_shape())})


def candidate_action(request: Request, fake: FakeState, body: Raw) -> Response:
    cid, action = request.path_params["id"], request.path_params["action"]
    actions: dict[str, Callable[[FakeState, str, Raw], Any]] = {
        "move": w.move, "disqualify": w.disqualify, "revert": w.revert, "comments": w.comment, "ratings": w.rate,
    }  # fmt: skip
    if action not in actions:
        raise WorkableError(404, "Not found")
    answer = actions[action](fake, cid, body)
    return JSONResponse(answer) if answer is not None else Response(b"", status_code=200)


def put_tags(request: Request, fake: FakeState, body: Raw) -> Response:
    return JSONResponse(w.set_tags(fake, request.path_params["id"], body))


def patch_candidate(request: Request, fake: FakeState, body: Raw) -> Response:
    cand = w.update(fake, request.path_params["id"], body)
    return JSONResponse({"candidate": g.project(cand, g.candidate_detail_shape())})


# ---------------------------------------------------------------------------------------------- the spec
def errors(error: VendorError) -> Any:
    return {"error": error.message}


def _endpoint(method: str, path: str, handler: Handler) -> Endpoint:
    """Old-style handlers get the parsed body; every write body is kept in ``fake.bodies`` (whole, as sent)."""

    def serve(call: Call[FakeState]) -> Any:
        body = call.json_object() if method != "GET" else {}
        if method != "GET":
            call.fake.bodies.append((f"{method} {call.request.url.path}", body))
        return handler(call.request, call.fake, body)

    return Endpoint(method, API + path, serve)


READS: list[tuple[str, Handler]] = [
    ("/members", list_members),
    ("/stages", static(lambda f: {"stages": f.account_stages})),
    ("/disqualification_reasons", static(lambda f: f.reasons)),
    ("/departments", static(lambda f: g.template("departments.json"))),
    ("/jobs", list_jobs),
    ("/jobs/{shortcode}", get_job),
    ("/jobs/{shortcode}/{sub}", job_sub),
    ("/candidates", list_candidates),
    ("/candidates/{id}", get_candidate),
    ("/candidates/{id}/activities", candidate_activities),
    ("/candidates/{id}/offer", candidate_offer),
    ("/events", list_events),
]
WRITES: list[tuple[str, str, Handler]] = [
    ("POST", "/jobs/{shortcode}/candidates", post_candidate),
    ("POST", "/candidates/{id}/{action}", candidate_action),
    ("PUT", "/candidates/{id}/tags", put_tags),
    ("PATCH", "/candidates/{id}", patch_candidate),
    *WEBHOOK_ROUTES,
]
SPEC = FakeSpec(
    name="workable",
    errors=errors,
    endpoints=[*(_endpoint("GET", p, h) for p, h in READS), *(_endpoint(m, p, h) for m, p, h in WRITES)],
    hooks=HOOKS,
    open_routes=[Route("/_files/resumes/{id}", resume_file, methods=["GET"])],
)


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    token: str = "workable_token",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (10, 10.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)``: n requests per fixed window (Workable: 10 per 10 s for
    account tokens); None turns it off. ``state`` serves an existing account instead of a new one."""
    fake = state if state is not None else FakeState.generate(seed, records, token)
    fake.rate_limit = FixedWindow(*rate_limit, prefix="X-Rate-Limit-") if rate_limit is not None else None
    fake.latency = latency
    return build_app(SPEC, fake)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    return {"base_url": f"{base_url}{API}", "requests_per_10s": 100_000}, {"token": "workable_token"}
