"""Teamtailor writes, as JSON:API documents (``Content-Type: application/vnd.api+json``).

* Create: ``POST /candidates`` (``merge: true`` upserts by email), ``POST /job-applications`` (candidate + job
  relationships), then a ``PATCH`` to the requested stage and one ``POST /answers`` per screening answer
  (answers belong to the candidate). Every POST goes through ``call.once``: a retry under the same
  Idempotency-Key looks the record up (candidate by ``filter[email]``, application among the candidate's job
  applications, answer among the candidate's answers, note among the candidate's notes) instead of duplicating it.
* Stage moves and rejections ``PATCH`` the job application (``stage``; ``reject-reason`` + ``rejected-at``).
* Notes are ``POST /notes`` on the *candidate* and need an author: ``remote_fields.teamtailor.user_id`` or,
  as Kombo does, the first admin user. Result links become such notes (Teamtailor's partner results belong to
  the separate Partner API).
* Tags: the candidate's ``tags`` array is replaced by a ``PATCH`` (read first, so other tags survive).
* Files: ``POST /uploads`` only takes a *public URL* (no multipart), and the contract hands us bytes, so file
  uploads are not offered; files sent with a create are reported in a warning.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, ResolvedAnswer, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.teamtailor import mappers as m
from atsbridge.connectors.teamtailor.api import JOB_QUESTIONS, TeamtailorSource
from atsbridge.connectors.teamtailor.jsonapi import Resource, attributes, primary, rel_id
from atsbridge.connectors.teamtailor.streams import APPLICATION_INCLUDE, CANDIDATE_INCLUDE, JOB_INCLUDE
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]


WRITES = kit.WriteTable()


def _ref(type_: str, id_: str) -> Json:
    return {"data": {"type": type_, "id": str(id_)}}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _rid(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Teamtailor id")
    return str(rid)


async def _send(source: TeamtailorSource, method: str, path: str, document: Json) -> Resource:
    """A write; returns ``data``. A POST goes through ``kit.create_request`` (never blindly re-sent: one that
    timed out may have been committed); a PATCH sets values, so the client may repeat it."""
    if method == "POST":
        response = await kit.create_request(source.client, method, path, json=document)
    else:
        response = await source.client.request(method, path, json=document)
    try:
        found = primary(orjson.loads(response.content))
    except (ValueError, AttributeError):
        found = []
    if not found:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{method} {path}: the ATS answered without a resource")
    return found[0]


async def application(source: TeamtailorSource, app_id: str) -> Resource | None:
    """One job application as the applications stream reads it (for write-through and imports)."""
    app = await source.one(f"/job-applications/{app_id}", {"include": APPLICATION_INCLUDE})
    job = rel_id(app, "job") if app else None
    if app is None or job is None:
        return app
    asked = (await source.lookup(JOB_QUESTIONS)).get(job)
    if asked is None:  # a job newer than this source's table
        found = await source.one(f"/jobs/{job}", {"include": JOB_INCLUDE})
        asked = m.job_question_ids(found) if found else None
    return {**app, "_job_questions": asked} if asked is not None else app


async def candidate(source: TeamtailorSource, candidate_id: str) -> Resource | None:
    return await source.one(f"/candidates/{candidate_id}", {"include": CANDIDATE_INCLUDE})


async def _records(source: TeamtailorSource, candidate_id: str | None, app_id: str | None) -> list[tuple[str, Json]]:
    """The candidate and application as their streams read them, for write-through."""
    out: list[tuple[str, Json]] = []
    cand = await candidate(source, candidate_id) if candidate_id else None
    if cand is not None:
        out.append(("candidates", cand))
    app = await application(source, app_id) if app_id else None
    if app is not None:
        out.append(("job_applications", app))
    return out


# ------------------------------------------------------------------------------------------------ create


def _candidate_attributes(c: bodies.NewCandidate, call: WriteCall[Any]) -> Json:
    attrs: Json = {"first-name": c.first_name, "last-name": c.last_name, "email": c.email_address, "merge": True}
    if c.phone_number:
        attrs["phone"] = c.phone_number
    linkedin = next((s.url for s in c.social_links or [] if "linkedin." in s.url.lower()), None)
    if linkedin:
        attrs["linkedin-url"] = linkedin
    if call.sourced_by_remote_id:
        attrs["sourced"] = True
    extra = call.remote_fields.get("candidate")
    return {**attrs, **(extra if isinstance(extra, dict) else {})}


async def _candidate_by_email(source: TeamtailorSource, email: str) -> str | None:
    async for page in source.listing("candidate lookup", "/candidates", {"filter[email]": email}):
        for cand in page:
            if str(attributes(cand).get("email") or "").lower() == email.lower():
                return str(cand["id"])
    return None


async def _ensure_candidate(source: TeamtailorSource, call: WriteCall[Any], c: bodies.NewCandidate) -> str:
    async def create() -> Json:
        doc = {"data": {"type": "candidates", "attributes": _candidate_attributes(c, call)}}
        return await _send(source, "POST", "/candidates", doc)

    async def find(email: str) -> Json | None:
        found = await _candidate_by_email(source, email)
        return {"id": found} if found else None

    return str((await call.once("candidate", create, find=find, marker=c.email_address.lower()))["id"])


async def _application_for(source: TeamtailorSource, candidate_id: str, job_id: str) -> str | None:
    path = f"/candidates/{candidate_id}/job-applications"
    async for page in source.listing("application lookup", path, {"include": "job"}):
        for app in page:
            if rel_id(app, "job") == job_id:
                return str(app["id"])
    return None


async def _ensure_application(source: TeamtailorSource, call: WriteCall[Any], candidate_id: str, job_id: str) -> str:
    async def create() -> Json:
        if await _application_for(source, candidate_id, job_id) is not None:
            raise AlreadyApplied(f"Teamtailor candidate {candidate_id} already applied to job {job_id}")
        extra = (call.remote_fields.get("application") or {}).get("attributes")
        attrs = {"sourced": bool(call.sourced_by_remote_id), **(extra if isinstance(extra, dict) else {})}
        rels = {"candidate": _ref("candidates", candidate_id), "job": _ref("jobs", job_id)}
        doc = {"data": {"type": "job-applications", "attributes": attrs, "relationships": rels}}
        return await _send(source, "POST", "/job-applications", doc)

    async def find(_marker: object) -> Json | None:  # ours: committed before the answer got lost
        found = await _application_for(source, candidate_id, job_id)
        return {"id": found} if found else None

    created = await call.once("application", create, find=find, marker=f"{candidate_id}:{job_id}")
    return str(created["id"])


def _answer_attributes(answer: ResolvedAnswer) -> Json | None:
    value = answer.value
    if answer.type == "BOOLEAN":
        return {"boolean": value}
    if answer.type == "TEXT":
        return {"text": value}
    if answer.type == "NUMBER":
        return {"range": value}
    if answer.type == "DATE":
        return {"date": value}
    if answer.type in ("SINGLE_SELECT", "MULTI_SELECT"):
        return {"choices": [o.get("remote_id") or o.get("name") for o in value]}
    return None


async def _answered(source: TeamtailorSource, candidate_id: str) -> dict[str, str]:
    """question id -> answer id of the candidate's answers."""
    found: dict[str, str] = {}
    path = f"/candidates/{candidate_id}/answers"
    async for page in source.listing("answer lookup", path, {"include": "question"}):
        found.update({q: str(a["id"]) for a in page if (q := rel_id(a, "question"))})
    return found


