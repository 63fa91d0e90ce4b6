"""A stateful fake of HR WORKS' API v2 applicant management for tests and demos (``atsbridge fake-ats hrworks``).

**No HRworks traffic was ever recorded**: the shapes are the vendor's OpenAPI 2.10 models as its generated
TypeScript SDK documents them (``payloads/``, each with its ``.source.txt``); the values are invented.

Served under ``/v2``: ``POST /authentication`` (``{accessKey, secretAccessKey}`` -> ``{"token"}``, 401 with an
``ApiError`` otherwise; the token is sent as ``Authorization: Bearer``); ``GET /applicant-management/posts`` (+
``/{uuid}``, or the post's key), ``/applicants`` (``applicants``, ``statusFilter``; only applicants with job
applications) and ``/job-applications`` (``posts``, ``statusFilter``), each ``{"posts"|"applicants"|
"jobApplications": [...]}``, ``page`` from 1 and **50 a page** (no size parameter), the next and last pages in a
``Link`` header. Writes are **asynchronous**: ``POST /job-applications`` (``{"jobApplications": [...]}``) and
``POST /job-applications/{id}/files?fileName=&contentType=`` (the bytes as body, or ``url=``) answer
``{"jobId"}``; ``GET /job-applications/jobs/{jobId}`` answers ``{"status": "pending"}`` until the job has run
(``FakeState.job_delay`` after the POST, polled or not), then ``{"status": "finished", "responseType",
"apiResponse": {generalErrors, dataErrors, status, result[]}}``; 400 for an unknown job id. Errors are
``ApiError {errorCode, type, errorMessage}``; beyond the rate window 429 with ``Retry-After`` (HRworks publishes no
limit: the window is an assumption).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from atsbridge.fakes.hrworks.simulate import HOOKS
from atsbridge.fakes.hrworks.state import ACCESS_KEY, DEMO_TOKEN, SECRET_KEY, FakeState, Raw, api_error
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import PageNumber, Reply
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/v2"
AM = f"{V2}/applicant-management"
PAGE_SIZE = 50
#: ``page`` only: the size is fixed (a ``per_page`` sent anyway is ignored, as an unknown parameter).
PAGER = PageNumber(page_param="page", size_param="__fixed_page_size__", default_size=PAGE_SIZE, max_size=PAGE_SIZE)
#: An authenticated read (the fake's fixed demo session, valid without a login).
PROBE = (f"{AM}/posts", {"Authorization": f"Bearer {DEMO_TOKEN}"})


def errors(error: VendorError) -> Any:
    kind = error.code or {401: "unauthorized", 403: "forbidden", 404: "notFound", 429: "tooManyRequests"}.get(
        error.status, "invalidRequest"
    )
    return api_error(error.message, error.status, kind)


def _values(call: Call[FakeState], name: str) -> set[str]:
    """A list parameter, repeated (``posts=a&posts=b``) or comma-separated."""
    return {v for raw in call.request.query_params.getlist(name) for v in raw.split(",") if v}


def _page(call: Call[FakeState], key: str, rows: list[Raw]) -> Reply:
    cursor = PAGER.cursor(call.request)
    page, following = PAGER.slice(cursor, [((i,), r) for i, r in enumerate(rows)], call.fake.page_cap)
    served = min(PAGE_SIZE, call.fake.page_cap or PAGE_SIZE)
    number, last = cursor.index // PAGE_SIZE + 1, max(1, -(-len(rows) // served))
    query = [(k, v) for k, v in call.request.query_params.multi_items() if k != "page"]
    base = f"{call.base_url}{call.request.url.path}"

    def link(n: int, rel: str) -> str:
        return f'<{base}?{urlencode([*query, ("page", str(n))])}>; rel="{rel}"'

    links = [link(1, "first")] + ([link(number + 1, "next")] if following is not None else []) + [link(last, "last")]
    return Reply({key: page}, {"Link": ", ".join(links)})


def list_posts(call: Call[FakeState]) -> Reply:
    return _page(call, "posts", list(call.fake.posts.values()))


def one_post(call: Call[FakeState]) -> Raw:
    wanted = call.path["uuid"]
    found = next((p for p in call.fake.posts.values() if wanted in (p["uuid"], p["key"])), None)
    if found is None:
        raise VendorError(404, f"No post with the id {wanted} exists.")
    return found


def list_applicants(call: Call[FakeState]) -> Reply:
    wanted, statuses = _values(call, "applicants"), _values(call, "statusFilter")
    rows = [a for a in call.fake.applicants.values() if (not wanted or a["uuid"] in wanted)
            and (not statuses or any(b["statusIdentifier"] in statuses for b in a["jobApplications"]))]  # fmt: skip
    return _page(call, "applicants", rows)


def one_applicant(call: Call[FakeState]) -> Raw:
    found = call.fake.applicants.get(call.path["uuid"])
    if found is None:
        raise VendorError(404, f"No applicant with the uuid {call.path['uuid']} exists.")
    return found


def list_applications(call: Call[FakeState]) -> Reply:
    posts, statuses = _values(call, "posts"), _values(call, "statusFilter")
    rows = [a for a in call.fake.applications.values() if (not posts or a["postUuid"] in posts)
            and (not statuses or a["statusIdentifier"] in statuses)]  # fmt: skip
    return _page(call, "jobApplications", sorted(rows, key=lambda a: int(a["id"])))


def create_applications(call: Call[FakeState]) -> Raw:
    rows = call.json_object().get("jobApplications")
    if not isinstance(rows, list) or not rows:
        raise VendorError(400, "jobApplications must be a non-empty array.")
    return {"jobId": call.fake.submit("applications", rows)}


def create_file(call: Call[FakeState]) -> Raw:
    aid, q = call.path["id"], call.query
    if aid not in call.fake.applications:
        raise VendorError(404, f"No job application with the id {aid} exists.")
    if not q.get("fileName") or not q.get("contentType"):
        raise VendorError(400, "fileName and contentType are required.")
    if not call.body and not q.get("url"):
        raise VendorError(400, "Send the file as the request body or name its url.")
    return {"jobId": call.fake.submit("file", {"id": aid, "fileName": q["fileName"], "size": len(call.body)})}


def job_status(call: Call[FakeState]) -> Raw:
    return call.fake.job(call.path["job_id"])


def _settled(handler: Callable[[Call[FakeState]], Any]) -> Callable[[Call[FakeState]], Any]:
    """Due write jobs run before any request is served (HR WORKS' workers do not wait to be polled)."""

    def serve(call: Call[FakeState]) -> Any:
        call.fake.settle()
        return handler(call)

    return serve


SPEC = FakeSpec(
    name="hrworks",
    errors=errors,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint(method, path, _settled(handler))
        for method, path, handler in (
            ("GET", f"{AM}/posts", list_posts),
            ("GET", f"{AM}/posts/{{uuid}}", one_post),
            ("GET", f"{AM}/applicants", list_applicants),
            ("GET", f"{AM}/applicants/{{uuid}}", one_applicant),
            ("GET", f"{AM}/job-applications", list_applications),
            ("POST", f"{AM}/job-applications", create_applications),
            ("GET", f"{AM}/job-applications/jobs/{{job_id}}", job_status),
            ("POST", f"{AM}/job-applications/{{id}}/files", create_file),
        )
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` job applications (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{V2}"},
    {"access_key": ACCESS_KEY, "secret_access_key": SECRET_KEY},
)
