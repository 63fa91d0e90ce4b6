"""A stateful fake of SmartRecruiters' Customer API (and the public Posting API) for tests and demos.

Auth: ``X-SmartToken`` (default ``sr_token``). Served: ``/user-api/v201804/users``, ``/configuration/
rejection-reasons``, ``/configuration/hiring-processes/{id}``, ``/jobs`` (``updatedAfter``), ``/jobs/{id}``,
``/jobs/{id}/hiring-team``, ``/candidates`` (``updatedAfter``, ``q``), ``/candidates/{id}``,
``/candidates/{id}/jobs/{jobId}``, ``/candidates/{id}/attachments[/{attachmentId}]``, ``/candidates/{id}/tags``,
``/v1/companies/{company}/postings``; writes ``POST /jobs/{id}/candidates``, ``PUT .../status``, tags
(POST adds, PUT replaces), attachments (multipart), ``POST /messages/shares``.

SmartRecruiters behaviour reproduced: cursor paging (``limit`` 1-100, ``pageId``/``nextPageId`` and a
``Link: rel="next"`` header); the **concurrency limits** - more than ``max_in_flight`` (8) requests in flight,
or more than ``max_candidates_in_flight`` (1) ``GET /candidates`` listings, answer 429 with ``Retry-After``
(counted in ``concurrency_429s``; ``peak_in_flight`` records the highest concurrency seen); a per-second rate
limit (``rate_limit``) answering 429; ``X-RateLimit-*`` headers. Failure knobs on ``app.state.fake``:
``fail_next``, ``rate_limit_storm``, ``truncate_next``, ``slow_next``, ``hang_after_commit``.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.bamboohr.faults import parse_form, truncated
from atsbridge.fakes.kit.legacy import attach
from atsbridge.fakes.smartrecruiters.control import HOOKS, errors
from atsbridge.fakes.smartrecruiters.state import FakeState, SrError

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState], Awaitable[Response]]

__all__ = ["FakeState", "conformance_setup", "create_app"]


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"message": message, "errors": [{"code": str(status), "message": message}]},
                        status_code=status, headers=headers)  # fmt: skip


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise SrError(400, "limit must be between 1 and 100")
    return int(raw)


def paged(request: Request, records: list[Raw]) -> Response:
    """Cursor paging: ``pageId`` is the index of the next record, opaque to the client."""
    limit = _limit(request)
    token = request.query_params.get("pageId")
    start = int(token[2:]) if token and token.startswith("pg") and token[2:].isdigit() else 0
    if token and not (token.startswith("pg") and token[2:].isdigit()):
        raise SrError(400, "Invalid pageId")
    chunk = records[start : start + limit]
    body: Raw = {"limit": limit, "totalFound": len(records), "content": chunk}
    headers = {}
    if start + limit < len(records):
        body["nextPageId"] = f"pg{start + limit}"
        headers["Link"] = f'<{request.url.include_query_params(pageId=body["nextPageId"])}>; rel="next"'
    return JSONResponse(body, headers=headers)


def _updated_after(request: Request, record: Raw) -> bool:
    value = request.query_params.get("updatedAfter")
    if not value:
        return True
    try:
        return parse_ts(record["updatedOn"]) > parse_ts(value)
    except ValueError:
        raise SrError(400, "updatedAfter must be ISO-8601") from None


def _candidate(fake: FakeState, cid: str) -> Raw:
    cand = fake.candidates.get(cid)
    if cand is None:
        raise SrError(404, f"Candidate {cid} not found")
    return cand


# ------------------------------------------------------------------------------------------------ reads
async def list_users(request: Request, fake: FakeState) -> Response:
    return paged(request, fake.users)


async def list_reasons(request: Request, fake: FakeState) -> Response:
    return JSONResponse({"totalFound": len(fake.reasons), "content": fake.reasons})


async def get_process(request: Request, fake: FakeState) -> Response:
    found = fake.processes.get(request.path_params["id"])
    if found is None:
        raise SrError(404, "Hiring process not found")
    return JSONResponse(found)


def _job_summary(job: Raw) -> Raw:
    keys = ("id", "title", "refNumber", "status", "postingStatus", "createdOn", "updatedOn", "lastActivityOn",
            "department", "location", "actions")  # fmt: skip
    return {k: job.get(k) for k in keys}


async def list_jobs(request: Request, fake: FakeState) -> Response:
    jobs = sorted(fake.jobs.values(), key=lambda j: (j["createdOn"], j["id"]))
    return paged(request, [_job_summary(j) for j in jobs if _updated_after(request, j)])


async def get_job(request: Request, fake: FakeState) -> Response:
    job = fake.jobs.get(request.path_params["id"])
    if job is None:
        raise SrError(404, "Job not found")
    return JSONResponse(job)


async def get_team(request: Request, fake: FakeState) -> Response:
    if request.path_params["id"] not in fake.jobs:
        raise SrError(404, "Job not found")
    team = fake.teams.get(request.path_params["id"], [])
    return JSONResponse({"totalFound": len(team), "content": team})


async def list_postings(request: Request, fake: FakeState) -> Response:
    """The public Posting API: no auth needed, ``offset``/``limit`` with ``totalFound``."""
    offset = int(request.query_params.get("offset", "0"))
    limit = min(int(request.query_params.get("limit", "10")), 100)
    found = fake.postings if request.path_params["company"] == fake.company else []
    return JSONResponse({"offset": offset, "limit": limit, "totalFound": len(found),
                         "content": found[offset : offset + limit]})  # fmt: skip


async def list_candidates(request: Request, fake: FakeState) -> Response:
    needle = (request.query_params.get("q") or "").lower()
    cands = sorted(fake.candidates.values(), key=lambda c: (c["createdOn"], c["id"]))
    cands = [c for c in cands if _updated_after(request, c)]
    if needle:
        cands = [c for c in cands if needle in " ".join(str(c.get(k) or "") for k in ("firstName", "lastName",
                                                                                      "email")).lower()]  # fmt: skip
    return paged(request, [fake.summary(c) for c in cands])


async def get_candidate(request: Request, fake: FakeState) -> Response:
    return JSONResponse(fake.details(_candidate(fake, request.path_params["id"])))


async def get_application(request: Request, fake: FakeState) -> Response:
    app = fake.applications.get((request.path_params["id"], request.path_params["job"]))
    if app is None:
        raise SrError(404, "Application not found")
    return JSONResponse(app)


async def list_files(request: Request, fake: FakeState) -> Response:
    cid = request.path_params["id"]
    _candidate(fake, cid)
    files = fake.files(cid)
    return JSONResponse({"totalFound": len(files), "content": files})


async def get_file(request: Request, fake: FakeState) -> Response:
    found = [f for f in fake.attachments.get(request.path_params["id"], []) if f["id"] == request.path_params["file"]]
    if not found:
        raise SrError(404, "Attachment not found")
    headers = {"Content-Disposition": f'attachment; filename="{found[0]["name"]}"'}
    return Response(found[0]["_content"], media_type=found[0]["contentType"], headers=headers)


async def get_tags(request: Request, fake: FakeState) -> Response:
    return JSONResponse({"tags": _candidate(fake, request.path_params["id"]).get("tags") or []})


# ----------------------------------------------------------------------------------------------- writes
async def _body(request: Request) -> Raw:
    try:
        body = await request.json()
    except ValueError:
        raise SrError(400, "Malformed JSON") from None
    if not isinstance(body, dict):
        raise SrError(400, "Malformed JSON")
    return body


async def post_candidate(request: Request, fake: FakeState) -> Response:
    return JSONResponse(fake.create_candidate(request.path_params["id"], await _body(request)), status_code=201)


async def put_status(request: Request, fake: FakeState) -> Response:
    body = await _body(request)
    fake.set_status(request.path_params["id"], request.path_params["job"], str(body.get("status")),
                    body.get("subStatus"), body.get("reason"))  # fmt: skip
    return Response(status_code=204)


async def post_tags(request: Request, fake: FakeState) -> Response:
    cid, tags = request.path_params["id"], (await _body(request)).get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise SrError(400, "tags must be a list of strings")
    existing = _candidate(fake, cid).get("tags") or []
    return JSONResponse(fake.set_tags(cid, existing + tags) if request.method == "POST" else fake.set_tags(cid, tags),
                        status_code=201)  # fmt: skip


async def post_file(request: Request, fake: FakeState) -> Response:
    fields, files = parse_form(request.headers.get("content-type", ""), await request.body())
    if "file" not in files:
        raise SrError(400, "A multipart 'file' part is required")
    name, content, _ = files["file"]
    made = fake.add_file(request.path_params["id"], request.path_params.get("job"),
                         fields.get("attachmentType", "GENERIC"), name, content)  # fmt: skip
    return JSONResponse(made, status_code=201)


async def post_note(request: Request, fake: FakeState) -> Response:
    body = await _body(request)
    if not str(body.get("content") or "").strip() or not body.get("correlationId"):
        raise SrError(400, "content and correlationId are required")
    return JSONResponse(fake.add_note(str(body["correlationId"]), str(body["content"]), body.get("shareWith") or {}),
                        status_code=201)  # fmt: skip


# --------------------------------------------------------------------------------------------- plumbing
class Window:
    """At most ``n`` requests per ``seconds`` (SmartRecruiters: 10/s per endpoint; one window here)."""

    def __init__(self, n: int, seconds: float):
        self.n, self.seconds, self.sent = n, seconds, deque[float]()

    def wait(self) -> float | None:
        now = time.monotonic()
        while self.sent and now - self.sent[0] >= self.seconds:
            self.sent.popleft()
        if len(self.sent) >= self.n:
            return self.seconds - (now - self.sent[0])
        self.sent.append(now)
        return None


def _limits(fake: FakeState) -> dict[str, str]:
    return {"X-RateLimit-Concurrent-Limit": str(fake.max_in_flight),
            "X-RateLimit-Concurrent-Remaining": str(max(fake.max_in_flight - fake.in_flight, 0))}  # fmt: skip


async def _handle(
    request: Request, fake: FakeState, latency: float, window: Window | None, handler: Handler
) -> Response:
    path, method = request.url.path, request.method
    retry = {"Retry-After": f"{fake.retry_after:.3f}"}
    await asyncio.sleep(latency + (fault.seconds if (fault := fake.faults.take("slow", path)) else 0.0))
    if fake.faults.take("storm", path, method):
        return _error(429, "Too Many Requests", retry)
    if failure := fake.faults.take("fail", path, method):
        return _error(failure.status, "Injected failure", retry)
    if "/postings" not in path and request.headers.get("x-smarttoken") != fake.token:
        return _error(401, "Invalid or missing X-SmartToken")
    if window is not None and (wait := window.wait()) is not None:
        return _error(429, "Rate limit exceeded", {"Retry-After": f"{wait:.3f}"})
    try:
        response = await handler(request, fake)
    except SrError as exc:
        return _error(exc.status, exc.message)
    if hang := fake.faults.take("hang", path, method):
        await asyncio.sleep(hang.seconds)
    if fake.faults.take("truncate", path, method):
        return truncated(response)
    return response


def guarded(fake: FakeState, latency: float, window: Window | None, handler: Handler) -> Any:
    """Concurrency accounting around every request: over a limit, the request is refused with 429."""

    async def endpoint(request: Request) -> Response:
        listing = request.method == "GET" and request.url.path == "/candidates"
        fake.requests.append(f"{request.method} {request.url.path}?{request.url.query}")
        fake.in_flight += 1
        fake.candidates_in_flight += listing
        fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
        try:
            over = fake.in_flight > fake.max_in_flight or fake.candidates_in_flight > fake.max_candidates_in_flight
            if over:
                fake.concurrency_429s += 1
                await asyncio.sleep(latency)  # a refused request still takes its time on the wire
                response: Response = _error(429, "Too many concurrent requests", {"Retry-After": "0.05"})
            else:
                response = await _handle(request, fake, latency, window, handler)
        finally:
            fake.in_flight -= 1
            fake.candidates_in_flight -= listing
        response.headers.update(_limits(fake))
        return response

    return endpoint


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/user-api/v201804/users", list_users),
    ("GET", "/configuration/rejection-reasons", list_reasons),
    ("GET", "/configuration/hiring-processes/{id}", get_process),
    ("GET", "/jobs", list_jobs),
    ("GET", "/jobs/{id}", get_job),
    ("GET", "/jobs/{id}/hiring-team", get_team),
    ("GET", "/v1/companies/{company}/postings", list_postings),
    ("GET", "/candidates", list_candidates),
    ("GET", "/candidates/{id}", get_candidate),
    ("GET", "/candidates/{id}/jobs/{job}", get_application),
    ("GET", "/candidates/{id}/attachments", list_files),
    ("GET", "/candidates/{id}/attachments/{file}", get_file),
    ("GET", "/candidates/{id}/tags", get_tags),
    ("POST", "/jobs/{id}/candidates", post_candidate),
    ("PUT", "/candidates/{id}/jobs/{job}/status", put_status),
    ("POST", "/candidates/{id}/tags", post_tags),
    ("PUT", "/candidates/{id}/tags", post_tags),
    ("POST", "/candidates/{id}/attachments", post_file),
    ("POST", "/candidates/{id}/jobs/{job}/attachments", post_file),
    ("POST", "/messages/shares", post_note),
]


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
    window = Window(*rate_limit) if rate_limit is not None else None
    app = Starlette(routes=[Route(p, guarded(fake, latency, window, h), methods=[v]) for v, p, h in ROUTES])
    app.state.fake = fake
    return attach(app, "smartrecruiters", HOOKS, errors)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    config = {"base_url": base_url, "company_identifier": "AcmeInc", "requests_per_second": 1000}
    return config, {"token": "sr_token"}
