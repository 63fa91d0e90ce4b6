"""A stateful fake of TRAFFIT's Integration API v2 (``atsbridge fake-ats traffit``).

**No TRAFFIT traffic was ever recorded** and the public docs show only the token request and public job posts
[doc]: records are built from the resource names of reference §7 [3p] (see ``state``), so the shapes are this
fake's reading, not the vendor's proof (no ``payloads/``).

The quirk copied: **paging, filtering and sorting travel in request headers** [doc] — ``X-Request-Current-Page``
(from 1), ``X-Request-Page-Size`` (default 20, at most 100 [gap: undocumented]), ``X-Request-Filter``
(``{"field": {"value", "comparison"}}`` with ``= != < <= > >= in like``; a broken header is a 400) and
``X-Request-Sort`` (``{"sort_by", "direction"}``); query parameters page nothing. Bodies are bare arrays with
``X-Result-Count``/``-Current-Page``/``-Page-Size``/``-Total-Count``/``-Total-Pages`` headers [3p]. Times are
``YYYY-MM-DD HH:MM:SS`` and some values are JSON encoded in strings (``options.job_location``) [doc].

Served under ``/api/integration/v2``: ``GET /users``, ``/workflows`` (with ``states``), ``/recruitments``,
``/recruitments/{id}``, ``/recruitments/{id}/employees`` (+ ``POST {employee_id}``),
``/recruitments/{id}/rejections``, ``/employees`` (+ ``POST``), ``/employees/{id}``, ``/employees/{id}/notes``
(+ ``POST {content}``), ``/employees/{id}/files`` and ``/employees/{id}/files/{file}/content``. Auth: OAuth2
``POST /oauth2/token`` (client credentials) then ``Authorization: Bearer``. Errors [3p: three shapes reported,
none documented]: a refused token ``{"error": "invalid_token", "error_description"}`` (OAuth server style), all
else ``{"code", "message"}``. Rate limits are undocumented: 10 requests a second here, then 429 without headers.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import quote

import orjson
from starlette.responses import Response

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import HeaderPages, Reply, header_match
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks, reply
from atsbridge.fakes.traffit.state import CLIENT_ID, CLIENT_SECRET, FIRST, STATIC_TOKEN, FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/api/integration/v2"
PAGER = HeaderPages(default_size=20, max_size=100)
PROBE = (f"{V2}/users", {"Authorization": f"Bearer {STATIC_TOKEN}"})


def errors(error: VendorError) -> Any:
    if error.status == 401:
        return {"error": "invalid_token", "error_description": error.message}
    return {"code": error.status, "message": error.message}


def _sorted(call: Call[FakeState], rows: list[Raw]) -> list[Raw]:
    raw = call.request.headers.get("X-Request-Sort")
    spec: Any = {}
    if raw:
        try:
            spec = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise VendorError(400, "X-Request-Sort is not valid JSON") from None
    if not isinstance(spec, dict):
        raise VendorError(400, "X-Request-Sort must be a JSON object")
    key, reverse = str(spec.get("sort_by") or "id"), str(spec.get("direction") or "ASC").upper() == "DESC"
    return sorted(rows, key=lambda r: (r.get(key) is None, str(r.get(key)).zfill(20)), reverse=reverse)


def _listed(call: Call[FakeState], rows: list[Raw]) -> Reply:
    filters = PAGER.filters(call.request)
    found = [r for r in rows if header_match(r, filters)]
    return PAGER.page(call.request, _sorted(call, found), call.fake.page_cap)


def _no_private(row: Raw) -> Raw:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def list_employees_of(call: Call[FakeState]) -> Reply:
    rid = str(call.fake.recruitment(call.path["id"])["id"])
    return _listed(call, [v for k, v in call.fake.links.items() if k.startswith(f"{rid}:")])


def link_employee(call: Call[FakeState]) -> Any:
    body = call.json_object()
    eid = body.get("employee_id")
    if not isinstance(eid, int | str) or not str(eid).isdigit():
        raise VendorError(422, "employee_id: This value should not be blank.", field="employee_id")
    return reply(call.fake.link(call.path["id"], str(eid)), 201)


def list_rejections(call: Call[FakeState]) -> Reply:
    rid = str(call.fake.recruitment(call.path["id"])["id"])
    return _listed(call, [v for k, v in call.fake.rejections.items() if k.startswith(f"{rid}:")])


def employee_notes(call: Call[FakeState]) -> Reply:
    eid = str(call.fake.employee(call.path["id"])["id"])
    return _listed(call, [n for n in call.fake.notes.values() if str(n["employee_id"]) == eid])


def employee_files(call: Call[FakeState]) -> Reply:
    eid = str(call.fake.employee(call.path["id"])["id"])
    return _listed(call, [f for f in call.fake.files.values() if str(f["employee_id"]) == eid])


def file_content(call: Call[FakeState]) -> Response:
    found = call.fake.files.get(call.path["file"])
    if found is None or str(found["employee_id"]) != call.path["id"]:
        raise VendorError(404, "File not found")
    name = str(found["name"])
    plain = name.encode("ascii", "replace").decode().replace("?", "_")  # headers are latin-1: RFC 6266 form too
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return Response(call.fake.contents[call.path["file"]], media_type=found["mime_type"],
                    headers={"Content-Disposition": disposition})  # fmt: skip


SPEC_ENDPOINTS = [
    Endpoint("GET", f"{V2}/users", lambda call: _listed(call, list(call.fake.users.values()))),
    Endpoint("GET", f"{V2}/workflows", lambda call: _listed(call, list(call.fake.workflows.values()))),
    Endpoint("GET", f"{V2}/recruitments", lambda call: _listed(call, list(call.fake.recruitments.values()))),
    Endpoint("GET", f"{V2}/recruitments/{{id}}", lambda call: call.fake.recruitment(call.path["id"])),
    Endpoint("GET", f"{V2}/recruitments/{{id}}/employees", list_employees_of),
    Endpoint("POST", f"{V2}/recruitments/{{id}}/employees", link_employee),
    Endpoint("GET", f"{V2}/recruitments/{{id}}/rejections", list_rejections),
    Endpoint("GET", f"{V2}/employees", lambda call: _listed(call, list(call.fake.employees.values()))),
    Endpoint("POST", f"{V2}/employees", lambda call: reply(call.fake.add_employee(call.json_object()), 201)),
    Endpoint("GET", f"{V2}/employees/{{id}}", lambda call: call.fake.employee(call.path["id"])),
    Endpoint("GET", f"{V2}/employees/{{id}}/notes", employee_notes),
    Endpoint(
        "POST",
        f"{V2}/employees/{{id}}/notes",
        lambda call: reply(call.fake.add_note(call.path["id"], call.json_object()), 201),
    ),  # fmt: skip
    Endpoint("GET", f"{V2}/employees/{{id}}/files", employee_files),
    Endpoint("GET", f"{V2}/employees/{{id}}/files/{{file}}/content", file_content),
]


# ------------------------------------------------------------------------------------------------ simulate
def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    eid = pick(rnd, fake.employees)
    if eid is None:
        return None
    emp = fake.employees[eid]
    emp["first_name"] = rnd.choice([n for n in FIRST if n != emp["first_name"]])
    fake.touch(eid)
    return Change("candidates", eid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    key = pick(rnd, [k for k in fake.links if k not in fake.rejections])
    if key is None:
        return None
    states = [s["id"] for s in fake.states_of(key.split(":")[0])]
    current = fake.links[key]["state_id"]
    ahead = states[states.index(current) + 1 :] if current in states else states
    if not ahead:
        return None
    fake.move(key, rnd.choice(ahead))
    return Change("applications", key, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    key = pick(rnd, [k for k in fake.links if k not in fake.rejections])
    if key is None:
        return None
    rid, eid = key.split(":")
    fake.reject(rid, eid)
    return Change("applications", key, "updated")


_delete = delete_one(lambda f: f.employees, FakeState.delete_employee, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    rid = pick(rnd, [r for r, rec in fake.recruitments.items() if rec["status"] == "active"])
    if rid is None:
        return None
    emp = fake.add_employee({"first_name": rnd.choice(FIRST), "last_name": "Symulacja",
                             "email": f"sim.{fake.seq}@mail.example"})  # fmt: skip
    fake.link(rid, str(emp["id"]))
    return Change("applications", f"{rid}:{emp['id']}", "created")


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "workflows": len(fake.workflows), "recruitments": len(fake.recruitments),
            "employees": len(fake.employees), "applications": len(fake.links), "rejections": len(fake.rejections),
            "notes": len(fake.notes), "files": len(fake.files)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _reject, _delete, _apply, refused=(VendorError, KeyError)),
    lambda f: {"candidates": list(f.employees), "applications": list(f.links), "jobs": list(f.recruitments)},
    {"candidates": "candidates", "applications": "applications", "jobs": "jobs"},
)

SPEC = FakeSpec(name="traffit", errors=errors, pager=PAGER, hooks=HOOKS, endpoints=SPEC_ENDPOINTS)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` employees (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{V2}"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)
