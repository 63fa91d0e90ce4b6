"""A stateful fake of JazzHR's REST API (``api.resumatorapi.com/v1``) for tests and demos
(``atsbridge fake-ats jazzhr``).

**No JazzHR REST answer was ever recorded** (the only recordings are the Candidate Export webhook's documented
body and its verify event, kept in ``payloads/`` and skipped by the shape test: JazzHR pushes them, no REST
endpoint answers them). Every record is built field by field from the maintained .NET SDK's models and the
community Airbyte source's schemas (reference §2.6, [conn]): all values strings except ``applicants2jobs``'
``rating``/``workflow_step_id``; ids ``prospect_<stamp>_<n>``, ``job_...``, ``projob_...``, ``usr_...``;
``applicants2jobs.date`` ``0000-00-00`` as the Airbyte schema warns.

Served, all under ``/v1`` with ``?apikey=`` (401 otherwise): ``/users``, ``/jobs``, ``/categories``, ``/hires``,
``/applicants`` (list rows) and ``/applicants/{id}`` (the detail, with ``jobs``, ``comments``, ``categories``...),
``/applicants2jobs``, ``/jobs/{id}``, ``/users/{id}``. Filters and paging are **path segments**
(``/applicants/name/Ada Lovelace/page/2``, ``/applicants2jobs/applicant_id/{id}``); 100 rows a page, no
total. **A list of exactly one record is answered as the bare object**, in listings and in the detail's nested
lists alike. Writes (JSON bodies, ``apikey`` also accepted in them): ``POST /applicants`` (``job`` id required,
-> ``{"prospect_id"}``), ``/notes`` (-> ``{"comment_id"}``), ``/categories`` (-> ``{"category_id"}``),
``/categories2applicants`` (-> ``{"pro2cat_id"}``). Errors are ``{"error": message}`` [gap: JazzHR's error
body is undocumented]; beyond 100 requests a minute (the [3p] budget) 429 with ``Retry-After`` and no other
rate headers. Built on the fake engine: faults, the request log and the control API are the kit's.
"""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.jazzhr.simulate import HOOKS
from atsbridge.fakes.jazzhr.state import FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

PAGE = 100
LISTED = ("users", "jobs", "categories", "hires", "applicants", "applicants2jobs")
#: Nested lists of the applicant detail that collapse to an object when they hold one item.
NESTED = ("jobs", "comments", "feedback", "categories", "questionnaire", "evaluation")
FILTERS = {"name", "job_id", "applicant_id", "workflow_step_id", "status", "from_apply_date", "type"}


def errors(error: VendorError) -> Any:
    return {"error": error.message}


def one_or_many(rows: list[Raw]) -> Any:
    """JazzHR's quirk: one record is sent as the object itself."""
    return rows[0] if len(rows) == 1 else rows


def _table(fake: FakeState, resource: str) -> dict[str, Raw]:
    tables = {"users": fake.users, "jobs": fake.jobs, "categories": fake.categories, "hires": fake.hires,
              "applicants": fake.applicants, "applicants2jobs": fake.applications}  # fmt: skip
    if resource not in tables:
        raise VendorError(404, f"Unknown resource {resource}")
    return tables[resource]


def detail(fake: FakeState, applicant: Raw) -> Raw:
    return {**applicant, **{k: one_or_many(list(applicant[k])) for k in NESTED}}


def _matches(row: Raw, filters: dict[str, str]) -> bool:
    for key, value in filters.items():
        if key == "name":
            if value.lower() not in f"{row['first_name']} {row['last_name']}".lower():
                return False
        elif key == "from_apply_date":
            if str(row.get("apply_date", "")) < value:
                return False
        elif key in row and str(row[key]) != value:
            return False
    return True


