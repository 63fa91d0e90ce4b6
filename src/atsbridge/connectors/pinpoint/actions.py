"""Pinpoint writes, all JSON:API documents (``{"data": {"type", "attributes", "relationships"}}``).

* Create: ``POST /applications`` [doc] with ``first_name``, ``last_name``, ``email`` (required), ``phone``,
  ``linkedin_url``, address parts, the first CV as ``cv_base64_filename``/``cv_base64_data`` (Pinpoint takes
  one CV, only on create), ``remote_fields.pinpoint.candidate`` merged into the attributes (Appendix A), and the
  ``job`` (and optional ``stage``) relationships. Not idempotent: ``call.once``, whose ``find`` lists the
  job's applications by ``filter[email]`` [gap: the filter name is not in the stored docs]. The answer is the
  application (the candidate id is read back from ``include=candidate``: one integrator says the create
  answer lacks it [3p]).
* Stage: ``PUT /applications/{id}`` with the ``stage`` relationship [doc] (idempotent: retried like a read).
* Notes: ``POST /comments`` with ``body_text`` and the ``commentable`` relationship [conn]. Created once: a
  resumed call looks for the comment among the application's (``include=comments`` [gap]) by text and time.
* Tags: ``PUT /applications/{id}`` with ``add_tags_with_context`` / ``remove_tag_with_context`` [doc]; Pinpoint
  tags live on applications with a ``context``: a candidate tag goes on each of the candidate's applications,
  context ``config.tag_context`` or ``general`` [gap: the allowed contexts are not documented].
* Not declared: reject (no documented rejection write; rejecting is a stage move the customer maps) and
  attachments after creation (not in the API): the unified API answers ``INTEGRATION.ACTION_NOT_AVAILABLE``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.jsonapi import JsonApiSource, attrs, document, linked, linked_id
from atsbridge.connectors.pinpoint.api import application_params
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
DEFAULT_TAG_CONTEXT = "general"


WRITES = kit.WriteTable()


def _source(source: kit.KitSource) -> JsonApiSource:
    if not isinstance(source, JsonApiSource):  # the connector always opens a PinpointSource
        raise RuntimeError("Pinpoint writes need the JSON:API source")
    return source


def _rid(record: Mapping[str, Any] | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Pinpoint id")
    return str(rid)


async def _application(source: kit.KitSource, app_id: str) -> Raw:
    found = await _source(source).document(f"/applications/{app_id}", application_params(source.config))
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Pinpoint has no application {app_id}", status=404)
    return found


async def _update(source: kit.KitSource, app_id: str, attributes: Raw, relationships: Any = None) -> Raw:
    """``PUT /applications/{id}``: an idempotent update (sent again on a retry); answers the application."""
    body = document("applications", attributes, relationships, rid=app_id)
    await source.client.request("PUT", f"/applications/{app_id}", json=body)
    return await _application(source, app_id)


# ------------------------------------------------------------------------------------------------ create


def _cv(call: WriteCall[Create]) -> Raw:
    files = [f for f in call.files if f.type == "CV"] + [a.value for a in call.answers if a.type == "FILE"]
    files = files or list(call.files)
    if not files:
        return {}
    return {"cv_base64_filename": files[0].name, "cv_base64_data": base64.b64encode(files[0].content).decode()}


def _attributes(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    out: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address}
    if c.phone_number:
        out["phone"] = c.phone_number
    link = next((s.url for s in c.social_links or [] if "linkedin." in s.url.lower()), None)
    if link:
        out["linkedin_url"] = link
    if c.location is not None:
        loc = {"town": c.location.city, "country": c.location.country, "postcode": c.location.zip_code,
               "address1": c.location.street_1}  # fmt: skip
        out.update({k: v for k, v in loc.items() if v})
    extra = call.remote_fields.get("candidate")
    return {**out, **_cv(call), **(extra if isinstance(extra, dict) else {})}


async def _find_application(source: kit.KitSource, email: str, job_id: str) -> Raw | None:
    params = {**application_params(source.config), "filter[email]": email}
    async for page in source.listing("applications", "/applications", params):
        for row in page:
            if linked_id(row, "job") == job_id and str(attrs(row).get("email") or "").lower() == email:
                return row
    return None


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    job_id = call.job_remote_id
    if not job_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Pinpoint id")
    email = call.body.candidate.email_address.lower()
    related = {"job": ("jobs", job_id)}
    if call.stage:
        related["stage"] = ("stages", _rid(call.stage, "stage"))

    async def create() -> Raw:
        body = document("applications", _attributes(call), related)
        made = (await kit.create_request(source.client, "POST", "/applications", json=body)).json()
        rid = ((made or {}).get("data") or {}).get("id") if isinstance(made, dict) else None
        if rid is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Pinpoint answered the create without an application id")
        return {"id": str(rid)}

    async def find(_: object) -> Raw | None:
        return await _find_application(source, email, job_id)

    async def fetch(rid: str) -> Raw:
        return await _application(source, rid)

    made = await call.once("application", create, find=find, fetch=fetch, marker=email)
    app = await _application(source, str(made["id"]))
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Pinpoint's answers relationship needs answer resources: screening answers were not sent")
    if len([f for f in call.files]) > 1:
        warnings.append("Pinpoint takes one CV on create: only the first file was sent")
    created = {"application_remote_id": str(app["id"]), "candidate_remote_id": linked_id(app, "candidate")}
    candidate = linked(app, "candidate")  # side-loaded with the application: written through with it
    records = [("applications", app)] + ([("candidates", candidate)] if attrs(candidate) else [])
    return WriteResult(records, warnings, {k: v for k, v in created.items() if v})


# ------------------------------------------------------------------------------------ application changes


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = _rid(call.application, "application")
    app = await _update(source, app_id, {}, {"stage": ("stages", _rid(call.stage, "stage"))})
    return WriteResult([("applications", app)])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id, text = _rid(call.application, "application"), call.body.content

    async def create() -> Raw:
        body = document("comments", {"body_text": text}, {"commentable": ("applications", app_id)})
        made = (await kit.create_request(source.client, "POST", "/comments", json=body)).json()
        rid = ((made or {}).get("data") or {}).get("id") if isinstance(made, dict) else None
        return {"id": str(rid or "")}

    async def find(started_ms: object) -> Raw | None:
        found = await _source(source).document(f"/applications/{app_id}", {"include": "comments"})
        for comment in (found or {}).get("_linked", {}).get("comments") or []:
            a = attrs(comment)
            made = a.get("created_at")
            if (
                a.get("body_text") == text
                and made
                and parse_ts(str(made)).timestamp() * 1000 >= int(str(started_ms)) - 2000
            ):
                return {"id": str(comment["id"])}
        return None

    made = await call.once("note", create, find=find, marker=int(time.time() * 1000))
    return WriteResult(created={"note_remote_id": made["id"]} if made.get("id") else {})


def _candidate_applications(call: WriteCall[Any]) -> list[str]:
    apps = [str(a.get("remote_id")) for a in (call.candidate or {}).get("applications") or [] if a.get("remote_id")]
    if not apps:
        raise RemoteError("REMOTE.INPUT_INVALID", "Pinpoint keeps tags on applications; this candidate has none")
    return apps


def _tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> Raw:
    """``{tag, context}``: the context is the integration's ``config.tag_context`` (default ``general``): the
    unified tag body has no context and the contract allows no Pinpoint ``remote_fields`` on tag writes."""
    context = str(source.config.get("tag_context") or "").strip() or DEFAULT_TAG_CONTEXT
    return {"tag": call.body.tag.name, "context": context}


@WRITES.add_tag
async def add_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    tag = _tag(source, call)
    apps = [await _update(source, a, {"add_tags_with_context": [tag]}) for a in _candidate_applications(call)]
    return WriteResult([("applications", a) for a in apps])


@WRITES.remove_tag
async def remove_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    tag = _tag(source, call)
    apps = [await _update(source, a, {"remove_tag_with_context": tag}) for a in _candidate_applications(call)]
    return WriteResult([("applications", a) for a in apps])


ACTIONS = WRITES.actions()
