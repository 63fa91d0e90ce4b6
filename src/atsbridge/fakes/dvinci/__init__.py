"""A stateful fake of d.vinci's ATS REST API for tests and demos (``atsbridge fake-ats dvinci``).

Shapes are the REST API doc's examples (v1.61), copied verbatim into ``payloads/`` (``MANIFEST.json`` names each
one's endpoint) and varied only in their values (``state.py``). Built from the documented rules, unrecorded:
the answers of ``POST /persons/`` and ``POST /applications/`` (the new record) [gap], 403 for a missing id (the
doc: 403 also means "entity/id not exists"), 400 for a date filter with an offset [gap: status undocumented].

Served under ``/restApi`` with ``Dvinci-API-User`` + ``Dvinci-API-Token`` (else 401): users, org units, job
openings, persons (``?externalId=``, POST, PUT), applications (slim list rows; ``byJobOpeningId``,
``byApplicationStatusId``, ``byLastStatusChangeDateFrom/To``, ``byDateCreatedFrom/To``, UTC ``Z`` only; by id,
POST, PUT), their history (PUT ``/{externalId}`` upserts an entry), attachments (base64 in and out) and
``statusChange/{statusId}``. Quirks copied: **unpaged lists** (whatever the page cap), **409 on a stale
version** (a PUT must carry the record's ``version``; the recorded ``ConcurrentModification`` body), errors as
``{"errorMsg", "fieldErrors": [{"field", "code"}]}``, 429 beyond the rate window (default 10/s; d.vinci
publishes no numbers and no ``Retry-After``). Faults, request log and control API are the engine's.
"""

from __future__ import annotations

import base64
import binascii
import random
from typing import Any
from urllib.parse import urlsplit

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.dvinci.state import FIRST, STATUSES, FakeState, Raw, load
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

R = "/restApi"
PROBE = (f"{R}/orgUnits/", {"Dvinci-API-User": "atsbridge_api", "Dvinci-API-Token": "dvinci_token"})
SLIM = ("id", "externalId", "person", "jobOpening", "applicationStatusId", "lastStatusChangeDate", "dateCreated")
DATES = {"byLastStatusChangeDate": "lastStatusChangeDate", "byDateCreated": "dateCreated"}


def errors(error: VendorError) -> Any:
    if error.field:
        return {"fieldErrors": [{"field": error.field, "code": error.code}], "errorMsg": error.message}
    return {"errorMsg": error.message}


def _public(record: Raw) -> Raw:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _bound(call: Call[FakeState], name: str) -> Any:
    value = call.query.get(name)
    if value is not None and not value.endswith("Z"):
        raise VendorError(400, f"{name}: only UTC dates ending with Z are supported")
    try:
        return parse_ts(value) if value is not None else None
    except ValueError:
        raise VendorError(400, f"{name}: invalid date {value!r}") from None


def list_applications(call: Call[FakeState]) -> list[Raw]:
    q, rows = call.query, list(call.fake.applications.values())
    if q.get("byJobOpeningId"):
        rows = [a for a in rows if str(a["jobOpening"]["id"]) == q["byJobOpeningId"]]
    if q.get("byApplicationStatusId"):
        rows = [a for a in rows if a["applicationStatusId"] == q["byApplicationStatusId"]]
    for prefix, key in DATES.items():
        low, high = _bound(call, f"{prefix}From"), _bound(call, f"{prefix}To")
        rows = [a for a in rows if (low is None or parse_ts(a[key]) >= low)
                and (high is None or parse_ts(a[key]) <= high)]  # fmt: skip
    return [{k: a[k] for k in SLIM} for a in rows]  # no paging: the whole list, always


def _simple(attr: str) -> Any:
    def handler(call: Call[FakeState]) -> Any:
        found = getattr(call.fake, attr)
        return list(found.values()) if isinstance(found, dict) else found

    return handler


def list_persons(call: Call[FakeState]) -> list[Raw]:
    ext = call.query.get("externalId")
    return [p for p in call.fake.persons.values() if ext is None or p.get("externalId") == ext]