async def _answer(source: TeamtailorSource, call: WriteCall[Any], candidate_id: str, question: str, attrs: Any) -> None:
    rels = {"candidate": _ref("candidates", candidate_id), "question": _ref("questions", question)}
    doc = {"data": {"type": "answers", "attributes": attrs, "relationships": rels}}

    async def create() -> Json:
        return await _send(source, "POST", "/answers", doc)

    async def find(_marker: object) -> Json | None:
        found = (await _answered(source, candidate_id)).get(question)
        return {"id": found} if found else None

    await call.once(f"answer_{question}", create, find=find)


async def _write_answers(source: TeamtailorSource, call: WriteCall[Any], candidate_id: str) -> list[str]:
    """One ``POST /answers`` per answer the candidate does not have yet; file answers cannot be sent."""
    warnings: list[str] = []
    pending = [a for a in call.answers if a.type != "FILE" and _answer_attributes(a) is not None]
    if any(a.type == "FILE" for a in call.answers):
        warnings.append("Teamtailor takes files only by public URL: file answers were not sent")
    if not pending:
        return warnings
    existing = await _answered(source, candidate_id)
    for answer in pending:
        question = str(answer.question.get("remote_id") or "")
        if call.progress.get(f"answer_{question}_remote_id") is None and question in existing:
            continue  # answered before this call
        await _answer(source, call, candidate_id, question, _answer_attributes(answer))
    return warnings


