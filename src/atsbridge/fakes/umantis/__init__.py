"""A stateful fake of the Umantis JSON:API (``/api/v1``) for tests and demos (``atsbridge fake-ats umantis``;
``abacusumantis`` serves the same fake).

**Nothing was ever recorded for Umantis** (the ``abacus-jobsportal`` recordings are Abacus ERP's job portal,
another product), so every answer is built from the documented conventions and the connector's [gap] picks:

* JSON:API documents [doc]: resources ``{"id", "type", "attributes", "relationships"}``; to-one relationships
  always carry linkage (``{"data": {"type", "id"}}`` or ``null``), the related resources are in ``included``
  only when the request ``include=``s them; an unknown include or filter is a 400 (JSON:API requires it).
* Media type [doc]: ``Accept`` naming ``application/vnd.api+json`` only with media-type parameters is refused
  with 406, a ``Content-Type`` with parameters with 415 (the JSON:API rules the Umantis help quotes).
* Lists: ``page[number]`` (from 1) and ``page[size]`` (1-100, default 20), ``links`` with ``self``/``first``/
  ``last`` and ``next``/``prev`` as full URLs, ``meta.total_count`` [gap].
* Resources [gap]: ``users``, ``jobs``, ``stages`` (the default pipeline with ``job: null`` and job-specific
  stages), ``persons`` (``filter[email]``), ``applications`` (``filter[person]``; ``status`` active | hired |
  rejected | withdrawn).

Served: ``Authorization: Bearer <key>`` [gap: scheme] (401 otherwise); ``GET /api/v1/{users,jobs,stages,
persons,applications}`` and ``/{id}``; ``POST /persons`` (201) and ``POST /applications`` (201; 422 when the
job is not open, the stage is not in the job's pipeline or the person already applied). Errors are JSON:API
``{"errors": [{"status", "title", "detail", "source"?}]}``; beyond the rate window (default 10/s, no limit is
published [gap]) 429 with ``Retry-After``. Deleting a person deletes their applications. Built on the engine.
"""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.kit import jsonapi
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.umantis.simulate import HOOKS
from atsbridge.fakes.umantis.state import RELATIONS, FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/api/v1"
MEDIA = "application/vnd.api+json"
KINDS = ("users", "jobs", "stages", "persons", "applications")
FILTERS = {"persons": {"filter[email]": "email"}, "applications": {"filter[person]": "person"}}
TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 406: "Not Acceptable",
          415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests"}  # fmt: skip
#: An authenticated read and the headers that authenticate it (generic fake tests).
PROBE = (f"{API}/users", {"Authorization": "Bearer umantis_key", "Accept": MEDIA})


def errors(error: VendorError) -> Any:
    return jsonapi.error_body(error, TITLES.get(error.status, "Error"))


def _media(call: Call[FakeState]) -> None:
    """JSON:API's media-type rules: the type only with parameters in Accept -> 406; in Content-Type -> 415."""
    accept = [p.strip() for p in call.request.headers.get("accept", "").split(",")]
    ours = [p for p in accept if p.split(";")[0].strip() == MEDIA]
    if ours and all(";" in p for p in ours):
        raise VendorError(406, f"Accept must name {MEDIA} without media type parameters")
    ctype = call.request.headers.get("content-type", "")
    if call.request.method in ("POST", "PATCH") and ctype.split(";")[0].strip() == MEDIA and ";" in ctype:
        raise VendorError(415, f"Content-Type must be {MEDIA} without media type parameters")


def _resource(fake: FakeState, kind: str, rid: str) -> Raw:
    row = getattr(fake, kind)[rid]
    out: Raw = {"id": rid, "type": kind, "attributes": dict(row["attributes"])}
    relations = {name: {"data": {"type": rtype, "id": row[name]} if row.get(name) is not None else None}
                 for name, (rtype, _) in RELATIONS.get(kind, {}).items()}  # fmt: skip
    if relations:
        out["relationships"] = relations
    return out


def _document(fake: FakeState, kind: str, ids: list[str], include: set[str]) -> Raw:
    data = [_resource(fake, kind, i) for i in ids]
    if not include:
        return {"data": data}
    seen: dict[tuple[str, str], Raw] = {}
    for rid in ids:
        row = getattr(fake, kind)[rid]
        for name in include:
            table, ref = RELATIONS[kind][name][1], row.get(name)
            if ref is not None and (table, ref) not in seen and ref in getattr(fake, table):
                seen[(table, ref)] = _resource(fake, table, ref)
    return {"data": data, "included": list(seen.values())}


