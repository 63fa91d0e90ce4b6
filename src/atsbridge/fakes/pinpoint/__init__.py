"""A stateful fake of Pinpoint's JSON:API (``/api/v1``) for tests and demos (``atsbridge fake-ats pinpoint``).

**Only request bodies were ever recorded** (``payloads/``: create, move stage, tags [doc]); every answer is
built from the documented conventions, field by field:

* Resources are ``{"id", "type", "attributes", "relationships"}``. A relationship carries linkage
  (``{"data": ...}``) only when the request ``include=``s it; otherwise ``{"meta": {"included": false}}``, as
  the stored docs show for ``answers`` [doc]. Included resources are in the top-level ``included``.
* Lists: ``page[number]`` (from 1) and ``page[size]`` (1-100), ``links`` with ``self``/``first``/``last`` and
  ``next``/``prev`` as full URLs, ``meta.total_count`` [gap: paging is not in the stored docs].
* Attributes: applications take the documented create attributes (``first_name``, ``last_name``, ``email``,
  ``phone``...) plus ``tags`` (``{tag, context}``), ``source``, ``rejected_at``, ``admin_url``, timestamps;
  candidates the person's; jobs ``title``, ``description``, ``department``, ``employment_type``, ``status``
  (open|closed), ``visibility`` (public|confidential), ``url``, ``opened_at``/``closed_at``; stages ``name``,
  ``stage_type`` (applied|in_progress|offer|hired|rejected|withdrawn) and ``position``; rejection reasons
  and users. All of these beyond the request attributes are [3p]/[gap] picks.
* ``/applications`` hides applications of confidential jobs unless ``filter[job_visibility]`` names
  ``confidential`` [doc]; it filters on ``filter[email]`` [gap].

Served: ``X-API-KEY`` auth (401 ``{"errors": [...]}`` otherwise); ``GET /api/v1/{users,rejection_reasons,jobs,
candidates,applications}`` and ``/{id}`` with ``include``; ``POST /applications`` (201, the application
without linkage), ``PUT /applications/{id}`` (attributes, ``stage`` relationship, ``add_tags_with_context`` /
``remove_tag_with_context``; the job cannot change), ``POST /comments`` (``body_text`` on a ``commentable``
application). Errors are JSON:API ``{"errors": [{"status", "title", "detail", "source"?}]}``; beyond the rate
window (default 10/s, no rate headers published [gap]) 429 with ``Retry-After``. Webhooks: every simulated change
is pushed, unsigned, to the URLs registered with ``POST /__fake/webhooks`` (``webhooks``). Built on the fake engine.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from atsbridge.fakes.kit import jsonapi
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.pinpoint.simulate import HOOKS
from atsbridge.fakes.pinpoint.state import RELATIONS, FakeState, Raw

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/api/v1"
KINDS = ("users", "rejection_reasons", "jobs", "candidates", "applications")


def errors(error: VendorError) -> Any:
    titles = {401: "Unauthorized", 404: "Not Found", 422: "Unprocessable Entity", 429: "Too Many Requests"}
    return jsonapi.error_body(error, titles.get(error.status, "Bad Request"))


def _resource(fake: FakeState, kind: str, rid: str, include: set[str]) -> Raw:
    row = getattr(fake, kind)[rid]
    out: Raw = {"id": rid, "type": kind, "attributes": dict(row["attributes"])}
    relations: Raw = {}
    for name, (rtype, _) in RELATIONS.get(kind, {}).items():
        if name not in include:
            relations[name] = {"meta": {"included": False}}
            continue
        value = row.get(name)
        ids = value if isinstance(value, list) else [value] if value is not None else []
        linkage = [{"type": rtype, "id": i} for i in ids]
        relations[name] = {"data": linkage if isinstance(value, list) else (linkage[0] if linkage else None)}
    if relations:
        out["relationships"] = relations
    return out


def _document(fake: FakeState, kind: str, ids: list[str], include: set[str]) -> tuple[list[Raw], list[Raw]]:
    data = [_resource(fake, kind, i, include) for i in ids]
    seen: dict[tuple[str, str], Raw] = {}
    for row in data:
        for name, rel in (row.get("relationships") or {}).items():
            linkage = rel.get("data")
            for ref in linkage if isinstance(linkage, list) else [linkage] if linkage else []:
                table = RELATIONS[kind][name][1]
                if (ref["type"], ref["id"]) not in seen and ref["id"] in getattr(fake, table):
                    seen[(ref["type"], ref["id"])] = _resource(fake, table, ref["id"], set())
    return data, list(seen.values())


def _include(call: Call[FakeState], kind: str) -> set[str]:
    names = {n.strip() for n in call.query.get("include", "").split(",") if n.strip()}
    unknown = names - set(RELATIONS.get(kind, {}))
    if unknown:
        raise VendorError(400, f"Invalid include: {sorted(unknown)[0]} is not a relationship of {kind}")
    return names


def _rows(call: Call[FakeState], kind: str) -> list[str]:
    q, table = call.query, getattr(call.fake, kind)
    ids = sorted(table, key=int)
    if kind == "applications":
        shown = {v.strip() for v in q.get("filter[job_visibility]", "").split(",")}
        ids = [i for i in ids if call.fake.visible(i, shown)]
        if q.get("filter[email]"):
            ids = [i for i in ids if table[i]["attributes"]["email"] == q["filter[email]"].lower()]
    return ids


def _listing(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        include, ids = _include(call, kind), _rows(call, kind)
        ids_page, links = jsonapi.page(call, ids)
        data, included = _document(call.fake, kind, ids_page, include)
        body: Raw = {"data": data, "links": links, "meta": {"total_count": len(ids)}}
        return {**body, "included": included} if include else body

    return handler


def _one(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        rid = call.path["id"]
        if rid not in getattr(call.fake, kind) or (kind == "applications" and rid not in _rows(call, kind)):
            raise VendorError(404, f"Couldn't find {kind[:-1]} with 'id'={rid}")
        include = _include(call, kind)
        data, included = _document(call.fake, kind, [rid], include)
        return {"data": data[0], "included": included} if include else {"data": data[0]}

    return handler


#: Relationships a write's answer carries linkage for (without side-loading them); never the candidate [3p].
ECHOED = {"job", "stage"}
PERSON = ("first_name", "last_name", "email", "phone", "phone_iso2", "address1", "address2", "town", "country",
          "postcode", "date_of_birth", "linkedin_url")  # fmt: skip


def create_application(call: Call[FakeState]) -> Any:
    fake, data = call.fake, jsonapi.data_of(call, "applications")
    a: Raw = data["attributes"] if isinstance(data.get("attributes"), dict) else {}
    for key in ("first_name", "last_name", "email"):
        if not isinstance(a.get(key), str) or not a[key].strip():
            blank = f"{key.replace('_', ' ').capitalize()} can't be blank"
            raise VendorError(422, blank, field=f"/data/attributes/{key}")
    job = jsonapi.related(data, "job")
    if job not in fake.jobs:
        raise VendorError(422, "Job must exist", field="/data/relationships/job")
    if fake.jobs[job]["attributes"]["status"] != "open":
        raise VendorError(422, "Job is not accepting applications", field="/data/relationships/job")
    stage = jsonapi.related(data, "stage") or fake.jobs[job]["stages"][0]
    if fake.stages.get(stage, {}).get("job") != job:
        raise VendorError(422, "Stage must belong to the job", field="/data/relationships/stage")
    with fake.lock:
        person = {k: a.get(k) for k in ("first_name", "last_name", "email", "phone")}
        extra = {k: a[k] for k in PERSON[4:] if a.get(k)}
        if a.get("cv_base64_filename"):
            extra["cv_filename"] = a["cv_base64_filename"]
        aid = fake.add_application(person, job, stage, fake.now(), extra)
    return reply({"data": _resource(fake, "applications", aid, ECHOED)}, 201)


def update_application(call: Call[FakeState]) -> Raw:
    fake, aid, data = call.fake, call.path["id"], jsonapi.data_of(call, "applications")
    if aid not in fake.applications:
        raise VendorError(404, f"Couldn't find application with 'id'={aid}")
    if str(data.get("id")) != aid:
        raise VendorError(422, "data.id must match the URL", field="/data/id")
    if jsonapi.related(data, "job") not in (None, fake.applications[aid]["job"]):
        raise VendorError(422, "Job cannot be changed", field="/data/relationships/job")
    a: Raw = data["attributes"] if isinstance(data.get("attributes"), dict) else {}
    with fake.lock:
        app = fake.applications[aid]
        tags = list(app["attributes"]["tags"])
        for tag in a.get("add_tags_with_context") or []:
            if not isinstance(tag, dict) or not tag.get("tag") or not tag.get("context"):
                bad = "Each tag needs a tag and a context"
                raise VendorError(422, bad, field="/data/attributes/add_tags_with_context")
            if {"tag": tag["tag"], "context": tag["context"]} not in tags:
                tags.append({"tag": tag["tag"], "context": tag["context"]})
        gone = a.get("remove_tag_with_context")
        if isinstance(gone, dict):
            tags = [t for t in tags if t != {"tag": gone.get("tag"), "context": gone.get("context")}]
        changes = {k: a[k] for k in PERSON if k in a}
        if changes or tags != app["attributes"]["tags"]:
            app["attributes"].update(changes, tags=tags, updated_at=fake.now())
        stage = jsonapi.related(data, "stage")
        if stage is not None and stage != app["stage"]:
            fake.move(aid, stage)
    return {"data": _resource(fake, "applications", aid, ECHOED)}


def create_comment(call: Call[FakeState]) -> Any:
    fake, data = call.fake, jsonapi.data_of(call, "comments")
    text = (data.get("attributes") or {}).get("body_text") if isinstance(data.get("attributes"), dict) else None
    if not isinstance(text, str) or not text.strip():
        raise VendorError(422, "Body text can't be blank", field="/data/attributes/body_text")
    target = jsonapi.related(data, "commentable")
    if target not in fake.applications:
        raise VendorError(422, "Commentable must exist", field="/data/relationships/commentable")
    rid = fake.comment(target, text)
    return reply({"data": _resource(fake, "comments", rid, set())}, 201)


ENDPOINTS = [*(Endpoint("GET", f"{API}/{kind}", _listing(kind)) for kind in KINDS),
             *(Endpoint("GET", f"{API}/{kind}/{{id}}", _one(kind)) for kind in KINDS),
             Endpoint("POST", f"{API}/applications", create_application),
             Endpoint("PUT", f"{API}/applications/{{id}}", update_application),
             Endpoint("POST", f"{API}/comments", create_comment)]  # fmt: skip
SPEC = FakeSpec(name="pinpoint", errors=errors, hooks=HOOKS, endpoints=ENDPOINTS)


Rate = tuple[int, float] | None


def create_app(seed: int = 1, records: int = 200, *, latency: float = 0.0, rate_limit: Rate = (10, 1.0),
               state: FakeState | None = None) -> Starlette:  # fmt: skip
    """A fake tenant with ``records`` applications (or the given ``state`` as is)."""
    fake = state if state is not None else FakeState.generate(seed, records, rate_limit)
    fake.latency = latency
    return build_app(SPEC, fake)


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "subdomain": "acme",
                      "job_visibility": "public,internal,confidential"},
    {"api_key": "pinpoint_key"},
)  # fmt: skip
