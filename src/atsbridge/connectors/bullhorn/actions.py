"""Bullhorn writes [doc ``_entity.md``, ``_file.md``]: ``PUT entity/{Entity}`` creates (answers
``{"changedEntityId", "changeType": "INSERT"}``), ``POST entity/{Entity}/{id}`` updates, ``PUT
file/Candidate/{id}`` adds a file (base64 JSON, answers ``{"fileId"}``).

* create_application / create_candidate: ``PUT entity/Candidate`` (or ``remote_fields.bullhorn.
  existing_candidate_remote_id``), then ``PUT entity/JobSubmission`` (the requested stage is its ``status``;
  without one a web response, ``status: "New Lead"`` with ``dateWebResponse`` [doc]), then one ``PUT
  file/Candidate/{id}`` per file. Each create goes through ``call.once``: a resumed call looks the candidate
  up by email (added since the first try), the submission by candidate and job, files by name. Bullhorn does
  not merge candidates by email, so only a candidate made since the first try is adopted. ``remote_fields.
  bullhorn.candidate`` / ``job_submission`` are merged into the two bodies.
* move_application_to_stage: ``POST entity/JobSubmission/{id}`` with the new ``status`` (Bullhorn records a
  JobSubmissionHistory row). Rejecting is a move to one of the tenant's rejection statuses: Bullhorn has no
  rejection-reason entity, so ``reject_application`` is not declared.
* add_application_note: ``PUT entity/Note`` about the candidate and the job, ``action`` from
  ``remote_fields.bullhorn.action`` (default "Other": the action list is the tenant's [gap]).
* add_candidate_attachment / add_application_attachment: a candidate file (Bullhorn keeps files on the
  candidate; the application variant says so in a warning).
* Screening answers have no write in Bullhorn's API: not sent, with a warning. Tags do not exist.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.bullhorn.api import entity_id
from atsbridge.connectors.bullhorn.streams import (
    CANDIDATE_FIELDS,
    FILE_FIELDS,
    NOTE_FIELDS,
    SUBMISSION_FIELDS,
    with_placements,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Source = kit.KitSource
Create = bodies.CreateApplication | bodies.CreateCandidate
#: A record found on a resumed call may be this much older than our first try (clocks differ).
_SLACK_MS = 60_000
_FILE_TYPES = {"CV": "Resume", "COVER_LETTER": "Cover Letter", "OTHER": "Other"}


WRITES = kit.WriteTable()


def _rid(record: Json | None, what: str) -> str:
    rid = str((record or {}).get("remote_id") or "")
    if not rid.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Bullhorn id")
    return rid


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


async def _put(source: Source, path: str, body: Json, key: str = "changedEntityId") -> str:
    """One non-idempotent create; the new id from the answer."""
    response = await kit.create_request(source.client, "PUT", path, json=body)
    try:
        found = response.json().get(key)
    except (ValueError, AttributeError):
        found = None
    if found is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"PUT {path}: Bullhorn's answer names no {key}")
    return str(found)


async def _get(source: Source, entity: str, rid: str, fields: str) -> Json:
    body = await source.get_json(f"/entity/{entity}/{rid}", {"fields": fields})
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Bullhorn's {entity} {rid} answer has no data")
    return data


async def _first(source: Source, entity: str, where: str, fields: str = "id") -> Json | None:
    body = await source.get_json(f"/query/{entity}", {"where": where, "fields": fields, "orderBy": "-id", "count": 50})
    rows = body.get("data") if isinstance(body, dict) else None
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None


def _since(mark: object) -> int:
    return int(float(str(mark))) - _SLACK_MS


# ------------------------------------------------------------------------------------------------ create


def _candidate_body(c: bodies.NewCandidate, extra: Any) -> Json:
    body: Json = {"firstName": c.first_name, "lastName": c.last_name, "name": f"{c.first_name} {c.last_name}",
                  "email": c.email_address}  # fmt: skip
    optional = {"phone": c.phone_number, "companyName": c.company, "occupation": c.title}
    body.update({k: v for k, v in optional.items() if v})
    if c.location is not None:
        body["address"] = {"city": c.location.city, "state": c.location.state, "zip": c.location.zip_code}
    return {**body, **extra} if isinstance(extra, dict) else body


async def _candidate(source: Source, call: WriteCall[Create]) -> str:
    existing = str(call.remote_fields.get("existing_candidate_remote_id") or "")
    if existing:
        if not existing.isdigit():
            raise RemoteError("REMOTE.INPUT_INVALID", "remote_fields.bullhorn.existing_candidate_remote_id: not an id")
        return existing
    c = call.body.candidate

    async def find(mark: object) -> str | None:
        where = f"email={_quoted(c.email_address)} AND isDeleted=false AND dateAdded>={_since(mark)}"
        return entity_id(await _first(source, "Candidate", where))

    body = _candidate_body(c, call.remote_fields.get("candidate"))
    return await call.once_id("candidate", lambda: _put(source, "/entity/Candidate", body), find=find)


async def _submission(source: Source, call: WriteCall[Create], cand: str, job: str) -> str:
    where = f"candidate.id={cand} AND jobOrder.id={job} AND isDeleted=false"

    async def find(_: object) -> str | None:
        return entity_id(await _first(source, "JobSubmission", where))

    async def create() -> str:
        if call.remote_fields.get("existing_candidate_remote_id") and await find(None):
            raise AlreadyApplied(f"candidate {cand} already has a submission to job {job}")
        status = str((call.stage or {}).get("remote_id") or "New Lead")
        now = int(time.time() * 1000)
        body: Json = {"candidate": {"id": int(cand)}, "jobOrder": {"id": int(job)}, "status": status,
                      "dateWebResponse" if status == "New Lead" else "dateAdded": now}  # fmt: skip
        extra = call.remote_fields.get("job_submission")
        return await _put(source, "/entity/JobSubmission", {**body, **extra} if isinstance(extra, dict) else body)

    return await call.once_id("application", create, find=find)


async def _file(source: Source, call: WriteCall[Any], cand: str, f: FileData, key: str) -> Json:
    """``PUT file/Candidate/{id}`` once; a resumed call finds the file by name on the candidate, added since."""

    async def find(mark: object) -> str | None:
        where = f"candidate.id={cand} AND name={_quoted(f.name)} AND isDeleted=false AND dateAdded>={_since(mark)}"
        return entity_id(await _first(source, "CandidateFileAttachment", where))

    body = {"externalID": "portfolio", "fileContent": base64.b64encode(f.content).decode(), "fileType": "SAMPLE",
            "name": f.name, "contentType": f.content_type, "type": _FILE_TYPES.get(f.type, "Other")}  # fmt: skip
    fid = await call.once_id(key, lambda: _put(source, f"/file/Candidate/{cand}", body, "fileId"), find=find)
    found = await _first(source, "CandidateFileAttachment", f"id={int(fid)}", FILE_FIELDS)
    return found or {"id": int(fid), "candidate": {"id": int(cand)}, "name": f.name}


@WRITES.create
async def create_application(source: Source, call: WriteCall[Create]) -> WriteResult:
    job = str(call.job_remote_id or "")
    if not job.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Bullhorn id")
    cand = await _candidate(source, call)
    sub = await _submission(source, call, cand, job)
    files = list(call.files) + [a.value for a in call.answers if a.type == "FILE"]
    made = [("attachments", await _file(source, call, cand, f, f"file_{i}")) for i, f in enumerate(files)]
    app = (await with_placements(source, [await _get(source, "JobSubmission", sub, SUBMISSION_FIELDS)]))[0]
    candidate = await _get(source, "Candidate", cand, CANDIDATE_FIELDS)
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Bullhorn's API has no write for screening answers: they were not sent")
    created = {"application_remote_id": sub, "candidate_remote_id": cand}
    return WriteResult([("applications", app), ("candidates", candidate), *made], warnings, created)


# ------------------------------------------------------------------------------------ application writes


@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    sub, status = _rid(call.application, "application"), str((call.stage or {}).get("remote_id") or "")
    if not status:
        raise RemoteError("REMOTE.INPUT_INVALID", "the stage has no Bullhorn status")
    await source.client.request("POST", f"/entity/JobSubmission/{sub}", json={"status": status})
    app = (await with_placements(source, [await _get(source, "JobSubmission", sub, SUBMISSION_FIELDS)]))[0]
    return WriteResult([("applications", app)])


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    cand, sub = _rid(call.candidate, "candidate"), _rid(call.application, "application")
    job = entity_id((await _get(source, "JobSubmission", sub, "id,jobOrder")).get("jobOrder"))
    text = call.body.content
    body: Json = {"action": str(call.remote_fields.get("action") or "Other"), "comments": text,
                  "personReference": {"id": int(cand)}, **({"jobOrder": {"id": int(job)}} if job else {})}  # fmt: skip

    async def create() -> Json:
        return {"id": await _put(source, "/entity/Note", body)}

    async def find(mark: object) -> Json | None:
        where = f"personReference.id={cand} AND isDeleted=false AND dateAdded>={_since(mark)}"
        rows = await source.get_json("/query/Note", {"where": where, "fields": NOTE_FIELDS, "orderBy": "-id"})
        found = [r for r in (rows or {}).get("data") or [] if isinstance(r, dict) and r.get("comments") == text]
        return found[0] if found else None

    async def fetch(rid: str) -> Json:
        return await _get(source, "Note", rid, NOTE_FIELDS)

    note = await call.once("note", create, find=find, fetch=fetch)
    if "comments" not in note:
        note = await fetch(str(note["id"]))
    return WriteResult([("notes", note)], [], {"note_remote_id": str(note["id"])})


@WRITES.attachment
async def add_attachment(source: Source, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    cand = _rid(call.candidate, "candidate")
    row = await _file(source, call, cand, call.files[0], "attachment")
    on_app = call.action == "add_application_attachment"
    warnings = ["Bullhorn keeps files on the candidate: it was added to the application's candidate"] if on_app else []
    return WriteResult([("attachments", row)], warnings, {"attachment_remote_id": f"{cand}/{row['id']}"})


ACTIONS = WRITES.actions()
