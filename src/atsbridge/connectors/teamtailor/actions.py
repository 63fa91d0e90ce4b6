"""Teamtailor writes, as JSON:API documents (``Content-Type: application/vnd.api+json``).

* Create: ``POST /candidates`` (``merge: true`` upserts by email), ``POST /job-applications`` (candidate + job
  relationships), then a ``PATCH`` to the requested stage and one ``POST /answers`` per screening answer
  (answers belong to the candidate). Each vendor create records its intent first and its id right after, so
  a retry under the same Idempotency-Key looks the record up (candidate by ``filter[email]``, application
  among the candidate's job applications, answers among the candidate's answers) instead of duplicating it.
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

from atsbridge.connectors.actions import AlreadyApplied, ResolvedAnswer, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import HttpSource
from atsbridge.connectors.teamtailor import reads
from atsbridge.connectors.teamtailor.jsonapi import Resource, attributes, fetch_one, rel_id, resources, send
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]


def _ref(type_: str, id_: str) -> Json:
    return {"data": {"type": type_, "id": str(id_)}}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _rid(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Teamtailor id")
    return str(rid)


async def _records(source: HttpSource, candidate_id: str | None, app_id: str | None) -> list[tuple[str, Json]]:
    """The candidate and application as their streams read them, for write-through."""
    out: list[tuple[str, Json]] = []
    cand = await reads.candidate(source, candidate_id) if candidate_id else None
    if cand is not None:
        out.append(("candidates", cand))
    app = await reads.application(source, app_id) if app_id else None
    if app is not None:
        out.append(("job_applications", app))
    return out


# ------------------------------------------------------------------------------------------------ create


def _candidate_attributes(c: bodies.NewCandidate, call: WriteCall) -> Json:
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


async def _candidate_by_email(source: HttpSource, email: str) -> str | None:
    async for page in resources(source, "candidate lookup", "/candidates", {"filter[email]": email}):
        for cand in page:
            if str(attributes(cand).get("email") or "").lower() == email.lower():
                return str(cand["id"])
    return None


async def _ensure_candidate(source: HttpSource, call: WriteCall, c: bodies.NewCandidate) -> str:
    done = call.progress.get("candidate_remote_id")
    if done:
        return str(done)
    if call.progress.get("candidate_create_started"):
        found = await _candidate_by_email(source, c.email_address)
        if found:
            call.step("candidate_remote_id", found)
            return found
    call.step("candidate_create_started", c.email_address.lower())
    doc = {"data": {"type": "candidates", "attributes": _candidate_attributes(c, call)}}
    created = await send(source, "POST", "/candidates", doc)
    call.step("candidate_remote_id", str(created["id"]))
    return str(created["id"])


async def _application_for(source: HttpSource, candidate_id: str, job_id: str) -> str | None:
    path = f"/candidates/{candidate_id}/job-applications"
    async for page in resources(source, "application lookup", path, {"include": "job"}):
        for app in page:
            if rel_id(app, "job") == job_id:
                return str(app["id"])
    return None


async def _ensure_application(source: HttpSource, call: WriteCall, candidate_id: str, job_id: str) -> str:
    done = call.progress.get("application_remote_id")
    if done:
        return str(done)
    existing = await _application_for(source, candidate_id, job_id)
    if existing is not None:
        if call.progress.get("application_create_started"):  # ours: committed before the answer got lost
            call.step("application_remote_id", existing)
            return existing
        raise AlreadyApplied(f"Teamtailor candidate {candidate_id} already applied to job {job_id}")
    call.step("application_create_started", f"{candidate_id}:{job_id}")
    extra = (call.remote_fields.get("application") or {}).get("attributes")
    attrs = {"sourced": bool(call.sourced_by_remote_id), **(extra if isinstance(extra, dict) else {})}
    doc = {
        "data": {
            "type": "job-applications",
            "attributes": attrs,
            "relationships": {"candidate": _ref("candidates", candidate_id), "job": _ref("jobs", job_id)},
        }
    }
    created = await send(source, "POST", "/job-applications", doc)
    call.step("application_remote_id", str(created["id"]))
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


async def _answered(source: HttpSource, candidate_id: str) -> dict[str, str]:
    """question id -> answer id of the candidate's answers."""
    found: dict[str, str] = {}
    path = f"/candidates/{candidate_id}/answers"
    async for page in resources(source, "answer lookup", path, {"include": "question"}):
        found.update({q: str(a["id"]) for a in page if (q := rel_id(a, "question"))})
    return found


