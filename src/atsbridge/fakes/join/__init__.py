"""A stateful fake of JOIN's API v2 for tests and demos (``atsbridge fake-ats join``).

**No JOIN payload was ever recorded** and the reference was only partly public: every shape is built field by
field from the documented names. Jobs: the fields a maintained client reads (reference §2.6 [conn]) plus
``status`` ONLINE|OFFLINE|ARCHIVED [3p]. Applications: the read schema is not public [gap], so the fake answers
the names of the create request (``jobId``, ``candidateId``, ``candidate{id, email, firstName, lastName, phone}``,
``source``) plus ``id``, ``status`` (NEW|IN_REVIEW|INTERVIEW|OFFER|HIRED|REJECTED, invented), ``createdAt`` and
``updatedAt``. Ids are integers.

Served under ``/v2``: ``GET /jobs`` (422 without any parameter [3p]; ``content=true`` keeps the description)
and ``/jobs/{id}``; ``GET /applications`` (``updatedAtGte`` [3p], ``jobId``) and ``/applications/{id}``;
``POST /applications`` (documents inline as base64; 409 "already exists" for a second application of one
candidate to one job). Paging: ``page`` and ``pageSize`` (at most 50 [3p]), bare arrays, oldest update first.
Auth: ``Authorization: <token>``, the **raw** token: ``Bearer <token>`` is refused, as JOIN documents.
Errors: ``{"error": {"type", "message"}}`` [3p]; beyond the window (default 20/s) 429 with ``x-ratelimit-*``
headers. Built on the fake engine: faults, the request log and the control API are the kit's.
"""

from __future__ import annotations

from typing import Any

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.join.simulate import HOOKS
from atsbridge.fakes.join.state import FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import PageNumber
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/v2"
PAGER = PageNumber(page_param="page", size_param="pageSize", default_size=10, max_size=50)
PROBE = (f"{V2}/jobs?page=1&pageSize=1", {"Authorization": "join_token"})
TYPES = {400: "VALIDATION_ERROR", 401: "UNAUTHORIZED", 404: "NOT_FOUND", 409: "CONFLICT", 429: "TOO_MANY_REQUESTS"}


def errors(error: VendorError) -> Any:
    return {"error": {"type": error.code or TYPES.get(error.status, "ERROR"), "message": error.message}}


def _page(call: Call[FakeState], records: list[Raw]) -> list[Raw]:
    cursor = PAGER.cursor(call.request)
    rows, _ = PAGER.slice(cursor, [((i,), r) for i, r in enumerate(records)], None)  # page numbers: no cap
    return list(rows)


def list_jobs(call: Call[FakeState]) -> list[Raw]:
    if not call.query:
        raise VendorError(422, "Query parameters are required", code="UNPROCESSABLE_ENTITY")
    content = call.query.get("content") == "true"
    jobs = [j if content else {k: v for k, v in j.items() if k != "description"} for j in call.fake.jobs.values()]
    return _page(call, jobs)


def one_job(call: Call[FakeState]) -> Raw:
    found = call.fake.jobs.get(int(call.path["id"])) if str(call.path["id"]).isdigit() else None
    if found is None:
        raise VendorError(404, "Job not found")
    return found


def list_applications(call: Call[FakeState]) -> list[Raw]:
    found = list(call.fake.applications.values())
    if call.query.get("updatedAtGte"):
        try:
            bound = parse_ts(call.query["updatedAtGte"])
        except ValueError:
            raise VendorError(400, "updatedAtGte must be an ISO-8601 date-time") from None
        found = [a for a in found if parse_ts(a["updatedAt"]) >= bound]
    if call.query.get("jobId"):
        found = [a for a in found if str(a["jobId"]) == call.query["jobId"]]
    return _page(call, sorted(found, key=lambda a: (a["updatedAt"], a["id"])))


def one_application(call: Call[FakeState]) -> Raw:
    found = call.fake.applications.get(int(call.path["id"])) if str(call.path["id"]).isdigit() else None
    if found is None:
        raise VendorError(404, "Application not found")
    return found


def create_application(call: Call[FakeState]) -> Any:
    return reply(call.fake.create(call.json_object()), 201)


SPEC = FakeSpec(
    name="join",
    errors=errors,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{V2}/jobs", list_jobs),
        Endpoint("GET", f"{V2}/jobs/{{id}}", one_job),
        Endpoint("GET", f"{V2}/applications", list_applications),
        Endpoint("POST", f"{V2}/applications", create_application),
        Endpoint("GET", f"{V2}/applications/{{id}}", one_application),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}{V2}"}, {"api_token": "join_token"})