async def _move(source: TeamtailorSource, app_id: str, stage_id: str) -> None:
    doc = {"data": {"id": app_id, "type": "job-applications", "relationships": {"stage": _ref("stages", stage_id)}}}
    await _send(source, "PATCH", f"/job-applications/{app_id}", doc)


@WRITES.create
async def create_application(
    source: TeamtailorSource, call: WriteCall[bodies.CreateApplication | bodies.CreateCandidate]
) -> WriteResult:
    body = call.body
    job_id = call.job_remote_id
    if not job_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Teamtailor id")
    candidate_id = await _ensure_candidate(source, call, body.candidate)
    app_id = await _ensure_application(source, call, candidate_id, job_id)

    async def move(stage: dict[str, Any]) -> None:
        await _move(source, app_id, _rid(stage, "stage"))

    await kit.move_to_requested_stage(call, move)
    warnings = await _write_answers(source, call, candidate_id)
    if call.files:
        warnings.append(f"Teamtailor takes files only by public URL: {len(call.files)} attachment(s) were not uploaded")
    if body.gdpr_consent is not None:
        warnings.append("Teamtailor's API keeps no GDPR consent for a new candidate: it was not stored")
    records = await _records(source, candidate_id, app_id)
    return WriteResult(records, warnings, {"application_remote_id": app_id, "candidate_remote_id": candidate_id})


# ------------------------------------------------------------------------------------- application changes