def _listing(call: Call[FakeState], resource: str, segments: list[str]) -> Any:
    """``[/filter/value]*[/page/n]``: an unknown filter or a malformed page number is a 400."""
    if len(segments) % 2:
        raise VendorError(400, f"Malformed path /{'/'.join(segments)}")
    pairs = dict(zip(segments[::2], segments[1::2], strict=True))
    raw_page = pairs.pop("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise VendorError(400, f"Invalid page {raw_page}")
    unknown = set(pairs) - FILTERS
    if unknown:
        raise VendorError(400, f"Unknown filter {sorted(unknown)[0]}")
    table = _table(call.fake, resource)
    rows = [r for r in table.values() if _matches(r, pairs)]
    start = (int(raw_page) - 1) * PAGE
    page = rows[start : start + PAGE]
    if resource == "applicants":
        page = [call.fake.applicant_row(r) for r in page]
    return one_or_many(page)


def get(call: Call[FakeState]) -> Any:
    resource, tail = call.path["resource"], [s for s in str(call.path.get("tail") or "").split("/") if s]
    if len(tail) == 1:  # a detail
        found = _table(call.fake, resource).get(tail[0])
        if found is None:
            raise VendorError(404, f"No {resource} with id {tail[0]}")
        return detail(call.fake, found) if resource == "applicants" else found
    return _listing(call, resource, tail)


def _body(call: Call[FakeState], *required: str) -> Raw:
    body = call.json_object()
    missing = [k for k in required if not str(body.get(k) or "").strip()]
    if missing:
        raise VendorError(400, f"Missing required field {missing[0]}")
    return body


def create_applicant(call: Call[FakeState]) -> Raw:
    body = _body(call, "first_name", "last_name", "email", "job")
    job = call.fake.require(call.fake.jobs, body["job"], "job")
    if job["status"] != "Open":
        raise VendorError(400, "The job is not open")
    applicant = call.fake.add_applicant(str(body["first_name"]), str(body["last_name"]), str(body["email"]).lower(),
                                        call.fake.now(), str(body.get("phone") or ""))  # fmt: skip
    if body.get("linkedin"):
        applicant["linkedin_url"] = str(body["linkedin"])
    call.fake.apply(applicant["id"], job["id"])
    return {"prospect_id": applicant["id"]}


def create_note(call: Call[FakeState]) -> Raw:
    body = _body(call, "applicant_id", "user_id", "contents")
    call.fake.require(call.fake.applicants, body["applicant_id"], "applicant_id")
    call.fake.require(call.fake.users, body["user_id"], "user_id")
    return {"comment_id": call.fake.comment(body["applicant_id"], body["user_id"], str(body["contents"]))["id"]}


def create_category(call: Call[FakeState]) -> Raw:
    name = str(_body(call, "name")["name"]).strip()
    cid = str(880 + len(call.fake.categories))
    call.fake.categories[cid] = {"id": cid, "name": name, "status": "1", "created_by": next(iter(call.fake.users)),
                                 "date_created": f"{call.fake.now().date()}"}  # fmt: skip
    return {"category_id": cid}


def link_category(call: Call[FakeState]) -> Raw:
    body = _body(call, "applicant_id", "category_id")
    applicant = call.fake.require(call.fake.applicants, body["applicant_id"], "applicant_id")
    call.fake.require(call.fake.categories, body["category_id"], "category_id")
    if all(c["category_id"] != str(body["category_id"]) for c in applicant["categories"]):
        call.fake.tag(applicant["id"], str(body["category_id"]))
    return {"pro2cat_id": f"{applicant['id']}:{body['category_id']}"}


SPEC = FakeSpec(
    name="jazzhr",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("POST", "/v1/applicants", create_applicant),
        Endpoint("POST", "/v1/notes", create_note),
        Endpoint("POST", "/v1/categories", create_category),
        Endpoint("POST", "/v1/categories2applicants", link_category),
        Endpoint("GET", "/v1/{resource}", get),
        Endpoint("GET", "/v1/{resource}/{tail:path}", get),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake account with ``records`` applicants (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(100, 60.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}/v1"}, {"api_key": "jazz_key"})
