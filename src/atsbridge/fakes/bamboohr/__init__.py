"""A stateful fake of BambooHR's Applicant Tracking API for tests, demos and ``atsbridge fake-ats bamboohr``,
on the fake engine (auth, faults, request log, rate window and control API come from ``fakes.kit``).

Served under ``/api/gateway.php/{company_domain}/v1``: ``/meta/users``, ``/applicant_tracking/statuses``,
``/jobs`` (``statusGroups``), ``/applications`` (``page``, ``jobId``, ``applicationStatus``, ``sortBy``
``created_date|last_updated``, ``sortOrder``, ``newSince``, ``searchString``), ``/applications/{id}``, and the
writes ``POST /application`` (multipart), ``/applications/{id}/status`` and ``/applications/{id}/comments``.

BambooHR behaviour reproduced: HTTP Basic with the API key as user name (any password); XML unless the client
sends ``Accept: application/json``; bare arrays for jobs and statuses; a fixed server page size that ignores
``per_page`` with ``paginationComplete``/``nextPageUrl``; the default ``applicationStatus`` leaving out hired and
inactive applications; errors with an empty body and the message in ``x-bamboohr-error-message``; no deletion
feed (deleted applications vanish); no published rate limit (``rate_limit=(n, seconds)`` adds a window whose 429
carries only ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.responses import Response

from atsbridge.fakes.bamboohr.faults import parse_form
from atsbridge.fakes.bamboohr.simulate import HOOKS
from atsbridge.fakes.bamboohr.state import FakeState
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

Raw = dict[str, Any]
Handler = Callable[[Call[FakeState]], Any]

__all__ = ["FakeState", "conformance_setup", "create_app"]

#: ``applicationStatus`` groups -> status codes they keep.
INACTIVE = {"NOFIT", "DECLINED", "NOQUAL", "OVERQUAL", "POACHED", "DELETED", "MOVED"}
GROUPS: dict[str, Callable[[str], bool]] = {
    "ALL": lambda code: True,
    "ALL_ACTIVE": lambda code: code not in INACTIVE and code != "HIRED",
    "NEW": lambda code: code == "NEW",
    "ACTIVE": lambda code: code not in INACTIVE and code not in ("HIRED", "NEW"),
    "INACTIVE": lambda code: code in INACTIVE,
    "HIRED": lambda code: code == "HIRED",
}


def errors(error: VendorError) -> Response:
    """BambooHR answers refusals with an empty body and the reason in ``X-BambooHR-Error-Message``."""
    return Response(b"", status_code=error.status, headers={"x-bamboohr-error-message": error.message})


def json_only(handler: Handler) -> Handler:
    """BambooHR answers XML unless asked for JSON (this fake refuses XML with a 406 in XML)."""

    def serve(call: Call[FakeState]) -> Any:
        if "application/json" not in call.request.headers.get("accept", ""):
            return Response(b"<?xml version='1.0'?><error>send Accept: application/json</error>", 406,
                            media_type="text/xml")  # fmt: skip
        return handler(call)

    return serve


# ------------------------------------------------------------------------------------------------ reads
def get_jobs(call: Call[FakeState]) -> list[Raw]:
    """Default: every job but deleted ones; ``statusGroups=ALL`` includes them."""
    everything = call.query.get("statusGroups") == "ALL"
    jobs = [j for j in call.fake.jobs.values() if everything or j["status"]["label"] != "Deleted"]
    return sorted(jobs, key=lambda j: -int(j["id"]))


def _new_since(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise VendorError(400, "newSince must be Y-m-d H:i:s") from None


def _matches(q: dict[str, str], fake: FakeState, app: Raw, since: float | None) -> bool:
    group = GROUPS.get(q.get("applicationStatus", "ALL_ACTIVE").upper())
    if group is None:
        raise VendorError(400, "Invalid applicationStatus")
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


def _sort_key(by: str, fake: FakeState) -> Callable[[Raw], Any]:
    if by == "last_updated":
        return lambda app: (fake.updated[app["id"]], app["id"])
    if by == "first_name":
        return lambda app: (app["applicant"]["firstName"], app["id"])
    return lambda app: (app["appliedDate"], app["id"])


def list_applications(call: Call[FakeState]) -> Raw:
    """A fixed server page size (``per_page`` is ignored) and ``page=N`` until ``paginationComplete``."""
    q, fake = call.query, call.fake
    page = int(q.get("page", "1")) if q.get("page", "1").isdigit() else 0
    if page < 1:
        raise VendorError(400, "page must be a positive integer")
    since = _new_since(q.get("newSince"))
    apps = [a for a in fake.applications.values() if _matches(q, fake, a, since)]
    apps.sort(
        key=_sort_key(q.get("sortBy", "created_date"), fake), reverse=q.get("sortOrder", "DESC").upper() == "DESC"
    )
    size = fake.page_size
    chunk = apps[(page - 1) * size : page * size]
    more = page * size < len(apps)
    next_url = str(call.request.url.include_query_params(page=page + 1)) if more else None
    return {"paginationComplete": not more, "applications": [fake.row(a) for a in chunk], "nextPageUrl": next_url}


def get_application(call: Call[FakeState]) -> Raw:
    raw = str(call.path["id"])
    app = call.fake.applications.get(int(raw)) if raw.isdigit() else None
    if app is None:
        raise VendorError(404, "Application not found")
    return app


# ----------------------------------------------------------------------------------------------- writes
def post_application(call: Call[FakeState]) -> Raw:
    form, files = parse_form(call.request.headers.get("content-type", ""), call.body)
    return {"result": "success", "candidateId": call.fake.create_application(form, files)}


def _json_body(call: Call[FakeState]) -> Raw:
    body = call.json(empty={})
    if not isinstance(body, dict):
        raise VendorError(400, "Malformed JSON body")
    return body


def post_status(call: Call[FakeState]) -> Raw:
    status = _json_body(call).get("status")
    if not isinstance(status, int | str) or not str(status).isdigit():
        raise VendorError(400, "status must be a status id")
    call.fake.set_status(int(call.path["id"]), int(status))
    return {"type": "positionApplicantStatus", "id": call.fake.next_id("event")}


def post_comment(call: Call[FakeState]) -> Raw:
    body = _json_body(call)
    if body.get("type") != "comment" or not str(body.get("comment") or "").strip():
        raise VendorError(400, "A comment needs type=comment and a comment text")
    made = call.fake.add_comment(int(call.path["id"]), str(body["comment"]))
    return {"type": "comment", "id": made["id"]}


def endpoints(company_domain: str) -> list[Endpoint]:
    base = f"/api/gateway.php/{company_domain}/v1"
    table: list[tuple[str, str, Handler]] = [
        ("GET", "/meta/users", lambda call: call.fake.users),
        ("GET", "/applicant_tracking/statuses", lambda call: call.fake.statuses),
        ("GET", "/applicant_tracking/jobs", get_jobs),
        ("GET", "/applicant_tracking/applications", list_applications),
        ("GET", "/applicant_tracking/applications/{id}", get_application),
        ("POST", "/applicant_tracking/application", post_application),
        ("POST", "/applicant_tracking/applications/{id:int}/status", post_status),
        ("POST", "/applicant_tracking/applications/{id:int}/comments", post_comment),
    ]
    return [Endpoint(verb, base + path, json_only(handler)) for verb, path, handler in table]


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
    fake.latency = latency
    # BambooHR publishes no limit and no X-RateLimit headers: a 429 says only Retry-After
    fake.rate_limit = FixedWindow(*rate_limit, announce=False) if rate_limit is not None else None
    spec = FakeSpec(name="bamboohr", errors=errors, hooks=HOOKS, endpoints=endpoints(company_domain))
    return build_app(spec, fake)


conformance_setup = conformance(
    lambda base_url: {"company_domain": "acme", "base_url": f"{base_url}/api/gateway.php/acme/v1"},
    {"api_key": "bamboo_key"},
)
