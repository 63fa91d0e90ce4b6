"""Homerun writes (reference §1.7): create an application, move it to a stage (by name), add a note, upload a
file. Every POST is non-idempotent and goes through create-once; ``find`` reads the vendor back (the vacancy's
applications by e-mail, the application's notes by text, its files by name). Every action answers with the
application re-read (``GET /job-applications/{id}``), mapped by the ``job_applications`` stream.

Not writable, so not declared: rejecting (PATCH has no ``disqualified`` field and no endpoint exists), tags,
vacancies. Screening answers are not in the create schema: they go into ``custom_data`` (keyed by question id)
with a warning, as the reference suggests. Homerun's file types are ``resume`` and ``assignment``: a CV is sent
as ``resume``, anything else as ``assignment`` (with a warning).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.homerun.mappers import note_remote_id
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
AUTHOR = "atsbridge"
SOCIAL = (("linkedin.com", "linkedin"), ("github.com", "github"), ("twitter.com", "twitter"), ("x.com", "twitter"),
          ("facebook.com", "facebook"))  # fmt: skip


WRITES = kit.WriteTable()


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Homerun application to write to")
    return str(rid)


async def _application(source: kit.KitSource, app_id: str) -> Raw:
    body = await source.get_json(f"/job-applications/{app_id}", {"include[]": ["stage", "sources", "notes"]})
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not data.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Homerun answered an application without an id", retryable=True)
    return data


def _extra(call: WriteCall[Any]) -> Raw:
    extra = call.remote_fields.get("application")
    return dict(extra) if isinstance(extra, dict) else {}


def _payload(call: WriteCall[Create]) -> tuple[Raw, list[str]]:
    c, warnings = call.body.candidate, []
    payload: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address,
                    "vacancy_id": call.job_remote_id or (call.job or {}).get("remote_id")}  # fmt: skip
    if c.phone_number:
        payload["phone_number"] = c.phone_number
    if c.location:
        payload.update({k: v for k, v in (("city", c.location.city), ("country", c.location.country)) if v})
    for link in c.social_links or []:
        key = next((k for host, k in SOCIAL if host in link.url.lower()), "website")
        payload.setdefault(key, link.url)
    if call.body.source and call.body.source.name:
        payload["sources"] = [call.body.source.name]
    if call.sourced_by_remote_id or call.body.sourced_by:
        payload["sourced"] = True
    answers = {str(a.question.get("remote_id") or a.question.get("title")): a.value for a in call.answers
               if not isinstance(a.value, FileData)}  # fmt: skip
    if answers:
        scalar = (str, bool, int, float)
        payload["custom_data"] = {k: v if isinstance(v, scalar) else str(v) for k, v in answers.items()}
        warnings.append("Homerun cannot store screening answers: they were saved in the application's custom_data")
    extra = _extra(call)
    if isinstance(extra.get("custom_data"), dict) and "custom_data" in payload:
        extra["custom_data"] = {**payload["custom_data"], **extra["custom_data"]}
    return {**payload, **extra}, warnings


async def _move(source: kit.KitSource, app_id: str, stage: Raw | None) -> None:
    """``PATCH {"stage": {"name"}}`` (idempotent); the stage's name is the part after the vacancy id."""
    rid = str((stage or {}).get("remote_id") or "")
    name = rid.split(":", 1)[1] if ":" in rid else (stage or {}).get("name")
    if not name:
        raise RemoteError("REMOTE.INPUT_INVALID", "this stage has no Homerun stage name")
    await source.client.request("PATCH", f"/job-applications/{app_id}", json={"stage": {"name": name}})


async def _upload(source: kit.KitSource, call: WriteCall[Any], app_id: str, f: FileData, key: str) -> list[str]:
    """``POST /job-applications/{id}/files`` (multipart ``type`` + ``file``), once; found again by file name."""
    kind = "resume" if f.type == "CV" else "assignment"

    async def create() -> Raw:
        files = {"file": (f.name, f.content, f.content_type)}
        response = await kit.create_request(source.client, "POST", f"/job-applications/{app_id}/files",
                                            files=files, data={"type": kind})  # fmt: skip
        data = response.json().get("data") or {}
        return {**data, "id": data.get("name") or f.name}

    async def find(_: Any) -> Raw | None:
        files = (await _application(source, app_id)).get("files") or []
        found = next((x for x in files if isinstance(x, dict) and x.get("name") == f.name), None)
        return {**found, "id": f.name} if found else None

    await call.once(key, create, find=find)
    return [] if kind == "resume" else [f"Homerun files are resumes or assignments: {f.name} was sent as an assignment"]


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    payload, warnings = _payload(call)
    email, vacancy = str(payload["email"]).lower(), payload.get("vacancy_id")

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", "/job-applications", json=payload)
        data: Raw = response.json().get("data") or {}
        return data

    async def find(_: Any) -> Raw | None:
        params = {"filter[vacancy_id]": vacancy} if vacancy else {}
        rows = await source.all_records("job_applications", "/job-applications", params)
        mine = [r for r in rows if str((r.get("personal_info") or {}).get("email") or "").lower() == email]
        return next((r for r in mine if r.get("vacancy_id") == vacancy), None)

    created = await call.once("application", create, find=find, marker=email)
    app_id = str(created["id"])
    if call.stage:
        await _move(source, app_id, call.stage)
    for i, f in enumerate(list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]):
        warnings += await _upload(source, call, app_id, f, f"file_{i}")
    return WriteResult([("job_applications", await _application(source, app_id))], warnings,
                       {"application_remote_id": app_id, "candidate_remote_id": app_id})  # fmt: skip


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = _application_id(call)
    await _move(source, app_id, call.stage)
    return WriteResult([("job_applications", await _application(source, app_id))])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    """``POST /job-applications/{id}/notes`` ``{note, display_name}``: notes have no id, so a note is known by its
    position in the application's ``notes[]``; a retry finds it by its text and author."""
    app_id, text = _application_id(call), call.body.content
    author = str(_extra(call).get("display_name") or AUTHOR)

    async def find(_: Any) -> Raw | None:
        notes = (await _application(source, app_id)).get("notes") or []
        for index in reversed(range(len(notes))):
            if notes[index].get("note") == text and notes[index].get("display_name") == author:
                return {**notes[index], "id": note_remote_id(app_id, index)}
        return None

    async def create() -> Raw:
        body = {"note": text, "display_name": author, "is_sensitive": bool(_extra(call).get("is_sensitive"))}
        await kit.create_request(source.client, "POST", f"/job-applications/{app_id}/notes", json=body)
        found = await find(None)  # the answer carries no id: the note's position is read back
        if found is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Homerun accepted the note but does not list it yet",
                              retryable=True)  # fmt: skip
        return found

    note = await call.once("note", create, find=find)
    return WriteResult([("job_applications", await _application(source, app_id))],
                       created={"note_remote_id": str(note["id"])})  # fmt: skip


@WRITES.application_attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    app_id = _application_id(call)
    warnings = await _upload(source, call, app_id, call.files[0], "attachment")
    return WriteResult([("job_applications", await _application(source, app_id))], warnings,
                       {"attachment_remote_id": f"{app_id}:{call.files[0].name}"})  # fmt: skip


ACTIONS = WRITES.actions()
