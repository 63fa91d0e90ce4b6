"""A stateful fake of SmartRecruiters' Customer API (and the public Posting API) for tests and demos.

Auth: ``X-SmartToken`` (default ``sr_token``). Served: ``/user-api/v201804/users``, ``/configuration/
rejection-reasons``, ``/configuration/hiring-processes/{id}``, ``/jobs`` (``updatedAfter``), ``/jobs/{id}``,
``/jobs/{id}/hiring-team``, ``/candidates`` (``updatedAfter``, ``q``), ``/candidates/{id}``,
``/candidates/{id}/jobs/{jobId}``, ``/candidates/{id}/attachments[/{attachmentId}]``, ``/candidates/{id}/tags``,
``/v1/companies/{company}/postings``; writes ``POST /jobs/{id}/candidates``, ``PUT .../status``, tags
(POST adds, PUT replaces), attachments (multipart), ``POST /messages/shares``; the Webhooks API
(``/webhooks-api/v201907/subscriptions``, with the ``X-Hook-Secret`` activation handshake) and signed webhooks
of each simulated change (``webhooks.py``).

SmartRecruiters behaviour reproduced: cursor paging (``limit`` 1-100, ``pageId``/``nextPageId`` and a
``Link: rel="next"`` header); the **concurrency limits** - more than ``max_in_flight`` (8) requests in flight,
or more than ``max_candidates_in_flight`` (1) ``GET /candidates`` listings, answer 429 with ``Retry-After``
(counted in ``concurrency_429s``; ``peak_in_flight`` records the highest concurrency seen: :class:`InFlight`,
around the engine, which has no concurrency limit); a per-second rate limit (``rate_limit``) answering 429;
``X-RateLimit-*`` headers. The public Posting API needs no auth (an open route). Runs on the fake engine:
faults, request log and control API from ``atsbridge.fakes.kit``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.bamboohr.faults import parse_form
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.paging import Reply
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.smartrecruiters.simulate import HOOKS, errors
from atsbridge.fakes.smartrecruiters.state import FakeState, SrError
from atsbridge.fakes.smartrecruiters.webhooks import ENDPOINTS as WEBHOOK_ENDPOINTS

Raw = dict[str, Any]
C = Call[FakeState]

__all__ = ["FakeState", "conformance_setup", "create_app"]


def paged(call: C, records: list[Raw]) -> Reply:
    """Cursor paging (``limit`` 1-100): ``pageId`` is the index of the next record, opaque to the client."""
    raw = call.query.get("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise SrError(400, "limit must be between 1 and 100")
    limit, token = int(raw), call.query.get("pageId")
    if token and not (token.startswith("pg") and token[2:].isdigit()):
        raise SrError(400, "Invalid pageId")
    start = int(token[2:]) if token else 0
    body: Raw = {"limit": limit, "totalFound": len(records), "content": records[start : start + limit]}
    headers = {}
    if start + limit < len(records):
        body["nextPageId"] = f"pg{start + limit}"
        headers["Link"] = f'<{call.request.url.include_query_params(pageId=body["nextPageId"])}>; rel="next"'
    return Reply(body, headers)


def _updated_after(call: C, record: Raw) -> bool:
    value = call.query.get("updatedAfter")
    if not value:
        return True
    try:
        return parse_ts(record["updatedOn"]) > parse_ts(value)
    except ValueError:
        raise SrError(400, "updatedAfter must be ISO-8601") from None


def _found(table: dict[Any, Raw], key: Any, what: str) -> Raw:
    if key not in table:
        raise SrError(404, f"{what} not found")
    return table[key]


# ------------------------------------------------------------------------------------------------ reads
def _job_summary(job: Raw) -> Raw:
    keys = ("id", "title", "refNumber", "status", "postingStatus", "createdOn", "updatedOn", "lastActivityOn",
            "department", "location", "actions")  # fmt: skip
    return {k: job.get(k) for k in keys}


def list_jobs(call: C) -> Reply:
    jobs = sorted(call.fake.jobs.values(), key=lambda j: (j["createdOn"], j["id"]))
    return paged(call, [_job_summary(j) for j in jobs if _updated_after(call, j)])


def get_team(call: C) -> Raw:
    _found(call.fake.jobs, call.path["id"], "Job")
    team = call.fake.teams.get(call.path["id"], [])
    return {"totalFound": len(team), "content": team}


async def list_postings(request: Request) -> Response:
    """The public Posting API: no auth needed, ``offset``/``limit`` with ``totalFound``."""
    fake: FakeState = request.app.state.fake
    offset = int(request.query_params.get("offset", "0"))
    limit = min(int(request.query_params.get("limit", "10")), 100)
    found = fake.postings if request.path_params["company"] == fake.company else []
    return JSONResponse({"offset": offset, "limit": limit, "totalFound": len(found),
                         "content": found[offset : offset + limit]})  # fmt: skip


def list_candidates(call: C) -> Reply:
    needle = (call.query.get("q") or "").lower()
    cands = sorted(call.fake.candidates.values(), key=lambda c: (c["createdOn"], c["id"]))
    cands = [c for c in cands if _updated_after(call, c)]
    if needle:
        text = ("firstName", "lastName", "email")
        cands = [c for c in cands if needle in " ".join(str(c.get(k) or "") for k in text).lower()]
    return paged(call, [call.fake.summary(c) for c in cands])


def list_files(call: C) -> Raw:
    _found(call.fake.candidates, call.path["id"], "Candidate")
    files = call.fake.files(call.path["id"])
    return {"totalFound": len(files), "content": files}


def get_file(call: C) -> Response:
    found = [f for f in call.fake.attachments.get(call.path["id"], []) if f["id"] == call.path["file"]]
    if not found:
        raise SrError(404, "Attachment not found")
    headers = {"Content-Disposition": f'attachment; filename="{found[0]["name"]}"'}
    return Response(found[0]["_content"], media_type=found[0]["contentType"], headers=headers)


# ----------------------------------------------------------------------------------------------- writes
def _body(call: C) -> Raw:
    body = call.json()
    if not isinstance(body, dict):
        raise SrError(400, "Malformed JSON")
    return body


def put_status(call: C) -> None:
    body = _body(call)
    call.fake.set_status(call.path["id"], call.path["job"], str(body.get("status")), body.get("subStatus"),
                         body.get("reason"))  # fmt: skip


def post_tags(call: C) -> Any:
    cid, tags = call.path["id"], _body(call).get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise SrError(400, "tags must be a list of strings")
    existing = _found(call.fake.candidates, cid, "Candidate").get("tags") or []
    return reply(call.fake.set_tags(cid, existing + tags if call.request.method == "POST" else tags), 201)


def post_file(call: C) -> Any:
    fields, files = parse_form(call.request.headers.get("content-type", ""), call.body)
    if "file" not in files:
        raise SrError(400, "A multipart 'file' part is required")
    name, content, _ = files["file"]
    made = call.fake.add_file(call.path["id"], call.path.get("job"), fields.get("attachmentType", "GENERIC"),
                              name, content)  # fmt: skip
    return reply(made, 201)


def post_note(call: C) -> Any:
    body = _body(call)
    if not str(body.get("content") or "").strip() or not body.get("correlationId"):
        raise SrError(400, "content and correlationId are required")
    return reply(call.fake.add_note(str(body["correlationId"]), str(body["content"]), body.get("shareWith") or {}),
                 201)  # fmt: skip


def _app(call: C) -> Raw:
    return _found(call.fake.applications, (call.path["id"], call.path["job"]), "Application")


SPEC = FakeSpec(
    name="smartrecruiters",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", "/user-api/v201804/users", lambda call: paged(call, call.fake.users)),
        Endpoint("GET", "/configuration/rejection-reasons",
                 lambda call: {"totalFound": len(call.fake.reasons), "content": call.fake.reasons}),
        Endpoint("GET", "/configuration/hiring-processes/{id}",
                 lambda call: _found(call.fake.processes, call.path["id"], "Hiring process")),
        Endpoint("GET", "/jobs", list_jobs),
        Endpoint("GET", "/jobs/{id}", lambda call: _found(call.fake.jobs, call.path["id"], "Job")),
        Endpoint("GET", "/jobs/{id}/hiring-team", get_team),
        Endpoint("GET", "/candidates", list_candidates),
        Endpoint("GET", "/candidates/{id}",
                 lambda call: call.fake.details(_found(call.fake.candidates, call.path["id"], "Candidate"))),
        Endpoint("GET", "/candidates/{id}/jobs/{job}", _app),
        Endpoint("GET", "/candidates/{id}/attachments", list_files),
        Endpoint("GET", "/candidates/{id}/attachments/{file}", get_file),
        Endpoint("GET", "/candidates/{id}/tags",
                 lambda call: {"tags": _found(call.fake.candidates, call.path["id"], "Candidate").get("tags") or []}),
        Endpoint("POST", "/jobs/{id}/candidates",
                 lambda call: reply(call.fake.create_candidate(call.path["id"], _body(call)), 201)),
        Endpoint("PUT", "/candidates/{id}/jobs/{job}/status", put_status),
        Endpoint("POST", "/candidates/{id}/tags", post_tags),
        Endpoint("PUT", "/candidates/{id}/tags", post_tags),
        Endpoint("POST", "/candidates/{id}/attachments", post_file),
        Endpoint("POST", "/candidates/{id}/jobs/{job}/attachments", post_file),
        Endpoint("POST", "/messages/shares", post_note),
        *WEBHOOK_ENDPOINTS,
    ],
    open_routes=[Route("/v1/companies/{company}/postings", list_postings)],
)  # fmt: skip


class InFlight:
    """SmartRecruiters' concurrency limits around the engine: more than ``max_in_flight`` requests in flight,
    or more than ``max_candidates_in_flight`` ``GET /candidates`` listings, answer 429 with ``Retry-After``."""

    def __init__(self, app: Starlette, fake: FakeState):
        self.app, self.fake = app, fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fake, path = self.fake, str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith("/__fake"):
            return await self.app(scope, receive, send)
        listing = scope["method"] == "GET" and path == "/candidates"
        fake.in_flight += 1
        fake.candidates_in_flight += listing
        fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
        limits = {"X-RateLimit-Concurrent-Limit": str(fake.max_in_flight)}
        try:
            if fake.in_flight > fake.max_in_flight or fake.candidates_in_flight > fake.max_candidates_in_flight:
                fake.concurrency_429s += 1
                await asyncio.sleep(fake.latency)  # a refused request still takes its time on the wire
                body = errors(SrError(429, "Too many concurrent requests"))
                return await JSONResponse(body, 429, {"Retry-After": "0.05", **limits})(scope, receive, send)

            async def counted(message: Any) -> None:
                if message["type"] == "http.response.start":
                    left = str(max(fake.max_in_flight - fake.in_flight, 0))
                    message["headers"] = [*message.get("headers", []), (b"x-ratelimit-concurrent-limit",
                                          limits["X-RateLimit-Concurrent-Limit"].encode()),
                                          (b"x-ratelimit-concurrent-remaining", left.encode())]  # fmt: skip
                await send(message)

            return await self.app(scope, receive, counted)
        finally:
            fake.in_flight -= 1
            fake.candidates_in_flight -= listing


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    token: str = "sr_token",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (10, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API with about ``records`` applications. ``rate_limit=None`` turns the per-second limit off;
    the concurrency limits stay (tune ``max_in_flight`` / ``max_candidates_in_flight`` on the state)."""
    fake = state if state is not None else FakeState.generate(seed, records, token)
    fake.latency = latency
    # 10 requests/s per endpoint, without X-RateLimit-Limit/Remaining headers (only the concurrency ones)
    fake.rate_limit = FixedWindow(*rate_limit, announce=False) if rate_limit is not None else None
    app = build_app(SPEC, fake)
    app.add_middleware(InFlight, fake=fake)  # type: ignore[arg-type]
    return app


conformance_setup = conformance(
    lambda base_url: {"base_url": base_url, "company_identifier": "AcmeInc"},
    {"token": "sr_token"},
)