async def _write_answers(source: HttpSource, call: WriteCall, candidate_id: str) -> list[str]:
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
        key = f"answer_{question}_remote_id"
        if call.progress.get(key) or question in existing:
            continue
        doc = {"data": {"type": "answers", "attributes": _answer_attributes(answer),
                        "relationships": {"candidate": _ref("candidates", candidate_id),
                                          "question": _ref("questions", question)}}}  # fmt: skip
        created = await send(source, "POST", "/answers", doc)
        call.step(key, str(created["id"]))
    return warnings


def _requested_stage(body: bodies.CreateApplication | bodies.CreateCandidate) -> str | None:
    return body.stage_id if isinstance(body, bodies.CreateApplication) else body.application.stage_id


async def _move(source: HttpSource, app_id: str, stage_id: str) -> None:
    doc = {"data": {"id": app_id, "type": "job-applications", "relationships": {"stage": _ref("stages", stage_id)}}}
    await send(source, "PATCH", f"/job-applications/{app_id}", doc)


async def create_application(source: HttpSource, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    job_id = call.job_remote_id
    if not job_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Teamtailor id")
    candidate_id = await _ensure_candidate(source, call, body.candidate)
    app_id = await _ensure_application(source, call, candidate_id, job_id)
    if _requested_stage(body) and call.stage and not call.progress.get("stage_moved"):
        await _move(source, app_id, _rid(call.stage, "stage"))
        call.step("stage_moved", True)
    warnings = await _write_answers(source, call, candidate_id)
    if call.files:
        warnings.append(f"Teamtailor takes files only by public URL: {len(call.files)} attachment(s) were not uploaded")
    if body.gdpr_consent is not None:
        warnings.append("Teamtailor's API keeps no GDPR consent for a new candidate: it was not stored")
    records = await _records(source, candidate_id, app_id)
    return WriteResult(records, warnings, {"application_remote_id": app_id, "candidate_remote_id": candidate_id})


# ------------------------------------------------------------------------------------- application changes


async def move_stage(source: HttpSource, call: WriteCall) -> WriteResult:
    app_id = _rid(call.application, "application")
    await _move(source, app_id, _rid(call.stage, "stage"))
    return WriteResult(await _records(source, None, app_id))


async def _author(source: HttpSource, call: WriteCall) -> str:
    """``remote_fields.teamtailor.user_id``, else the first admin user (Teamtailor requires an author)."""
    given = call.remote_fields.get("user_id")
    if given:
        return str(given)
    if "note_author" not in source.state:
        users = [u async for page in resources(source, "users", "/users") for u in page]
        admins = [u for u in users if attributes(u).get("role") == "admin"] or users
        if not admins:
            raise RemoteError("REMOTE.INPUT_INVALID", "Teamtailor has no user to author the note")
        source.state["note_author"] = str(admins[0]["id"])
    author: str = source.state["note_author"]
    return author


async def _note(source: HttpSource, call: WriteCall, candidate_id: str, text: str) -> Resource:
    doc = {"data": {"type": "notes", "attributes": {"note": text},
                    "relationships": {"candidate": _ref("candidates", candidate_id),
                                      "user": _ref("users", await _author(source, call))}}}  # fmt: skip
    return await send(source, "POST", "/notes", doc)


def _candidate_of(call: WriteCall) -> str:
    if call.candidate:
        return _rid(call.candidate, "candidate")
    raise RemoteError("REMOTE.INPUT_INVALID", "the application has no candidate")


async def reject(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Reject)
    app_id = _rid(call.application, "application")
    doc = {"data": {"id": app_id, "type": "job-applications", "attributes": {"rejected-at": _now()},
                    "relationships": {"reject-reason": _ref("reject-reasons", _rid(call.rejection_reason,
                                                                                   "rejection reason"))}}}  # fmt: skip
    await send(source, "PATCH", f"/job-applications/{app_id}", doc)
    records = await _records(source, None, app_id)
    if call.body.note:
        records.append(("notes", await _note(source, call, _candidate_of(call), call.body.note)))
    return WriteResult(records)


_ON_CANDIDATE = "Teamtailor keeps notes on the candidate: the note was added to the application's candidate"


async def add_note(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Note)
    note = await _note(source, call, _candidate_of(call), call.body.content)
    return WriteResult([("notes", note)], [_ON_CANDIDATE], {"note_remote_id": str(note["id"])})


async def add_result_link(source: HttpSource, call: WriteCall) -> WriteResult:
    """No result links in Teamtailor's API: the link becomes a candidate note, as Kombo does."""
    body = call.body
    assert isinstance(body, bodies.ResultLink)
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        lines += [f"{body.details.custom_field_name_prefix} {a.key}: {a.value}" for a in body.details.attributes]
    note = await _note(source, call, _candidate_of(call), "\n".join(lines))
    warning = "Teamtailor has no result links in its API: the link was added as a note on the candidate"
    return WriteResult([("notes", note)], [warning], {"note_remote_id": str(note["id"])})


# -------------------------------------------------------------------------------------------------- tags


async def _set_tags(source: HttpSource, candidate_id: str, tags: list[str]) -> None:
    doc = {"data": {"id": candidate_id, "type": "candidates", "attributes": {"tags": tags}}}
    await send(source, "PATCH", f"/candidates/{candidate_id}", doc)


async def _current_tags(source: HttpSource, candidate_id: str) -> list[str]:
    found = await fetch_one(source, f"/candidates/{candidate_id}")
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Teamtailor has no candidate {candidate_id}", status=404)
    return [str(t) for t in attributes(found).get("tags") or []]


async def add_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.TagBody)
    candidate_id, name = _rid(call.candidate, "candidate"), call.body.tag.name.strip()
    tags = await _current_tags(source, candidate_id)
    if name.lower() not in {t.lower() for t in tags}:
        await _set_tags(source, candidate_id, [*tags, name])
    return WriteResult([("tags", {"name": name}), *await _records(source, candidate_id, None)])


