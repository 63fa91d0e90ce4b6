"""Connexys writes: Salesforce sObject create (``POST /sobjects/<type>`` -> 201 ``{"id", "success"}``) and
update (``PATCH /sobjects/<type>/<id>`` -> 204, idempotent).

* create_application: the candidate (``cxsrec__cxsCandidate__c``, reused when one has the e-mail), then the
  job application (candidate + position; the stage, when given, is its workflow status), then each file as a
  ``ContentVersion`` on the candidate. Uploading a CV makes Connexys parse it and **overwrite the candidate's
  identity fields** [conn]: the names and e-mail are written back afterwards (a PATCH). Every POST goes
  through create-once; a resumed call finds the candidate by e-mail, the application by candidate + position,
  a file by candidate + name.
* move_application_to_stage / reject_application: PATCH ``cxsrec__Workflow_status__c`` (a rejection reason
  is a declining workflow status); a rejection note becomes a Task.
* add_application_note: a ``Task`` on the application (``WhatId``), found again by its text.
* add_candidate_attachment: a ``ContentVersion`` published on the candidate.
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.connexys.api import APPLICATION, CANDIDATE
from atsbridge.connectors.connexys.streams import (
    APPLICATION_FIELDS,
    CANDIDATE_FIELDS,
    FILE_FIELDS,
    TASK_FIELDS,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Source = kit.KitSource
Create = bodies.CreateApplication | bodies.CreateCandidate
soql = kit.soql


WRITES = kit.WriteTable()


def _rid(record: Json | None, what: str) -> str:
    rid = str((record or {}).get("remote_id") or "")
    if not rid.isalnum() or len(rid) not in (15, 18):
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Salesforce id")
    return rid


async def _rows(source: Source, obj: str, fields: tuple[str, ...], where: tuple[str, ...]) -> list[Json]:
    return await source.all_records(obj, "/query", {"q": soql.query(obj, fields, where)})


async def _one(source: Source, obj: str, fields: tuple[str, ...], rid: str) -> Json:
    rows = await _rows(source, obj, fields, (f"Id = {soql.quote(rid)}",))
    if not rows:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Salesforce has no {obj} {rid}", status=404)
    return rows[0]


async def _post(source: Source, obj: str, body: Json) -> str:
    response = await kit.create_request(source.client, "POST", soql.sobject(obj), json=body)
    try:
        found = response.json().get("id")
    except (ValueError, AttributeError):
        found = None
    if not found:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"POST sobjects/{obj}: the answer names no id")
    return str(found)


async def _patch(source: Source, obj: str, rid: str, body: Json) -> None:
    await source.client.request("PATCH", soql.sobject(obj, rid), json=body)


def _identity(c: bodies.NewCandidate) -> Json:
    body = {"cxsrec__First_name__c": c.first_name, "cxsrec__Last_name__c": c.last_name,
            "cxsrec__E_mail_address__c": c.email_address}  # fmt: skip
    return {**body, **({"cxsrec__mobilePhone__c": c.phone_number} if c.phone_number else {})}


async def _file(source: Source, call: WriteCall[Any], cand: str, f: FileData, key: str) -> Json:
    where = (f"FirstPublishLocationId = {soql.quote(cand)}", f"PathOnClient = {soql.quote(f.name)}", "IsLatest = true")

    async def find(_: object) -> str | None:
        rows = await _rows(source, "ContentVersion", ("Id",), where)
        return str(rows[-1]["Id"]) if rows else None

    body = {"Title": f.name.rsplit(".", 1)[0], "PathOnClient": f.name, "FirstPublishLocationId": cand,
            "VersionData": base64.b64encode(f.content).decode()}  # fmt: skip
    rid = await call.once_id(key, lambda: _post(source, "ContentVersion", body), find=find)
    return await _one(source, "ContentVersion", FILE_FIELDS, rid)


@WRITES.create
async def create_application(source: Source, call: WriteCall[Create]) -> WriteResult:
    job = str(call.job_remote_id or "")
    c = call.body.candidate
    by_mail = (f"cxsrec__E_mail_address__c = {soql.quote(c.email_address)}",)

    async def find_candidate(_: object) -> str | None:
        rows = await _rows(source, CANDIDATE, ("Id",), by_mail)
        return str(rows[0]["Id"]) if rows else None

    existing = await find_candidate(None)
    cand = existing or await call.once_id("candidate", lambda: _post(source, CANDIDATE, _identity(c)),
                                          find=find_candidate, marker=c.email_address.lower())  # fmt: skip
    pair = (f"cxsrec__Candidate__c = {soql.quote(cand)}", f"cxsrec__Position__c = {soql.quote(job)}")

    async def find_application(_: object) -> str | None:
        rows = await _rows(source, APPLICATION, ("Id",), pair)
        return str(rows[0]["Id"]) if rows else None

    app_body: Json = {"cxsrec__Candidate__c": cand, "cxsrec__Position__c": job}
    if call.stage and call.stage.get("remote_id"):
        app_body["cxsrec__Workflow_status__c"] = str(call.stage["remote_id"])
    app = await call.once_id("application", lambda: _post(source, APPLICATION, app_body), find=find_application)
    files = list(call.files) + [a.value for a in call.answers if a.type == "FILE"]
    made = [("files", await _file(source, call, cand, f, f"file_{i}")) for i, f in enumerate(files)]
    if made:  # the CV parser overwrote the identity we were given: write it back
        await _patch(source, CANDIDATE, cand, _identity(c))
    warnings = ["Connexys' API has no write for screening answers: they were not sent"] if any(
        a.type != "FILE" for a in call.answers) else []  # fmt: skip
    return WriteResult(
        [("applications", await _one(source, APPLICATION, APPLICATION_FIELDS, app)),
         ("candidates", await _one(source, CANDIDATE, CANDIDATE_FIELDS, cand)), *made],
        warnings, {"application_remote_id": app, "candidate_remote_id": cand},
    )  # fmt: skip


async def _set_status(source: Source, app: str, status: str) -> Json:
    await _patch(source, APPLICATION, app, {"cxsrec__Workflow_status__c": status})
    return await _one(source, APPLICATION, APPLICATION_FIELDS, app)


@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app = _rid(call.application, "application")
    status = _rid(call.stage, "stage")
    return WriteResult([("applications", await _set_status(source, app, status))])


async def _note(source: Source, call: WriteCall[Any], app: str, text: str, subject: str, key: str) -> Json:
    where = (f"WhatId = {soql.quote(app)}",)

    async def find(_: object) -> Json | None:
        rows = await _rows(source, "Task", TASK_FIELDS, where)
        return next((r for r in reversed(rows) if r.get("Description") == text), None)

    async def create() -> Json:
        body = {"WhatId": app, "Subject": subject, "Description": text, "Status": "Completed"}
        return {"Id": await _post(source, "Task", body)}

    async def fetch(rid: str) -> Json:
        return await _one(source, "Task", TASK_FIELDS, rid)

    task = await call.once(key, create, find=find, fetch=fetch, id_of=lambda row: row["Id"])
    task = task if "WhatId" in task else await fetch(str(task["Id"]))
    cand = (call.candidate or {}).get("remote_id")
    if not cand:
        cand = (await _one(source, APPLICATION, ("Id", "cxsrec__Candidate__c"), app)).get("cxsrec__Candidate__c")
    return {**task, "_candidate": cand}


@WRITES.reject
async def reject(source: Source, call: WriteCall[bodies.Reject]) -> WriteResult:
    app = _rid(call.application, "application")
    reason = _rid(call.rejection_reason, "rejection reason")
    out: list[tuple[str, Json]] = [("applications", await _set_status(source, app, reason))]
    if call.body.note:
        out.append(("tasks", await _note(source, call, app, call.body.note, "Afwijzing", "note")))
    return WriteResult(out)


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    app = _rid(call.application, "application")
    task = await _note(source, call, app, call.body.content, "Notitie", "note")
    return WriteResult([("tasks", task)], [], {"note_remote_id": str(task["Id"])})


@WRITES.candidate_attachment
async def add_attachment(source: Source, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    cand = _rid(call.candidate, "candidate")
    row = await _file(source, call, cand, call.files[0], "attachment")
    return WriteResult([("files", row)], [], {"attachment_remote_id": str(row["Id"])})


ACTIONS = WRITES.actions()