def _one(attr: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        key = call.path["id"]
        found: Raw | None = getattr(call.fake, attr).get(int(key)) if key.isdigit() else None
        if found is None:
            raise VendorError(403, "Forbidden")
        return found

    return handler


def put_person(call: Call[FakeState]) -> Raw:
    person = _one("persons")(call)
    return call.fake.put(person, call.json_object(), ("id", "applications"))


def put_application(call: Call[FakeState]) -> Raw:
    app = call.fake.app(call.path["id"])
    return call.fake.put(app, call.json_object(), ("id", "person", "jobOpening"))


def post_person(call: Call[FakeState]) -> Raw:
    return call.fake.add_person(call.json_object(), call.fake.now())


def post_application(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    for key in ("person", "jobOpening", "languageId", "type"):
        if not body.get(key):
            raise VendorError(422, "Entity not valid", code="mandatory", field=key)
    ext = body.get("externalId")
    if ext is not None and any(a.get("externalId") == ext for a in call.fake.applications.values()):
        raise VendorError(422, "Entity not valid", code="unique", field="externalId")
    person, job = ((body.get(k) or {}).get("id") for k in ("person", "jobOpening"))
    if not isinstance(person, int) or not isinstance(job, int):
        raise VendorError(422, "Entity not valid", code="typeMismatch", field="person")
    if call.fake.jobs.get(job, {}).get("status") == "CLOSED":
        raise VendorError(422, "Entity not valid", code="valueNotPermitted", field="jobOpening")
    if body.get("applicationStatusId") not in (None, *STATUSES):
        raise VendorError(422, "Entity not valid", code="valueNotPermitted", field="applicationStatusId")
    return call.fake.add_application(person, job, body, call.fake.now())


def history(call: Call[FakeState]) -> list[Raw]:
    return call.fake.history[call.fake.app(call.path["id"])["id"]]


def put_history(call: Call[FakeState]) -> Raw:
    """Upsert the entry with this external id (``type`` ``EXTERNAL_SYSTEM``)."""
    entries, body = history(call), call.json_object()
    if not str(body.get("description") or "").strip():
        raise VendorError(422, "Entity not valid", code="mandatory", field="description")
    entry = next((e for e in entries if e.get("externalId") == call.path["ext"]), None)
    if entry is None:
        entry = {"externalId": call.path["ext"], "dateCreated": None, "type": "EXTERNAL_SYSTEM", "description": None,
                 "comment": None, "dvinciUserId": None, "externalUser": None}  # fmt: skip
        entries.append(entry)
    entry.update({k: body.get(k) for k in ("description", "dvinciUserId", "externalUser")})
    entry["dateCreated"] = body.get("dateCreated") or entry["dateCreated"] or call.fake.now().isoformat()[:23] + "Z"
    return entry


def attachments(call: Call[FakeState]) -> list[Raw]:
    return [_public(a) for a in call.fake.attachments[call.fake.app(call.path["id"])["id"]]]


def attachment(call: Call[FakeState]) -> Raw:
    files = call.fake.attachments[call.fake.app(call.path["id"])["id"]]
    found = next((a for a in files if a["id"] == call.path["aid"]), None)
    if found is None:
        raise VendorError(403, "Forbidden")
    return {**_public(found), "contentAsBase64": base64.b64encode(found["_content"]).decode()}


def post_attachment(call: Call[FakeState]) -> Raw:
    files, body = call.fake.attachments[call.fake.app(call.path["id"])["id"]], call.json_object()
    for key in ("filename", "description", "contentAsBase64"):
        if not body.get(key):
            raise VendorError(422, "Entity not valid", code="mandatory", field=key)
    try:
        content = base64.b64decode(str(body["contentAsBase64"]), validate=True)
    except (binascii.Error, ValueError):
        raise VendorError(422, "Entity not valid", code="formatNotAllowed", field="contentAsBase64") from None
    template = load("rest_get_application_attachments.json")[0]
    made = call.fake.file({**template, "filename": body["filename"], "description": body["description"],
                           "contentType": "application/pdf" if str(body["filename"]).endswith(".pdf")
                           else "application/octet-stream"}, call.fake.now(), content)  # fmt: skip
    files.append(made)
    return {"id": made["id"]}


def status_change(call: Call[FakeState]) -> Raw:
    call.fake.change_status(call.path["id"], call.path["status"])
    return {"success": True}


# ------------------------------------------------------------------------------------ control-API hooks
def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, fake.persons)
    if pid is None:
        return None
    person = fake.persons[pid]
    person.update(firstName=f"{rnd.choice(FIRST)} {rnd.randrange(1000)}", version=person["version"] + 1)
    return Change("persons", str(pid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applications)
    if aid is None:
        return None
    fake.change_status(aid, rnd.choice([s for s in STATUSES if s != fake.applications[aid]["applicationStatusId"]]))
    return Change("applications", str(aid), "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, fake.persons)
    if pid is None or len(fake.persons) < 2:
        return None
    fake.delete_person(pid)
    return Change("persons", str(pid), "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, job in fake.jobs.items() if job["status"] == "ACTIVE"])
    if job is None:
        return None
    person = fake.add_person({"firstName": rnd.choice(FIRST), "lastName": "Sim"}, fake.now())
    return Change("applications", str(fake.add_application(person["id"], job, {}, fake.now())["id"]), "created")


HOOKS = Hooks(
    lambda f: {"users": len(f.users), "jobOpenings": len(f.jobs), "persons": len(f.persons),
               "applications": len(f.applications), "history": sum(map(len, f.history.values())),
               "attachments": sum(map(len, f.attachments.values()))},
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError, KeyError)),
    lambda f: {"candidates": [str(p) for p in f.persons], "applications": [str(a) for a in f.applications]},
    {"persons": "candidates", "applications": "applications"},
)  # fmt: skip
A = f"{R}/applications/{{id}}"
SPEC = FakeSpec(
    name="dvinci",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{R}/dvinciUsers/", _simple("users")),
        Endpoint("GET", f"{R}/orgUnits/", _simple("org_units")),
        Endpoint("GET", f"{R}/jobOpenings/", _simple("jobs")),
        Endpoint("GET", f"{R}/jobOpenings/{{id}}", _one("jobs")),
        Endpoint("GET", f"{R}/persons/", list_persons),
        Endpoint("POST", f"{R}/persons/", post_person),
        Endpoint("GET", f"{R}/persons/{{id}}", _one("persons")),
        Endpoint("PUT", f"{R}/persons/{{id}}", put_person),
        Endpoint("GET", f"{R}/applications/", list_applications),
        Endpoint("POST", f"{R}/applications/", post_application),
        Endpoint("GET", A, lambda call: call.fake.app(call.path["id"])),
        Endpoint("PUT", A, put_application),
        Endpoint("GET", f"{A}/history", history),
        Endpoint("PUT", f"{A}/history/{{ext}}", put_history),
        Endpoint("GET", f"{A}/attachments", attachments),
        Endpoint("POST", f"{A}/attachments", post_attachment),
        Endpoint("GET", f"{A}/attachments/{{aid}}", attachment),
        Endpoint("POST", f"{A}/statusChange/{{status}}", status_change),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` persons, one
#: application each (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{R}", "host": urlsplit(base_url).hostname or "localhost"},
    {"api_user": "atsbridge_api", "api_token": "dvinci_token"},
)
