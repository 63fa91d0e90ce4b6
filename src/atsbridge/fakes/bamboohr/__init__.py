"""A stateful fake of BambooHR's Applicant Tracking API for tests, demos and ``atsbridge fake-ats bamboohr``.

Served under ``/api/gateway.php/{company_domain}/v1``: ``/meta/users``, ``/applicant_tracking/statuses``,
``/jobs`` (``statusGroups``), ``/applications`` (``page``, ``jobId``, ``applicationStatus``, ``sortBy``
``created_date|last_updated``, ``sortOrder``, ``newSince``, ``searchString``), ``/applications/{id}``, and the
writes ``POST /application`` (multipart), ``/applications/{id}/status`` and ``/applications/{id}/comments``.

BambooHR behaviour reproduced: HTTP Basic with the API key as user name (any password); XML unless the client
sends ``Accept: application/json``; bare arrays for jobs and statuses; a fixed server page size that ignores
``per_page`` with ``paginationComplete``/``nextPageUrl``; the default ``applicationStatus`` leaving out hired and
inactive applications; 400 errors with an empty body and the message in ``x-bamboohr-error-message``; no
deletion feed (deleted applications vanish). Failure knobs on ``app.state.fake``: ``fail_next``,
``rate_limit_storm``, ``truncate_next``, ``slow_next``, ``hang_after_commit``; ``rate_limit=(n, seconds)`` adds a
sliding-window limit answering 429 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.bamboohr.control import HOOKS, errors
from atsbridge.fakes.bamboohr.faults import parse_form, truncated
from atsbridge.fakes.bamboohr.state import BambooError, FakeState
from atsbridge.fakes.kit.legacy import attach

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState], Awaitable[Response]]

__all__ = ["FakeState", "conformance_setup", "create_app"]

#: ``applicationStatus`` groups -> status codes they keep (None: all).
INACTIVE = {"NOFIT", "DECLINED", "NOQUAL", "OVERQUAL", "POACHED", "DELETED", "MOVED"}
GROUPS: dict[str, Callable[[str], bool]] = {
    "ALL": lambda code: True,
    "ALL_ACTIVE": lambda code: code not in INACTIVE and code != "HIRED",
    "NEW": lambda code: code == "NEW",
    "ACTIVE": lambda code: code not in INACTIVE and code not in ("HIRED", "NEW"),
    "INACTIVE": lambda code: code in INACTIVE,
    "HIRED": lambda code: code == "HIRED",
}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status_code=status, headers={"x-bamboohr-error-message": message, **(headers or {})})


def _authorized(request: Request, api_key: str) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user = base64.b64decode(value).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return False
    return user == api_key


# ------------------------------------------------------------------------------------------------ reads
async def get_users(request: Request, fake: FakeState) -> Response:
    return JSONResponse(fake.users)


async def get_statuses(request: Request, fake: FakeState) -> Response:
    return JSONResponse(fake.statuses)


async def get_jobs(request: Request, fake: FakeState) -> Response:
    """Default: every job but deleted ones; ``statusGroups=ALL`` includes them."""
    everything = request.query_params.get("statusGroups") == "ALL"
    jobs = [j for j in fake.jobs.values() if everything or j["status"]["label"] != "Deleted"]
    return JSONResponse(sorted(jobs, key=lambda j: -int(j["id"])))


def _new_since(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise BambooError(400, "newSince must be Y-m-d H:i:s") from None


def _matches(request: Request, fake: FakeState, app: Raw, since: float | None) -> bool:
    q = request.query_params
    group = GROUPS.get(q.get("applicationStatus", "ALL_ACTIVE").upper())
    if group is None:
        raise BambooError(400, "Invalid applicationStatus")
    needle = (q.get("searchString") or "").lower()
    applicant = app["applicant"]
    haystack = " ".join(str(applicant.get(k) or "") for k in ("firstName", "lastName", "email")).lower()
    applied = datetime.fromisoformat(app["appliedDate"]).timestamp()
    return (
        group(fake.code_of(app))
        and (not q.get("jobId") or str(app["job"]["id"]) == q["jobId"])
        and (since is None or applied > since)
        and (not needle or needle in haystack)
    )


def _sort_key(request: Request, fake: FakeState) -> Callable[[Raw], Any]:
    by = request.query_params.get("sortBy", "created_date")
    if by == "last_updated":
        return lambda app: (fake.updated[app["id"]], app["id"])
    if by == "first_name":
        return lambda app: (app["applicant"]["firstName"], app["id"])
    return lambda app: (app["appliedDate"], app["id"])


async def list_applications(request: Request, fake: FakeState) -> Response:
    q = request.query_params
    page = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 0
    if page < 1:
        raise BambooError(400, "page must be a positive integer")
    since = _new_since(q.get("newSince"))
    apps = [a for a in fake.applications.values() if _matches(request, fake, a, since)]
    apps.sort(key=_sort_key(request, fake), reverse=q.get("sortOrder", "DESC").upper() == "DESC")
    size = fake.page_size
    chunk = apps[(page - 1) * size : page * size]
    more = page * size < len(apps)
    next_url = str(request.url.include_query_params(page=page + 1)) if more else None
    return JSONResponse({"paginationComplete": not more, "applications": [fake.row(a) for a in chunk],
                         "nextPageUrl": next_url})  # fmt: skip


async def get_application(request: Request, fake: FakeState) -> Response:
    raw = request.path_params["id"]
    app = fake.applications.get(int(raw)) if raw.isdigit() else None
    if app is None:
        raise BambooError(404, "Application not found")
    return JSONResponse(app)


# ----------------------------------------------------------------------------------------------- writes
async def post_application(request: Request, fake: FakeState) -> Response:
    form, files = parse_form(request.headers.get("content-type", ""), await request.body())
    app_id = fake.create_application(form, files)
    return JSONResponse({"result": "success", "candidateId": app_id})


async def _json_body(request: Request) -> Raw:
    try:
        body = await request.json()
    except ValueError:
        raise BambooError(400, "Malformed JSON body") from None
    if not isinstance(body, dict):
        raise BambooError(400, "Malformed JSON body")
    return body


async def post_status(request: Request, fake: FakeState) -> Response:
    body = await _json_body(request)
    status = body.get("status")
    if not isinstance(status, int | str) or not str(status).isdigit():
        raise BambooError(400, "status must be a status id")
    fake.set_status(int(request.path_params["id"]), int(status))
    return JSONResponse({"type": "positionApplicantStatus", "id": fake.next_id("event")})


async def post_comment(request: Request, fake: FakeState) -> Response:
    body = await _json_body(request)
    if body.get("type") != "comment" or not str(body.get("comment") or "").strip():
        raise BambooError(400, "A comment needs type=comment and a comment text")
    made = fake.add_comment(int(request.path_params["id"]), str(body["comment"]))
    return JSONResponse({"type": "comment", "id": made["id"]})


# -------------------------------------------------------------------------------------------- plumbing
class Window:
    """At most ``n`` requests per ``seconds`` (a sliding window); BambooHR publishes no number."""

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


def guarded(fake: FakeState, latency: float, window: Window | None, handler: Handler) -> Any:
    """Every endpoint: injected failures, auth, JSON negotiation, rate limit, then the handler."""

    async def endpoint(request: Request) -> Response:
        path, method = request.url.path, request.method
        fake.requests.append(f"{method} {path}?{request.url.query}")
        retry = {"Retry-After": f"{fake.retry_after:.3f}"}
        await asyncio.sleep(latency + (fault.seconds if (fault := fake.faults.take("slow", path)) else 0.0))
        if fake.faults.take("storm", path, method):
            return _error(429, "Too many requests", retry)
        if failure := fake.faults.take("fail", path, method):
            return _error(failure.status, "Injected failure", retry)
        if not _authorized(request, fake.api_key):
            return _error(401, "Invalid API key", {"WWW-Authenticate": 'Basic realm="BambooHR"'})
        if "application/json" not in request.headers.get("accept", ""):
            return Response(b"<?xml version='1.0'?><error>send Accept: application/json</error>", 406,
                            media_type="text/xml")  # fmt: skip
        if window is not None and (wait := window.wait()) is not None:
            return _error(429, "Too many requests", {"Retry-After": f"{wait:.3f}"})
        try:
            with fake.lock:
                response = await handler(request, fake)
        except BambooError as exc:
            return _error(exc.status, exc.message)
        if hang := fake.faults.take("hang", path, method):
            await asyncio.sleep(hang.seconds)
        if fake.faults.take("truncate", path, method):
            return truncated(response)
        return response

    return endpoint


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    api_key: str = "bamboo_key",
    company_domain: str = "acme",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (20, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API with about ``records`` applications. ``state`` serves an existing tenant."""
    fake = state if state is not None else FakeState.generate(seed, records, api_key)
    fake.company_domain = company_domain
    window = Window(*rate_limit) if rate_limit is not None else None
    base = f"/api/gateway.php/{company_domain}/v1"
    table: list[tuple[str, str, Handler]] = [
        ("GET", "/meta/users", get_users),
        ("GET", "/applicant_tracking/statuses", get_statuses),
        ("GET", "/applicant_tracking/jobs", get_jobs),
        ("GET", "/applicant_tracking/applications", list_applications),
        ("GET", "/applicant_tracking/applications/{id}", get_application),
        ("POST", "/applicant_tracking/application", post_application),
        ("POST", "/applicant_tracking/applications/{id:int}/status", post_status),
        ("POST", "/applicant_tracking/applications/{id:int}/comments", post_comment),
    ]
    routes = [Route(base + path, guarded(fake, latency, window, h), methods=[verb]) for verb, path, h in table]
    app = Starlette(routes=routes)
    app.state.fake = fake
    return attach(app, "bamboohr", HOOKS, errors)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    config = {"company_domain": "acme", "base_url": f"{base_url}/api/gateway.php/acme/v1", "requests_per_second": 1000}
    return config, {"api_key": "bamboo_key"}