@WRITES.move
async def move_stage(source: TeamtailorSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = _rid(call.application, "application")
    await _move(source, app_id, _rid(call.stage, "stage"))
    return WriteResult(await _records(source, None, app_id))


def _when(value: object) -> datetime | None:
    try:
        return parse_ts(str(value)) if value else None
    except ValueError:
        return None


NOTE_AUTHOR: kit.Memo[str] = kit.Memo("note_author")


async def _author(source: TeamtailorSource, call: WriteCall[Any]) -> str:
    """``remote_fields.teamtailor.user_id``, else the first admin user (Teamtailor requires an author)."""
    given = call.remote_fields.get("user_id")
    if given:
        return str(given)

    async def first_admin() -> str:
        users = [u async for page in source.listing("users", "/users") for u in page]
        admins = [u for u in users if attributes(u).get("role") == "admin"] or users
        if not admins:
            raise RemoteError("REMOTE.INPUT_INVALID", "Teamtailor has no user to author the note")
        return str(admins[0]["id"])

    return await source.memo(NOTE_AUTHOR, first_admin)


async def _note(source: TeamtailorSource, call: WriteCall[Any], candidate_id: str, text: str) -> Resource:
    author = await _author(source, call)
    rels = {"candidate": _ref("candidates", candidate_id), "user": _ref("users", author)}
    doc = {"data": {"type": "notes", "attributes": {"note": text}, "relationships": rels}}

    async def find(started_ms: object) -> Json | None:
        """The same text by the same author on the candidate, made since the first try began."""
        since = datetime.fromtimestamp(int(str(started_ms)) / 1000 - 60, UTC)
        async for page in source.listing("note lookup", "/notes"):
            for note in page:
                a = attributes(note)
                if (str(a.get("candidate-id")), str(a.get("user-id")), a.get("note")) != (candidate_id, author, text):
                    continue
                made = _when(a.get("created-at"))
                if made is None or made >= since:
                    return note
        return None

    async def fetch(note_id: str) -> Json:
        return await source.one(f"/notes/{note_id}") or {"id": note_id}

    return await call.once("note", lambda: _send(source, "POST", "/notes", doc), find=find, fetch=fetch)


def _candidate_of(call: WriteCall[Any]) -> str:
    if call.candidate:
        return _rid(call.candidate, "candidate")
    raise RemoteError("REMOTE.INPUT_INVALID", "the application has no candidate")


@WRITES.reject
async def reject(source: TeamtailorSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    app_id = _rid(call.application, "application")
    doc = {"data": {"id": app_id, "type": "job-applications", "attributes": {"rejected-at": _now()},
                    "relationships": {"reject-reason": _ref("reject-reasons", _rid(call.rejection_reason,
                                                                                   "rejection reason"))}}}  # fmt: skip
    await _send(source, "PATCH", f"/job-applications/{app_id}", doc)
    records = await _records(source, None, app_id)
    if call.body.note:
        records.append(("notes", await _note(source, call, _candidate_of(call), call.body.note)))
    return WriteResult(records)


_ON_CANDIDATE = "Teamtailor keeps notes on the candidate: the note was added to the application's candidate"


@WRITES.note
async def add_note(source: TeamtailorSource, call: WriteCall[bodies.Note]) -> WriteResult:
    note = await _note(source, call, _candidate_of(call), call.body.content)
    return WriteResult([("notes", note)], [_ON_CANDIDATE], {"note_remote_id": str(note["id"])})


@WRITES.result_link
async def add_result_link(source: TeamtailorSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in Teamtailor's API: the link becomes a candidate note, as Kombo does."""
    body = call.body
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        lines += [f"{body.details.custom_field_name_prefix} {a.key}: {a.value}" for a in body.details.attributes]
    note = await _note(source, call, _candidate_of(call), "\n".join(lines))
    warning = "Teamtailor has no result links in its API: the link was added as a note on the candidate"
    return WriteResult([("notes", note)], [warning], {"note_remote_id": str(note["id"])})


# -------------------------------------------------------------------------------------------------- tags


async def _set_tags(source: TeamtailorSource, candidate_id: str, tags: list[str]) -> None:
    doc = {"data": {"id": candidate_id, "type": "candidates", "attributes": {"tags": tags}}}
    await _send(source, "PATCH", f"/candidates/{candidate_id}", doc)


async def _current_tags(source: TeamtailorSource, candidate_id: str) -> list[str]:
    found = await source.one(f"/candidates/{candidate_id}")
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Teamtailor has no candidate {candidate_id}", status=404)
    return [str(t) for t in attributes(found).get("tags") or []]


@WRITES.add_tag
async def add_tag(source: TeamtailorSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    candidate_id, name = _rid(call.candidate, "candidate"), call.body.tag.name.strip()
    tags = await _current_tags(source, candidate_id)
    if name.lower() not in {t.lower() for t in tags}:
        await _set_tags(source, candidate_id, [*tags, name])
    return WriteResult([("tags", {"name": name}), *await _records(source, candidate_id, None)])


@WRITES.remove_tag
async def remove_tag(source: TeamtailorSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    candidate_id, name = _rid(call.candidate, "candidate"), call.body.tag.name.strip().lower()
    tags = await _current_tags(source, candidate_id)
    kept = [t for t in tags if t.lower() != name]
    if kept == tags:
        return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])
    await _set_tags(source, candidate_id, kept)
    return WriteResult(await _records(source, candidate_id, None))


# ------------------------------------------------------------------------------------------------ import


@WRITES.import_tracked
async def import_tracked(source: TeamtailorSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """The contract has no Teamtailor key: the job application's id comes as ``application_remote_id``."""
    app_id = call.body.application_remote_id
    if not app_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the Teamtailor job application id as application_remote_id")
    app = await application(source, app_id)
    if app is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Teamtailor has no job application {app_id}", status=404)
    candidate_id = rel_id(app, "candidate")
    cand = await candidate(source, candidate_id) if candidate_id else None
    records = ([("candidates", cand)] if cand else []) + [("job_applications", app)]
    return WriteResult(records, created={"application_remote_id": app_id, "candidate_remote_id": candidate_id})


ACTIONS = WRITES.actions()
