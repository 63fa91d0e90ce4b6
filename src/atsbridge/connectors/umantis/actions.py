"""Umantis writes: create a person and their application (JSON:API documents, ``{"data": {...}}``).

* ``POST /persons`` ("Create a person", whose ``attributes`` Kombo fills from ``remote_fields.umantis.person``
  [3p]) with ``first_name``, ``last_name``, ``email``, ``phone`` and the contract's ``umantis.person`` merged
  into the attributes (for both tool keys: the contract names only ``umantis``), then ``POST /applications``
  with the ``person`` and ``job`` (and optional ``stage``) relationships. Attribute and filter names are [gap].
* Neither POST is idempotent: each goes through ``call.once``. A resumed person create looks the person up by
  ``filter[email]``; a resumed application create lists the person's applications (``filter[person]``) for
  this job. An existing person with the e-mail is reused rather than duplicated (Umantis keeps one person
  per applicant, many applications).
* A job that is not open is refused by Umantis with 422; the message is passed through as ``JobClosed``.
* Not sent: files and screening answers (no documented upload or answer endpoint) — named in warnings.
* Not declared: stage moves, rejections, notes, attachments, tags (no endpoint in the public material).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.jsonapi import JsonApiSource, attrs, document, linked_id
from atsbridge.connectors.umantis.api import APPLICATION_INCLUDE
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
#: The contract's ``remote_fields`` key for Umantis (Appendix A): ``umantis.person``, for both tool keys.
REMOTE_KEY = "umantis"


WRITES = kit.WriteTable()


def _source(source: kit.KitSource) -> JsonApiSource:
    if not isinstance(source, JsonApiSource):  # the connector always opens a JSON:API source
        raise RuntimeError("Umantis writes need the JSON:API source")
    return source


def person_fields(call: WriteCall[Create]) -> Raw:
    """``remote_fields.umantis.person``: read from the body itself, so an ``abacusumantis`` integration gets
    the contract's ``umantis`` subtree too (the API routes hand a connector the subtree of its own key)."""
    everything = call.body.remote_fields or {}
    subtree = everything.get(REMOTE_KEY) if isinstance(everything.get(REMOTE_KEY), dict) else call.remote_fields
    person = (subtree or {}).get("person")
    return dict(person) if isinstance(person, Mapping) else {}


def person_attributes(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    out: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address}
    if c.phone_number:
        out["phone"] = c.phone_number
    if c.location is not None:
        place = {"street": c.location.street_1, "zip_code": c.location.zip_code, "city": c.location.city,
                 "country": c.location.country}  # fmt: skip
        out.update({k: v for k, v in place.items() if v})
    return {**out, **person_fields(call)}


def _id_of(made: Any, what: str) -> str:
    rid = ((made or {}).get("data") or {}).get("id") if isinstance(made, dict) else None
    if rid is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Umantis answered the {what} create without an id")
    return str(rid)


async def _first(source: kit.KitSource, path: str, params: Mapping[str, Any], match: Any) -> Raw | None:
    async for page in source.listing("writes", path, params):
        for row in page:
            if match(row):
                return dict(row)
    return None


async def _post(source: kit.KitSource, path: str, body: Raw, what: str) -> str:
    try:
        response = await kit.create_request(source.client, "POST", path, json=body)
    except RemoteError as exc:
        if what == "application" and exc.status == 422 and "not open" in str(exc).lower():
            raise JobClosed(str(exc)) from exc
        raise
    return _id_of(response.json(), what)


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    job_id = call.job_remote_id
    if not job_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Umantis id")
    email = call.body.candidate.email_address.lower()

    async def find_person(_: object) -> str | None:
        found = await _first(source, "/persons", {"filter[email]": email},
                             lambda r: str(attrs(r).get("email") or "").lower() == email)  # fmt: skip
        return str(found["id"]) if found else None

    async def create_person() -> str:
        existing = await find_person(None)  # one person per applicant: reuse, never duplicate
        if existing is not None:
            return existing
        return await _post(source, "/persons", document("persons", person_attributes(call)), "person")

    person_id = await call.once_id("person", create_person, find=find_person, marker=email)
    related = {"person": ("persons", person_id), "job": ("jobs", job_id)}
    if call.stage and call.stage.get("remote_id"):
        related["stage"] = ("stages", str(call.stage["remote_id"]))

    async def find_application(_: object) -> Raw | None:
        params = {"filter[person]": person_id, "include": APPLICATION_INCLUDE}
        return await _first(source, "/applications", params, lambda r: linked_id(r, "job") == job_id)

    async def create() -> Raw:
        source_name = call.body.source.name if call.body.source is not None else None
        attributes = {"source": source_name} if source_name else {}
        return {"id": await _post(source, "/applications", document("applications", attributes, related),
                                  "application")}  # fmt: skip

    made = await call.once("application", create, find=find_application, marker=person_id)
    app = await _source(source).document(f"/applications/{made['id']}", {"include": APPLICATION_INCLUDE})
    person = await _source(source).document(f"/persons/{person_id}")
    warnings = []
    if call.files:
        warnings.append("Umantis' API has no documented upload: the attachments were not sent")
    if call.answers:
        warnings.append("Umantis' API has no documented answers endpoint: screening answers were not sent")
    records = [("applications", app)] if app else []
    records += [("persons", person)] if person else []
    created = {"application_remote_id": str(made["id"]), "candidate_remote_id": person_id}
    return WriteResult(records, warnings, created)


ACTIONS = WRITES.actions()