def _include(call: Call[FakeState], kind: str) -> set[str]:
    names = {n.strip() for n in call.query.get("include", "").split(",") if n.strip()}
    unknown = names - set(RELATIONS.get(kind, {}))
    if unknown:
        raise VendorError(400, f"{sorted(unknown)[0]} is not a relationship of {kind}", field="include")
    return names


def _rows(call: Call[FakeState], kind: str) -> list[str]:
    table, allowed = getattr(call.fake, kind), FILTERS.get(kind, {})
    ids = sorted(table, key=int)
    for param, value in call.query.items():
        if not param.startswith("filter["):
            continue
        if param not in allowed:
            raise VendorError(400, f"{param} is not a filterable attribute of {kind}", field=param)
        key = allowed[param]
        ids = [
            i for i in ids if str(table[i]["attributes"].get(key) or table[i].get(key) or "").lower() == value.lower()
        ]
    return ids


def _listing(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        _media(call)
        include, ids = _include(call, kind), _rows(call, kind)
        ids_page, links = jsonapi.page(call, ids, pointer=True)
        body = _document(call.fake, kind, ids_page, include)
        return {**body, "links": links, "meta": {"total_count": len(ids)}}

    return handler


def _one(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        _media(call)
        rid = call.path["id"]
        if rid not in getattr(call.fake, kind):
            raise VendorError(404, f"{kind[:-1]} {rid} not found")
        body = _document(call.fake, kind, [rid], _include(call, kind))
        return {**body, "data": body["data"][0]}

    return handler


def _data(call: Call[FakeState], kind: str) -> tuple[Raw, Raw]:
    _media(call)
    data = jsonapi.data_of(call, kind)
    attributes = data.get("attributes")
    return data, attributes if isinstance(attributes, dict) else {}


PERSON = ("first_name", "last_name", "email", "phone", "mobile", "street", "zip_code", "city", "country",
          "birth_date", "salutation", "language")  # fmt: skip


def create_person(call: Call[FakeState]) -> Any:
    fake, (_, a) = call.fake, _data(call, "persons")
    for key in ("first_name", "last_name", "email"):
        if not isinstance(a.get(key), str) or not a[key].strip():
            raise VendorError(422, f"{key} must not be blank", field=f"/data/attributes/{key}")
    unknown = sorted(set(a) - set(PERSON))
    if unknown:
        raise VendorError(422, f"{unknown[0]} is not an attribute of persons", field=f"/data/attributes/{unknown[0]}")
    with fake.lock:
        pid = fake.add_person({k: a[k] for k in PERSON if k in a}, fake.now())
    return reply({"data": _resource(fake, "persons", pid)}, 201)


def create_application(call: Call[FakeState]) -> Any:
    fake, (data, a) = call.fake, _data(call, "applications")
    person, job = jsonapi.related(data, "person"), jsonapi.related(data, "job")
    if person not in fake.persons:
        raise VendorError(422, "person must exist", field="/data/relationships/person")
    if job not in fake.jobs:
        raise VendorError(422, "job must exist", field="/data/relationships/job")
    if fake.jobs[job]["attributes"]["status"] != "open":
        raise VendorError(422, "the job is not open for applications", field="/data/relationships/job")
    stage = jsonapi.related(data, "stage") or fake.pipeline(job)[0]
    if stage not in fake.pipeline(job):
        raise VendorError(422, "stage is not in the job's pipeline", field="/data/relationships/stage")
    if any(row["person"] == person and row["job"] == job for row in fake.applications.values()):
        raise VendorError(422, "the person already applied to this job", field="/data/relationships/job")
    with fake.lock:
        aid = fake.add_application(person, job, stage, fake.now(), a.get("source") if a.get("source") else None)
    return reply({"data": _resource(fake, "applications", aid)}, 201)


ENDPOINTS = [*(Endpoint("GET", f"{API}/{kind}", _listing(kind)) for kind in KINDS),
             *(Endpoint("GET", f"{API}/{kind}/{{id}}", _one(kind)) for kind in KINDS),
             Endpoint("POST", f"{API}/persons", create_person),
             Endpoint("POST", f"{API}/applications", create_application)]  # fmt: skip
SPEC = FakeSpec(name="umantis", errors=errors, hooks=HOOKS, endpoints=ENDPOINTS)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "subdomain": "acme"},
    {"api_key": "umantis_key"},
)
