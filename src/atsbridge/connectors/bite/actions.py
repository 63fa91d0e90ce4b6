"""BITE writes: create a candidate on a posting (the application), add a note, add a document.

unified.to and Kombo list these for BITE [3p]; the endpoints and bodies are this connector's reading [gap]:
``POST /candidates`` ``{jobPostingId, firstName, lastName, email, phone?, source?}`` -> the candidate,
``POST /candidates/{id}/notes`` ``{text}`` -> the note, ``POST /candidates/{id}/documents`` ``{name,
contentType, type, content (base64)}`` -> the document. None is idempotent: each runs through create-once,
and ``find`` reads BITE back (candidates by e-mail on the posting, notes by text, documents by name).
Moving and rejecting are not declared: no status write is known (see the connector's ``unavailable``).
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.bite.api import search_body
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
_DOC_TYPES = {"CV": "cv", "COVER_LETTER": "coverletter"}


WRITES = kit.WriteTable()


def _candidate_id(call: WriteCall[Any]) -> str:
    """The application's remote id: a BITE candidate is its application."""
    rid = (call.application or {}).get("remote_id") or (call.candidate or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no BITE candidate to write to")
    return str(rid)


def _object(response_body: Any, what: str) -> Raw:
    if not isinstance(response_body, dict) or response_body.get("id") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"BITE answered the {what} without an id", retryable=True)
    return response_body


async def _candidate(source: kit.KitSource, cid: str) -> Raw:
    return _object(await source.get_json(f"/candidates/{cid}"), "candidate")


async def _upload(source: kit.KitSource, call: WriteCall[Any], cid: str, f: FileData, key: str) -> Raw:
    path = f"/candidates/{cid}/documents"

    async def create() -> Raw:
        body = {"name": f.name, "contentType": f.content_type, "type": _DOC_TYPES.get(f.type or "", "other"),
                "content": base64.b64encode(f.content).decode()}  # fmt: skip
        response = await kit.create_request(source.client, "POST", path, json=body)
        return _object(response.json(), "document")

    async def find(_: Any) -> Raw | None:
        rows = await source.get_json(path)
        return next((dict(d) for d in rows if isinstance(d, dict) and d.get("name") == f.name), None) if isinstance(
            rows, list) else None  # fmt: skip

    doc = await call.once(key, create, find=find)
    return {**doc, "_candidate": {"id": cid}}


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    c = call.body.candidate
    job_id = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    if not job_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "BITE candidates apply to a job posting: a job is required")
    payload: Raw = {"jobPostingId": job_id, "firstName": c.first_name, "lastName": c.last_name,
                    "email": c.email_address}  # fmt: skip
    if c.phone_number:
        payload["phone"] = c.phone_number
    if call.body.source and call.body.source.name:
        payload["source"] = call.body.source.name
    extra = call.remote_fields.get("candidate")
    payload.update(extra if isinstance(extra, dict) else {})
    email = c.email_address.lower()

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", "/candidates", json=payload)
        return _object(response.json(), "candidate")

    async def find(_: Any) -> Raw | None:
        response = await source.client.request("POST", "/candidates/search", json=search_body(email, job_id))
        entries = response.json().get("entries") if isinstance(response.json(), dict) else None
        for row in entries if isinstance(entries, list) else []:
            posting = row.get("jobPosting") or {}
            if str(row.get("email") or "").lower() == email and str(posting.get("id")) == job_id:
                return dict(row)
        return None

    made = await call.once("application", create, find=find, marker=email)
    cid = str(made["id"])
    warnings = ["BITE's API takes no screening answers: they were not sent"] if call.answers else []
    files = [*call.files, *(a.value for a in call.answers if isinstance(a.value, FileData))]
    docs = [("documents", await _upload(source, call, cid, f, f"file_{i}")) for i, f in enumerate(files)]
    return WriteResult([("candidates", await _candidate(source, cid)), *docs], warnings,
                       {"application_remote_id": cid, "candidate_remote_id": cid})  # fmt: skip


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    cid, text = _candidate_id(call), call.body.content
    path = f"/candidates/{cid}/notes"

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", path, json={"text": text})
        return _object(response.json(), "note")

    async def find(_: Any) -> Raw | None:
        rows = await source.get_json(path)
        found = [dict(n) for n in rows if isinstance(n, dict) and n.get("text") == text] if isinstance(
            rows, list) else []  # fmt: skip
        return found[-1] if found else None

    note = await call.once("note", create, find=find)
    return WriteResult([("notes", {**note, "_candidate": {"id": cid}})], created={"note_remote_id": str(note["id"])})


@WRITES.attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    cid = _candidate_id(call)
    doc = await _upload(source, call, cid, call.files[0], "attachment")
    return WriteResult([("documents", doc)], created={"attachment_remote_id": str(doc["id"])})


ACTIONS = WRITES.actions()
