"""Ashby writes (reference §4.6), each returning the vendor records it changed for write-through.

* Create = ``candidate.create`` (unless ``candidate.search`` finds the email: Ashby does not deduplicate, so
  the person is reused, with a warning) then ``application.create`` on the job (at the chosen stage), then
  ``application.changeSource`` when a known source is named, then the files. Each create goes through
  ``call.once``: its intent is recorded before the POST (never retried blindly) and its id right after; a
  resumed call looks the record up first (candidate by email, application by candidate + job, note by content,
  tag by title), so a timeout after Ashby committed creates nothing twice.
* Files: ``file.createFileUploadHandle`` -> upload to the presigned URL -> ``candidate.uploadResume`` (CV) or
  ``candidate.uploadFile``. Files live on the candidate: an application attachment goes there, with a warning.
* Reject = ``application.changeStage`` to the *Archived* stage of the application's interview plan with the
  archive reason (an archive reason is what Ashby calls a rejection reason).
* Screening answers can only reach Ashby through its job-board form submission, and result links have no
  Ashby concept (the assessments API is for partners): both become notes, with a warning.
"""

from __future__ import annotations

import html
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.source import KitSource
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _remote(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Ashby id")
    return str(rid)


async def candidate_info(source: KitSource, candidate_id: str) -> Json:
    found = await rpc.call(source.client, "candidate.info", {"id": candidate_id})
    return found if isinstance(found, dict) else {}


def files_row(candidate: Json) -> Json:
    """The attachments stream's row for one candidate (its resume and file handles)."""
    keys = ("applicationIds", "resumeFileHandle", "fileHandles")
    return {"id": candidate["id"], **{k: candidate.get(k) for k in keys}}


async def application_for_job(source: KitSource, candidate: Json, job_id: str) -> str | None:
    for app_id in candidate.get("applicationIds") or []:
        app = await rpc.call(source.client, "application.info", {"applicationId": app_id})
        if str((app or {}).get("job", {}).get("id")) == job_id:
            return str(app_id)
    return None


# ----------------------------------------------------------------------------------------------------- files


async def upload(source: KitSource, candidate_id: str, file: FileData) -> None:
    """The three-step upload (the multipart form of ``uploadResume`` is deprecated)."""
    resume = file.type == "CV"
    handle = await rpc.call(source.client, "file.createFileUploadHandle", {
        "fileUploadContext": "CandidateResume" if resume else "CandidateFiles", "fileName": file.name,
        "contentType": file.content_type, "size": len(file.content)})  # fmt: skip
    async with httpx.AsyncClient(timeout=source.client.timeout) as plain:  # presigned: no API credentials
        stored = await plain.post(handle["url"], data=handle.get("fields") or {},
                                  files={"file": (file.name, file.content, file.content_type)})  # fmt: skip
    if stored.status_code >= 300:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"Ashby's file store refused the upload ({stored.status_code})",
                          retryable=True)  # fmt: skip
    method, key = ("candidate.uploadResume", "resumeHandle") if resume else ("candidate.uploadFile", "fileHandle")
    await rpc.call(source.client, method, {"candidateId": candidate_id, key: handle["handle"]}, retry=False)


async def _upload_all(source: KitSource, call: WriteCall, candidate_id: str, files: list[FileData]) -> None:
    for i, file in enumerate(files):
        if not call.progress.get(f"file_{i}_done"):
            await upload(source, candidate_id, file)
            call.step(f"file_{i}_done", True)


# ----------------------------------------------------------------------------------------------------- notes


async def note(source: KitSource, call: WriteCall[Any], key: str, candidate_id: str, content: str,
               kind: str) -> Json:  # fmt: skip
    """``candidate.createNote`` once per Idempotency-Key (found again by content on a resumed call); returned as
    the notes stream's record."""

    async def listed() -> list[Json]:
        return await rpc.collect(source.client, "notes", "candidate.listNotes", {"candidateId": candidate_id})

    async def create() -> Json:
        return dict(await rpc.call(source.client, "candidate.createNote",
                                   {"candidateId": candidate_id, "note": {"type": kind, "value": content}},
                                   retry=False))  # fmt: skip

    async def find(_: object) -> Json | None:
        return next((n for n in reversed(await listed()) if n.get("content") == content), None)

    async def fetch(note_id: str) -> Json:
        return next((n for n in await listed() if n.get("id") == note_id), None) or {"id": note_id}

    created = await call.once(key, create, find=find, fetch=fetch)
    cand = await candidate_info(source, candidate_id)
    return {**created, "_candidate_id": candidate_id, "_application_ids": cand.get("applicationIds") or []}


# ---------------------------------------------------------------------------------------------------- create


