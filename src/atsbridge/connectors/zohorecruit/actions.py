"""Zoho Recruit writes. Every write answers ``{"data": [{"code", "details", "message", "status"}]}`` (status
changes doubly nested, ``data[[...]]``); an item with ``status: "error"`` is a refusal whose code and message are
passed on, whatever the HTTP status.

* create_application (and create_candidate): ``POST /Candidates`` (``remote_fields.zohorecruit.candidate``
  merged over the mapped fields) through ``call.once``, found again by e-mail (``/Candidates/search?email=``);
  ``DUPLICATE_DATA`` names the existing candidate, which is used. Then ``PUT /Candidates/actions/associate``
  [doc, fixtures], also once: the application is found with ``/Applications/search?criteria=((Candidate_Name:
  equals:<id>)and(Job_Opening_Name:equals:<id>))`` [gap: criteria on lookups unverified]; ``ALREADY_ASSOCIATED``
  on a first try is ``AlreadyApplied``.
* move_application_to_stage / reject_application: ``PUT /Candidates/status`` ``{"ids", "jobids",
  "Candidate_Status", "comments"}`` [doc], the candidate's per-job (application) status; the stage or rejection
  reason remote id *is* the status value. Idempotent.
* add_application_note: ``POST /Notes`` ``{"Note_Content", "Parent_Id", "se_module"}`` [3p], once: found again
  in ``/Applications/{id}/Notes`` by content and creation time. Notes are not synced: the note id is returned.
* add/remove_candidate_tag: ``POST /Candidates/actions/add_tags|remove_tags?ids=&tag_names=`` [3p].

Not offered: attachments (multipart upload [3p], not built yet), screening answers (no API for application
forms), result links, import_tracked_application.
"""

from __future__ import annotations

from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.zohorecruit.mappers import lookup_id
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Created = bodies.CreateApplication | bodies.CreateCandidate
#: Refusals a create reads as "already there" (the duplicate's id / AlreadyApplied), not as an error.
ADOPTED = ("DUPLICATE_DATA", "ALREADY_ASSOCIATED")


WRITES = kit.WriteTable()


def item(body: Any) -> Raw:
    """The first result item of a write answer (``data[0]``, or ``data[0][0]`` for status changes)."""
    data = body.get("data") if isinstance(body, dict) else None
    first = data[0] if isinstance(data, list) and data else None
    first = first[0] if isinstance(first, list) and first else first
    if not isinstance(first, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Zoho Recruit answered a write without a result item")
    return first


async def _send(source: kit.KitSource, method: str, path: str, *, once: bool, **kwargs: Any) -> Raw:
    """One write; the result item. Zoho refuses items inside the answer (HTTP 400, or 2xx for some): a
    refusal is raised with Zoho's code and message, except the ``ADOPTED`` ones the caller reads."""
    try:
        if once:
            response = await kit.create_request(source.client, method, path, **kwargs)
        else:
            response = await source.client.request(method, path, **kwargs)
        found = item(response.json())
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: Zoho Recruit sent no JSON body") from None
    except RemoteError as exc:
        if exc.status != 400 or not exc.body:
            raise
        try:
            found = item(orjson.loads(exc.body))
        except (ValueError, RemoteError):
            raise exc from None
    if str(found.get("status")).lower() == "error" and found.get("code") not in ADOPTED:
        said = f"{found.get('code')}: {found.get('message')}"
        raise RemoteError("REMOTE.INPUT_INVALID", f"Zoho Recruit refused it: {said}")
    return found


async def _first(source: kit.KitSource, path: str, params: Raw) -> Raw | None:
    body = await source.get_json(path, params)
    rows = body.get("data") if isinstance(body, dict) else None
    return dict(rows[0]) if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None


async def record(source: kit.KitSource, module: str, rid: str) -> Raw:
    """One record as the sync reads it (INPUT_INVALID when it is gone)."""
    try:
        found = await _first(source, f"/{module}/{rid}", {})  # (204, the answer for no such id: None)
    except RemoteError as exc:
        if exc.status not in (400, 404):
            raise
        found = None
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Zoho Recruit has no {module} record {rid}")
    return found


def _candidate_fields(call: WriteCall[Created]) -> Raw:
    c = call.body.candidate
    fields: Raw = {"First_Name": c.first_name, "Last_Name": c.last_name, "Email": c.email_address}
    optional = {"Mobile": c.phone_number, "Current_Employer": c.company, "Current_Job_Title": c.title,
                "Source": call.body.source.name if call.body.source else None,
                "City": c.location.city if c.location else None, "State": c.location.state if c.location else None,
                "Country": c.location.country if c.location else None,
                "Zip_Code": c.location.zip_code if c.location else None}  # fmt: skip
    fields.update({k: v for k, v in optional.items() if v})
    extra = call.remote_fields.get("candidate")
    return {**fields, **extra} if isinstance(extra, dict) else fields


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Created]) -> WriteResult:
    email, job_id = call.body.candidate.email_address, str(call.job_remote_id)

    async def find_candidate(_: Any) -> str | None:
        found = await _first(source, "/Candidates/search", {"email": email})
        return str(found["id"]) if found and found.get("id") else None

    async def create_candidate() -> str:
        found = await _send(source, "POST", "/Candidates", once=True, json={"data": [_candidate_fields(call)]})
        details = found.get("details")
        details = details if isinstance(details, dict) else {}
        duplicate = details.get("duplicate_record")
        rid = details.get("id") or (duplicate.get("id") if isinstance(duplicate, dict) else None)
        if not rid:  # the intent stays: a retry finds the candidate by e-mail
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Zoho Recruit answered {found.get('code')} without "
                              "naming the candidate", retryable=True)  # fmt: skip
        return str(rid)

    cand_id = await call.once_id("candidate", create_candidate, find=find_candidate, marker=email.lower())
    criteria = f"((Candidate_Name:equals:{cand_id})and(Job_Opening_Name:equals:{job_id}))"

    async def find_application(_: Any) -> Raw | None:
        return await _first(source, "/Applications/search", {"criteria": criteria})

    async def associate() -> Raw:
        body = {"data": [{"jobids": [job_id], "ids": [cand_id], "comments": "Applied through atsbridge"}]}
        found = await _send(source, "PUT", "/Candidates/actions/associate", once=True, json=body)
        if found.get("code") == "ALREADY_ASSOCIATED":
            raise AlreadyApplied(f"candidate {cand_id} is already associated with job opening {job_id}")
        app = await find_application(None)
        if app is None:  # the intent stays: a retry looks again instead of associating twice
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Zoho Recruit associated the candidate but lists no "
                              "application yet", retryable=True)  # fmt: skip
        return app

    app = await call.once("application", associate, find=find_application,
                          fetch=lambda rid: record(source, "Applications", rid))  # fmt: skip
    stage = (call.stage or {}).get("remote_id")
    if stage:  # associated in the org's first status; then moved to the one asked for (a PUT: idempotent)
        change = {"ids": [cand_id], "jobids": [job_id], "Candidate_Status": str(stage)}
        await _send(source, "PUT", "/Candidates/status", once=False, json={"data": [change]})
        app = await record(source, "Applications", str(app["id"]))
    candidate = await record(source, "Candidates", cand_id)
    warnings = ["Zoho Recruit's API takes no screening answers; they were not sent"] if call.answers else []
    if call.files:
        warnings.append("attachments are not uploaded to Zoho Recruit by this connector; they were not sent")
    created = {"application_remote_id": str(app["id"]), "candidate_remote_id": cand_id}
    return WriteResult([("applications", app), ("candidates", candidate)], warnings, created)


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this application has no Zoho Recruit id")
    return str(rid)


