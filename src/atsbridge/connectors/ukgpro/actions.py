"""UKG Pro Recruiting writes (reference §5.7): create an application (candidate import), a candidate comment
as the application's note, a document on an application. Every POST is non-idempotent and goes through
create-once; ``find`` reads the vendor back. Stage moves and rejections have no documented endpoint [gap].

[gap] readings, each in one place: the import names its job as ``opportunity: {id}``; documents are uploaded
as multipart (``document_type`` + ``file``) to the application's ``documents`` link; comments are created with
``POST /candidates/{id}/comments`` (the documented comment body). ``application_source`` is the source id the
customer assigned to the integration (config ``application_source_id``) [doc].
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.ukgpro.mappers import document_remote_id
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
AUTHOR = "atsbridge"
#: [doc] comment <= 4000 characters; ``origin`` <= 50.
COMMENT_MAX, ORIGIN_MAX = 4000, 50
_DOC_TYPE = {"CV": "Resume", "COVER_LETTER": "CoverLetter"}


WRITES = kit.WriteTable()


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no UKG Pro Recruiting application to write to")
    return str(rid)


async def _application(source: kit.KitSource, app_id: str) -> Raw:
    body = await source.get_json(f"/applications/{app_id}")
    if not isinstance(body, dict) or not body.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "UKG answered an application without an id", retryable=True)
    return body


async def _candidate_row(source: kit.KitSource, cid: str) -> Raw:
    """A row of the ``candidates`` stream: the id plus ``GET /candidates/{id}`` under ``_detail``."""
    detail = await source.get_json(f"/candidates/{cid}")
    return {"id": cid, "_detail": detail if isinstance(detail, dict) else None}


def _candidate_of(app: Raw) -> str:
    cand = app.get("candidate")
    cid = cand.get("id") if isinstance(cand, dict) else None
    if not cid:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "UKG answered an application without its candidate")
    return str(cid)


def _payload(call: WriteCall[Create], source_id: str | None) -> Raw:
    c = call.body.candidate
    contact: Raw = {"email": c.email_address}
    if c.phone_number:
        contact["phone"] = c.phone_number
    if c.location:
        address = {"city": c.location.city, "state": c.location.state, "country": c.location.country,
                   "postal_code": c.location.zip_code}  # fmt: skip
        contact["address"] = {k: v for k, v in address.items() if v}
    origin = (call.body.source.name if call.body.source and call.body.source.name else AUTHOR)[:ORIGIN_MAX]
    payload: Raw = {
        "creation_method": "CandidateImport",  # [doc] how recruiters tell imported applications apart
        "job_posting": "",  # [doc] left empty for an import
        "opportunity": {"id": call.job_remote_id or (call.job or {}).get("remote_id")},
        "origin": origin,
        "candidate": {"name": {"first": c.first_name, "last": c.last_name}, "contact_info": contact},
    }
    if source_id:
        payload["application_source"] = {"id": source_id}
    return payload


async def _upload(source: kit.KitSource, call: WriteCall[Any], app: Raw, f: FileData, key: str) -> Raw:
    """Upload one document to the application's ``documents`` link, once; found again by file name."""
    app_id = str(app["id"])
    path = f"/applications/{app_id}/documents"

    async def create() -> Raw:
        files = {"file": (f.name, f.content, f.content_type)}
        data = {"document_type": _DOC_TYPE.get(f.type or "", "Other")}
        response = await kit.create_request(source.client, "POST", path, files=files, data=data)
        made: Raw = response.json()
        return made

    async def find(_: Any) -> Raw | None:
        docs = await source.all_records("documents", path)
        return next((d for d in reversed(docs) if d.get("file_name") == f.name), None)

    doc = await call.once(key, create, find=find)
    return {**doc, "_application": {"id": app_id, "candidate_id": _candidate_of(app)}}


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    source_id = str(source.config.get("application_source_id") or "").strip() or None
    payload = _payload(call, source_id)
    email, job = call.body.candidate.email_address.lower(), payload["opportunity"]["id"]
    warnings = [] if source_id else ["no application source id is configured: UKG files the import without one"]
    if call.stage:
        warnings.append("UKG Pro Recruiting's API cannot set a stage: the application starts in the first one")
    if call.answers:
        warnings.append("UKG Pro Recruiting's candidate import takes no screening answers: they were not sent")

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", "/applications", json=payload)
        made: Raw = response.json()
        return made

    async def find(_: Any) -> Raw | None:
        rows = await source.all_records("applications", "/applications")
        mine = [r for r in rows if (r.get("opportunity") or {}).get("id") == job
                and r.get("creation_method") == "CandidateImport"]  # fmt: skip
        for row in reversed(mine):
            detail = await source.get_json(f"/candidates/{_candidate_of(row)}")
            found = str(((detail or {}).get("contact_info") or {}).get("email") or "").lower()
            if found == email:
                return row
        return None

    app = await call.once("application", create, find=find, marker=email)
    cid = _candidate_of(app)
    docs = [await _upload(source, call, app, f, f"file_{i}") for i, f in enumerate(call.files)]
    records = [("applications", app), ("candidates", await _candidate_row(source, cid))]
    records += [("documents", d) for d in docs]
    return WriteResult(records, warnings, {"application_remote_id": str(app["id"]), "candidate_remote_id": cid})


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    """A candidate comment ``{comment, is_important, author, created_at}`` [doc]: UKG's notes hang off the
    candidate, so the application's candidate gets it. A retry finds it by text and author."""
    app_id, text = _application_id(call), call.body.content
    if len(text) > COMMENT_MAX:
        raise RemoteError("REMOTE.INPUT_INVALID", f"UKG comments hold at most {COMMENT_MAX} characters")
    cid = _candidate_of(await _application(source, app_id))
    path = f"/candidates/{cid}/comments"

    async def find(_: Any) -> Raw | None:
        detail = (await _candidate_row(source, cid))["_detail"] or {}
        comments = [c for c in detail.get("comments") or [] if isinstance(c, dict)]
        return next((c for c in reversed(comments) if c.get("comment") == text and c.get("author") == AUTHOR), None)

    async def create() -> Raw:
        body = {"comment": text, "is_important": bool((call.remote_fields or {}).get("is_important")),
                "author": AUTHOR}  # fmt: skip
        response = await kit.create_request(source.client, "POST", path, json=body)
        made: Raw = response.json()
        return made

    note = await call.once("note", create, find=find)
    return WriteResult([("candidates", await _candidate_row(source, cid))], created={"note_remote_id": str(note["id"])})


@WRITES.application_attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    app = await _application(source, _application_id(call))
    doc = await _upload(source, call, app, call.files[0], "attachment")
    return WriteResult([("documents", doc)], created={"attachment_remote_id": document_remote_id(app["id"], doc["id"])})


ACTIONS = WRITES.actions()