async def remove_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.TagBody)
    candidate_id, name = _rid(call.candidate, "candidate"), call.body.tag.name.strip().lower()
    tags = await _current_tags(source, candidate_id)
    kept = [t for t in tags if t.lower() != name]
    if kept == tags:
        return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])
    await _set_tags(source, candidate_id, kept)
    return WriteResult(await _records(source, candidate_id, None))


# ------------------------------------------------------------------------------------------------ import


async def import_tracked(source: HttpSource, call: WriteCall) -> WriteResult:
    """The contract has no Teamtailor key: the job application's id comes as ``application_remote_id``."""
    assert isinstance(call.body, bodies.ImportTracked)
    app_id = call.body.application_remote_id
    if not app_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the Teamtailor job application id as application_remote_id")
    app = await reads.application(source, app_id)
    if app is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Teamtailor has no job application {app_id}", status=404)
    candidate_id = rel_id(app, "candidate")
    cand = await reads.candidate(source, candidate_id) if candidate_id else None
    records = ([("candidates", cand)] if cand else []) + [("job_applications", app)]
    return WriteResult(records, created={"application_remote_id": app_id, "candidate_remote_id": candidate_id})


ACTIONS = {
    "create_application": create_application,
    "move_application_to_stage": move_stage,
    "reject_application": reject,
    "add_application_note": add_note,
    "add_application_result_link": add_result_link,
    "add_candidate_result_link": add_result_link,
    "add_candidate_tag": add_tag,
    "remove_candidate_tag": remove_tag,
    "import_tracked_application": import_tracked,
}