def _candidate_body(call: WriteCall[Create]) -> Json:
    c = call.body.candidate
    links = [s.url for s in c.social_links or []]
    out: Json = {"name": f"{c.first_name} {c.last_name}", "email": c.email_address}
    optional: Json = {
        "phoneNumber": c.phone_number,
        "linkedInUrl": next((u for u in links if "linkedin." in u.lower()), None),
        "githubUrl": next((u for u in links if "github." in u.lower()), None),
        "website": next((u for u in links if "linkedin." not in u.lower() and "github." not in u.lower()), None),
        "alternateEmailAddresses": [e.email_address for e in c.additional_email_addresses or []] or None,
        "location": {"city": c.location.city, "region": c.location.state, "country": c.location.country}
        if c.location else None,
        "creditedToUserId": call.sourced_by_remote_id,
    }  # fmt: skip
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


async def _candidate(source: KitSource, call: WriteCall[Create], email: str, warnings: list[str]) -> str:
    """The candidate with that email: an existing one is used (with a warning), else one is created once."""

    async def search(_: object) -> object | None:
        found = await rpc.call(source.client, "candidate.search", {"email": email}) or []
        return found[0]["id"] if found else None

    if not {"candidate_remote_id", "candidate_create_started"} & set(call.progress):
        existing = await search(None)
        if existing is not None:
            warnings.append(f"Ashby already had a candidate with {email}: the application was added to it")
            call.step("candidate_remote_id", existing)

    async def create() -> object:
        return (await rpc.call(source.client, "candidate.create", _candidate_body(call), retry=False))["id"]

    return await call.once_id("candidate", create, find=search, marker=email)


async def _application(source: KitSource, call: WriteCall[Create], cid: str, job_id: str) -> str:
    """One application of the candidate to the job; one that existed before this call is AlreadyApplied."""

    async def existing(_: object) -> object | None:
        return await application_for_job(source, await candidate_info(source, cid), job_id)

    if not {"application_remote_id", "application_create_started"} & set(call.progress) and await existing(None):
        raise AlreadyApplied(f"the Ashby candidate {cid} already has an application for job {job_id}")

    async def create() -> object:
        body: Json = {"candidateId": cid, "jobId": job_id}
        if call.stage and call.stage.get("remote_id"):
            body["interviewStageId"] = call.stage["remote_id"]
        return (await rpc.call(source.client, "application.create", body, retry=False))["id"]

    return await call.once_id("application", create, find=existing, marker=job_id)


async def _source(source: KitSource, call: WriteCall, app_id: str, warnings: list[str]) -> None:
    body = call.body
    name = body.source.name if isinstance(body, bodies.CreateApplication | bodies.CreateCandidate) and body.source \
        else None  # fmt: skip
    if not name or call.progress.get("source_set"):
        return
    sources = await rpc.collect(source.client, "sources", "source.list", {"includeArchived": False})
    match = next((s for s in sources if str(s.get("title", "")).lower() == name.lower()), None)
    if match is None:
        warnings.append(f"Ashby has no source named {name!r}; the application keeps its default source")
        return
    await rpc.call(source.client, "application.changeSource", {"applicationId": app_id, "sourceId": match["id"]})
    call.step("source_set", True)


def _answers_text(call: WriteCall) -> str:
    lines = []
    for answer in call.answers:
        value = answer.value
        if isinstance(value, list):
            value = ", ".join(str(o.get("name")) for o in value)
        elif isinstance(value, FileData):
            value = f"(file {value.name})"
        lines.append(f"{answer.question.get('title')}: {value}")
    return "Screening answers\n" + "\n".join(lines)


@WRITES.create
async def create_application(source: KitSource, call: WriteCall[Create]) -> WriteResult:
    body = call.body
    warnings: list[str] = []
    cid = await _candidate(source, call, body.candidate.email_address, warnings)
    app_id = await _application(source, call, cid, str(call.job_remote_id))
    await _source(source, call, app_id, warnings)
    await _upload_all(source, call, cid, list(call.files))
    records: list[tuple[str, Json]] = []
    if call.answers:
        records.append(("notes", await note(source, call, "answers", cid, _answers_text(call), "text/plain")))
        warnings.append("Ashby takes screening answers only through its job-board form: they were added as a note")
    if body.gdpr_consent is not None:
        warnings.append("Ashby's API takes no GDPR consent; it was not stored")
    cand = await candidate_info(source, cid)
    app = await rpc.call(source.client, "application.info", {"applicationId": app_id})
    records[:0] = [("candidates", cand), ("applications", app), ("files", files_row(cand))]
    return WriteResult(records, warnings, {"application_remote_id": app_id, "candidate_remote_id": cid})


# --------------------------------------------------------------------------------------- single-record writes


