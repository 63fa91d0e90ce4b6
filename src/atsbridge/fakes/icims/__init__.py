"""A stateful fake of iCIMS' REST API for tests and demos (``atsbridge fake-ats icims``).

Served under ``/customers/{customer_id}`` (``1234``; another id answers 404), HTTP Basic
(``icims_user``/``icims_pass``):

* ``POST /search/{jobs|people|applicantworkflows}`` ``{"filters": [{name, value[], operator}], "operator": "&"}``
  (or the bare filter array the 2016 client sent [rec]) -> ``{"searchResults": [{self, id}]}``, sorted by id, at
  most 1000 (``search_cap``). Filters: ``<entity>.id`` (``>``, ``=``), ``<entity>.updateddate`` (``>=``, ``>``),
  ``applicantworkflow.person.id``/``.job.id``, ``person.email`` (``=``); any other name is refused (400).
  [doc] Search data may be 15 minutes stale; the fake is never stale (the connector widens its bound anyway).
* ``GET /{profile}/{id}`` with ``?fields=a,b`` (only those, and only valued ones, plus ``links``) [rec].
* ``POST /people`` and ``POST /applicantworkflows`` -> 201, empty body, the new profile's URL in ``Location``
  [rec]; ``PATCH /applicantworkflows/{id}`` (``status: {id}``, ``assessmentresults`` appended) -> 204 [rec].
* Errors ``{"errors": [{"errorMessage", "errorCode"}]}`` [doc]; the daily quota (default 20,000 a day [rec])
  with ``x-ratelimit-limit/remaining/reset`` (seconds to the window's end) on every answer, 429 past it.

Shapes: job, company, workflow and search answers are the recorded ones (``payloads/``). Beyond them the fields
are the documented names, written out here [gap for exact types]: people ``{firstname, lastname, email,
phones[{entry, phonenumber, phonetype{id,formattedvalue,value}}], addresses[{entry, addresscity,
addresscountry{id,abbrev,value}}]}``; every profile ``createddate``/``updateddate`` (``YYYY-MM-DD hh:mm AM``,
UTC); a job's ``folder{id,formattedvalue,value}``; a workflow's ``status`` and ``source`` list values and
``sourcename`` text; ``assessmentresults[{assessmentname{value}, assessmenturl, assessmentstatus{id}, ...}]``
[conn].
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from atsbridge.fakes.icims.simulate import HOOKS
from atsbridge.fakes.icims.state import ENTITY, PROFILES, FakeState, Raw, parse_date
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

ROOT = "/customers/{cid}"
#: ``Basic icims_user:icims_pass`` on a job the generated tenant always has.
PROBE = ("/customers/1234/jobs/1100", {"Authorization": "Basic aWNpbXNfdXNlcjppY2ltc19wYXNz"})


def errors(error: VendorError) -> Any:
    return {"errors": [{"errorMessage": error.message, "errorCode": error.code or str(error.status)}]}


def _customer(call: Call[FakeState]) -> None:
    if call.path["cid"] != call.fake.customer_id:
        raise VendorError(404, f"Customer {call.path['cid']} not found", code="404")


def _table(call: Call[FakeState]) -> tuple[str, dict[str, Raw]]:
    _customer(call)
    profile = call.path["profile"]
    if profile not in PROFILES:
        raise VendorError(404, f"Unknown profile type {profile!r}", code="404")
    return profile, call.fake.table(profile)


def _test(call: Call[FakeState], profile: str, f: Any) -> Any:
    """One filter as a predicate ``(id, record) -> bool``."""
    if not isinstance(f, dict) or not isinstance(f.get("value"), list) or not f["value"]:
        raise VendorError(400, "Each filter needs a name and a value array", code="1010")
    name, op, value = str(f.get("name")), str(f.get("operator") or "="), str(f["value"][0])
    entity = ENTITY[profile]
    if name == f"{entity}.id" and op in (">", "="):
        if not value.isdigit():
            raise VendorError(400, f"Invalid id {value!r}", code="1011")
        return lambda i, r: int(i) > int(value) if op == ">" else i == value
    if name == f"{entity}.updateddate" and op in (">=", ">"):
        try:
            bound = parse_date(value)
        except ValueError:
            raise VendorError(400, f"Invalid date {value!r}", code="1012") from None
        if op == ">=":
            return lambda i, r: parse_date(r["updateddate"]) >= bound
        return lambda i, r: parse_date(r["updateddate"]) > bound
    if profile == "applicantworkflows" and name in ("applicantworkflow.person.id", "applicantworkflow.job.id"):
        key = "associatedprofile" if ".person." in name else "baseprofile"
        return lambda i, r: str(r[key]["id"]) == value
    if profile == "people" and name == "person.email" and op == "=":
        return lambda i, r: r.get("email") == value.lower()
    raise VendorError(400, f"Filter {name} {op} is not searchable here", code="1013")


def search(call: Call[FakeState]) -> Raw:
    profile, table = _table(call)
    body = call.json(empty={})
    filters = body if isinstance(body, list) else body.get("filters") if isinstance(body, dict) else None
    if not isinstance(filters, list):
        raise VendorError(400, "The search body needs a filters array", code="1010")
    tests = [_test(call, profile, f) for f in filters]
    ids = sorted((i for i, r in table.items() if all(t(i, r) for t in tests)), key=int)[: call.fake.search_cap]
    root = f"{call.base_url}/customers/{call.fake.customer_id}"
    return {"searchResults": [{"self": f"{root}/{profile}/{i}", "id": int(i)} for i in ids]}


def profile(call: Call[FakeState]) -> Raw:
    kind, table = _table(call)
    found = table.get(call.path["id"])
    if found is None:
        raise VendorError(404, f"The {ENTITY[kind]} profile {call.path['id']} does not exist", code="404")
    fields = [f for f in call.query.get("fields", "").split(",") if f]
    if not fields:
        return found
    return {k: v for k, v in found.items() if (k in fields or k == "links") and v not in (None, "", [])}


def _created(call: Call[FakeState], kind: str, rid: str) -> Response:
    url = f"{call.base_url}/customers/{call.fake.customer_id}/{kind}/{rid}"
    return Response(status_code=201, headers={**call.headers, "Location": url})


def create_person(call: Call[FakeState]) -> Response:
    _customer(call)
    return _created(call, "people", call.fake.add_person(call.json_object()))


def create_workflow(call: Call[FakeState]) -> Response:
    _customer(call)
    body = call.json_object()
    job, person = str(body.get("baseprofile") or ""), str(body.get("associatedprofile") or "")
    status = (body.get("status") or {}).get("id") if isinstance(body.get("status"), dict) else None
    wid = call.fake.apply(job, person, call.fake.now(), body=body)
    if status:
        call.fake.set_status(wid, str(status))
    return _created(call, "applicantworkflows", wid)


def patch_workflow(call: Call[FakeState]) -> Response:
    _customer(call)
    wid, body = call.path["id"], call.json_object()
    if wid not in call.fake.applicantworkflows:
        raise VendorError(404, f"The applicantworkflow profile {wid} does not exist", code="404")
    unknown = set(body) - {"status", "assessmentresults"}
    if unknown:
        raise VendorError(400, f"Fields not editable here: {', '.join(sorted(unknown))}", code="1020")
    if isinstance(body.get("status"), dict):
        call.fake.set_status(wid, str(body["status"].get("id")))
    results = body.get("assessmentresults")
    if isinstance(results, list):
        call.fake.add_results(wid, [r for r in results if isinstance(r, dict)])
    return Response(status_code=204, headers=call.headers)


SPEC = FakeSpec(
    name="icims",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("POST", f"{ROOT}/search/{{profile}}", search),
        Endpoint("POST", f"{ROOT}/people", create_person),
        Endpoint("POST", f"{ROOT}/applicantworkflows", create_workflow),
        Endpoint("PATCH", f"{ROOT}/applicantworkflows/{{id}}", patch_workflow),
        Endpoint("GET", f"{ROOT}/{{profile}}/{{id}}", profile),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` applicant workflows
#: (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20000, 86400.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/customers/1234", "customer_id": "1234", "api_host": "api.icims.com"},
    {"username": "icims_user", "password": "icims_pass"},
)