async def _set_status(source: kit.KitSource, call: WriteCall[Any], status: str, comments: str | None) -> WriteResult:
    app = await record(source, "Applications", _application_id(call))
    cand, job = lookup_id(app.get("Candidate_Name")), lookup_id(app.get("Job_Opening_Name"))
    if not cand or not job:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Zoho Recruit application {app['id']} names no candidate or job")
    change: Raw = {"ids": [cand], "jobids": [job], "Candidate_Status": status}
    if comments:
        change["comments"] = comments
    await _send(source, "PUT", "/Candidates/status", once=False, json={"data": [change]})
    return WriteResult([("applications", await record(source, "Applications", str(app["id"])))])


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _set_status(source, call, str((call.stage or {}).get("remote_id")), None)


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    return await _set_status(source, call, str((call.rejection_reason or {}).get("remote_id")), call.body.note)


async def _note(source: kit.KitSource, call: WriteCall[bodies.Note], module: str, parent: str) -> WriteResult:
    content = call.body.content

    async def find(marker: Any) -> str | None:
        body = await source.get_json(f"/{module}/{parent}/Notes")
        for note in (body.get("data") if isinstance(body, dict) else None) or []:
            created = note.get("Created_Time") if isinstance(note, dict) else None
            if note.get("Note_Content") == content and created and parse_ts(created).timestamp() >= int(marker) // 1000:
                return str(note["id"])
        return None

    async def create() -> str:
        payload = {"Note_Content": content, "Parent_Id": parent, "se_module": module}
        found = await _send(source, "POST", "/Notes", once=True, json={"data": [payload]})
        return str((found.get("details") or {}).get("id") or "")

    note_id = await call.once_id("note", create, find=find)
    return WriteResult(created={"note_remote_id": str(note_id)})


@WRITES.note
async def add_application_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    return await _note(source, call, "Applications", _application_id(call))


def _candidate_id(call: WriteCall[Any]) -> str:
    rid = (call.candidate or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this candidate has no Zoho Recruit id")
    return str(rid)


async def _tag(source: kit.KitSource, call: WriteCall[bodies.TagBody], verb: str) -> WriteResult:
    cid = _candidate_id(call)
    params = {"ids": cid, "tag_names": call.body.tag.name}
    await _send(source, "POST", f"/Candidates/actions/{verb}", once=False, params=params)
    return WriteResult([("candidates", await record(source, "Candidates", cid))])


@WRITES.add_tag
async def add_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    return await _tag(source, call, "add_tags")


@WRITES.remove_tag
async def remove_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    return await _tag(source, call, "remove_tags")


ACTIONS = WRITES.actions()