@WRITES.move
async def move_stage(source: KitSource, call: WriteCall) -> WriteResult:
    body = {"applicationId": _remote(call.application, "application"), "interviewStageId": _remote(call.stage, "stage")}
    return WriteResult([("applications", await rpc.call(source.client, "application.changeStage", body))])


@WRITES.reject
async def reject(source: KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    app_id = _remote(call.application, "application")
    current = await rpc.call(source.client, "application.info", {"applicationId": app_id})
    plan = ((current or {}).get("currentInterviewStage") or {}).get("interviewPlanId")
    stages = await rpc.collect(source.client, "interview stages", "interviewStage.list", {"interviewPlanId": plan})
    archived = next((s for s in stages if s.get("type") == "Archived"), None)
    if archived is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the interview plan of application {app_id} has no Archived stage")
    moved = await rpc.call(source.client, "application.changeStage", {
        "applicationId": app_id, "interviewStageId": archived["id"],
        "archiveReasonId": _remote(call.rejection_reason, "rejection reason")})  # fmt: skip
    records: list[tuple[str, Json]] = [("applications", moved)]
    if call.body.note:
        cid = (call.candidate or {}).get("remote_id") or str((moved.get("candidate") or {}).get("id"))
        records.append(("notes", await note(source, call, "note", cid, call.body.note, "text/plain")))
    return WriteResult(records)


@WRITES.note
async def add_note(source: KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    row = await note(source, call, "note", _remote(call.candidate, "candidate"), call.body.content, "text/plain")
    return WriteResult([("notes", row)], created={"note_remote_id": row["id"]})


@WRITES.attachment
async def add_attachment(source: KitSource, call: WriteCall) -> WriteResult:
    cid = _remote(call.candidate, "candidate")
    await _upload_all(source, call, cid, call.files[:1])
    warnings = ["Ashby keeps files on the candidate: the file was added to the application's candidate"] \
        if call.action == "add_application_attachment" else []  # fmt: skip
    return WriteResult([("files", files_row(await candidate_info(source, cid)))], warnings)


@WRITES.result_link
async def add_result_link(source: KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    link = call.body
    parts = [f'<p><a href="{html.escape(link.url)}">{html.escape(link.label)}</a></p>']
    if link.details:
        parts += [f"<p>{html.escape(f'{link.details.custom_field_name_prefix} {a.key}: {a.value}')}</p>"
                  for a in link.details.attributes]  # fmt: skip
    row = await note(source, call, "link", _remote(call.candidate, "candidate"), "".join(parts), "text/html")
    return WriteResult([("notes", row)], ["Ashby has no result links: the link was added as a note"],
                       {"note_remote_id": row["id"]})  # fmt: skip


async def _tag(source: KitSource, call: WriteCall[bodies.TagBody], name: str, *, create: bool) -> Json | None:
    """The tag with that title (an active one first); created once when asked and missing."""

    async def by_title(_: object = None) -> Json | None:
        tags = await rpc.collect(source.client, "tags", "candidateTag.list", {"includeArchived": True})
        wanted = [t for t in tags if str(t.get("title", "")).strip().lower() == name.lower()]
        return next((t for t in wanted if not t.get("isArchived")), wanted[0] if wanted else None)

    async def make() -> Json:
        return dict(await rpc.call(source.client, "candidateTag.create", {"title": name}, retry=False))

    found = await by_title()
    return found if found is not None or not create else await call.once("tag", make, find=by_title)


@WRITES.add_tag
async def add_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid = _remote(call.candidate, "candidate")
    tag = await _tag(source, call, call.body.tag.name.strip(), create=True)
    assert tag is not None
    cand = await rpc.call(source.client, "candidate.addTag", {"candidateId": cid, "tagId": tag["id"]})
    return WriteResult([("tags", tag), ("candidates", cand)])


@WRITES.remove_tag
async def remove_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid = _remote(call.candidate, "candidate")
    tag = await _tag(source, call, call.body.tag.name.strip(), create=False)
    held = {t.get("id") for t in (await candidate_info(source, cid)).get("tags") or []}
    if tag is None or tag["id"] not in held:
        return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])
    cand = await rpc.call(source.client, "candidate.removeTag", {"candidateId": cid, "tagId": tag["id"]})
    return WriteResult([("candidates", cand)])


@WRITES.import_tracked
async def import_tracked(source: KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """Ashby has no key in the contract: ``application_remote_id`` names the application."""
    app_id = call.body.application_remote_id
    if not app_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the Ashby application id as application_remote_id")
    app = await rpc.call(source.client, "application.info", {"applicationId": app_id})
    cid = str((app.get("candidate") or {}).get("id"))
    cand = await candidate_info(source, cid)
    return WriteResult([("candidates", cand), ("applications", app)],
                       created={"application_remote_id": app_id, "candidate_remote_id": cid})  # fmt: skip


ACTIONS = WRITES.actions()
