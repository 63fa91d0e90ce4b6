"""Workable writes (reference §3.6), each returning the vendor records it changed for write-through.

* The acting user of moves, disqualifications and comments is ``member_id`` in the body: the integration's
  ``config.member_id``, else the first active admin of ``/members`` (looked up once per write).
* Creating a candidate *is* creating the application (a Workable candidate is per job). Workable does not
  refuse a second candidate with the same email on a job, so the action looks first (``GET /candidates?email=
  &shortcode=``): found before anything was sent -> ``ATS.APPLICATION_ALREADY_EXISTS``; found on a resumed call
  whose POST may have committed -> reused. The POST itself is never retried blindly.
* The first CV goes in the create body as ``resume`` (base64); other files, and files added later, become
  comments carrying the file (one per comment, base64), the only upload the API offers; a warning says so.
* Result links have no Workable concept: they become comments, with a warning. Revert (undo a
  disqualification) exists in Workable but is no contract action.
* ``move``, ``disqualify`` and tag changes answer with no candidate: the candidate is read back once.
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable.api import stage_slugs
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
Source = kit.KitSource
#: Workable cuts ``disqualify_note`` at 256 characters; a longer note is posted as a comment instead.
NOTE_LIMIT = 256
_SOCIAL = ("linkedin", "twitter", "github", "facebook", "xing", "dribbble", "behance", "stackoverflow")
ACTING: kit.Memo[str] = kit.Memo("member_id")


WRITES = kit.WriteTable()


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def _remote(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Workable id")
    return str(rid)


async def acting_member(source: Source) -> str:
    """``config.member_id``, else the first active admin (else any active member) of the account."""

    async def choose() -> str:
        if source.config.get("member_id"):
            return str(source.config["member_id"])
        members = await _all(source, "/members", "members")
        active = [x for x in members if x.get("active", True)]
        admins = [x for x in active if {"ats.admin", "workable.superadmin"} & set(m.member_roles(x))]
        chosen = (admins or active or [{}])[0].get("id")
        if not chosen:
            raise RemoteError("REMOTE.INPUT_INVALID", "Workable lists no active member to act (set config.member_id)")
        return str(chosen)

    return await source.memo(ACTING, choose)


async def post(source: Source, path: str, body: Json, *, method: str = "POST") -> Json:
    """A write call, never retried blindly; an empty answer (move, disqualify) is ``{}``."""
    response = await source.client.request(method, path, json=body, retry=False)
    try:
        data = response.json() if response.content.strip() else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def candidate_raw(source: Source, candidate_id: str) -> Json:
    """The candidate as the candidates stream maps it: detail plus the job's stage slugs."""
    detail: Json = (await source.get_json(f"/candidates/{candidate_id}") or {}).get("candidate") or {}
    shortcode = (detail.get("job") or {}).get("shortcode")
    return {**detail, "_stage_slugs": await stage_slugs(source, shortcode) if shortcode else {}}


async def find_candidate(source: Source, email: str, shortcode: str) -> Json | None:
    """The job's candidate with this email (list shape, with ``resume_metadata``), if any."""
    body = await source.get_json("/candidates", {"email": email, "shortcode": shortcode, "limit": 100})
    found = [c for c in body.get("candidates") or [] if str(c.get("email", "")).lower() == email.lower()]
    return found[0] if found else None


async def _all(source: Source, path: str, key: str) -> list[Json]:
    """Every page of a list; a 404 parent has none."""
    try:
        return [r async for page in source.listing(key, path, records_path=key) for r in page]
    except RemoteError as exc:
        if exc.status == 404:
            return []
        raise


async def _activities(source: Source, candidate_id: str) -> list[Json]:
    rows = await _all(source, f"/candidates/{candidate_id}/activities", "activities")
    return [{**r, "_candidate_id": candidate_id} for r in rows]


async def comment(source: Source, call: WriteCall[Any], key: str, candidate_id: str, text: str,
                  file: FileData | None = None) -> Json:  # fmt: skip
    """Post a comment (once per Idempotency-Key) and return it as its activity record."""

    async def create() -> Json:
        body: Json = {"member_id": await acting_member(source), "comment": {"body": text}}
        if file is not None:
            body["comment"]["attachment"] = {"name": file.name, "data": _b64(file.content)}
        response = await kit.create_request(source.client, "POST", f"/candidates/{candidate_id}/comments", json=body)
        return dict(response.json())

    async def find(_marker: object) -> Json | None:
        rows = await _activities(source, candidate_id)
        same = [r for r in rows if r.get("action") == "comment" and r.get("body") == text]
        return same[-1] if same else None

    async def fetch(cid: str) -> Json:
        row = next((r for r in await _activities(source, candidate_id) if str(r.get("id")) == cid), None)
        if row is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Workable did not list comment {cid} it just created")
        return row

    made = await call.once(key, create, find=find, fetch=fetch)
    return made if "action" in made else await fetch(str(made["id"]))


# ------------------------------------------------------------------------------------------------- create


def _social_type(url: str) -> str:
    lowered = url.lower()
    return next((name for name in _SOCIAL if name in lowered), "other")


def _answer(answer: Any) -> Json | None:
    key = answer.question.get("remote_id")
    if not key:
        return None
    value = answer.value
    kinds: dict[str, Json] = {
        "TEXT": {"body": value}, "BOOLEAN": {"checked": value}, "NUMBER": {"value": value}, "DATE": {"date": value},
    }  # fmt: skip
    if answer.type in kinds:
        return {"question_key": key, **kinds[answer.type]}
    if answer.type in ("SINGLE_SELECT", "MULTI_SELECT"):
        return {"question_key": key, "choices": [o["remote_id"] for o in value]}
    if answer.type == "FILE" and isinstance(value, FileData):
        return {"question_key": key, "file": {"name": value.name, "data": _b64(value.content)}}
    return None


def candidate_body(call: WriteCall[Create], resume: FileData | None) -> Json:
    body = call.body
    c = body.candidate
    loc = c.location
    address = ", ".join(p for p in (loc.street_1, loc.city, loc.state, loc.zip_code, loc.country) if p) if loc else ""
    out: Json = {"firstname": c.first_name, "lastname": c.last_name, "email": c.email_address}
    optional: Json = {
        "headline": c.title, "phone": c.phone_number, "address": address or None,
        "domain": body.source.name if body.source else None,
        "social_profiles": [{"type": _social_type(s.url), "url": s.url} for s in c.social_links or []] or None,
        "answers": [a for a in (_answer(x) for x in call.answers) if a] or None,
        "resume": {"name": resume.name, "data": _b64(resume.content)} if resume else None,
    }  # fmt: skip
    out.update({k: v for k, v in optional.items() if v is not None})
    if c.company:
        out["experience_entries"] = [{"company": c.company, "title": c.title, "current": True}]
    return out


def _create_warnings(call: WriteCall[Create], extra_files: int) -> list[str]:
    body = call.body
    c = body.candidate
    warnings = []
    ignored = [n for n in ("gender", "availability_date", "salary_expectations") if getattr(c, n) is not None]
    ignored += ["additional_email_addresses"] if c.additional_email_addresses else []
    ignored += ["additional_phone_numbers"] if c.additional_phone_numbers else []
    if ignored:
        warnings.append(f"Workable's candidate has no field for {', '.join(ignored)}; not stored")
    if body.sourced_by is not None:
        warnings.append("Workable's API cannot record who sourced a candidate; sourced_by was not stored")
    if body.gdpr_consent is not None:
        warnings.append("Workable's API takes no GDPR consent; it was not stored")
    if extra_files:
        warnings.append(f"Workable takes one resume per candidate: {extra_files} other file(s) were added as comments")
    return warnings


def _explicit_stage(call: WriteCall[Create]) -> str | None:
    body = call.body
    chosen = kit.requested_stage(body)
    if chosen is None or not call.stage or not call.stage.get("remote_id"):
        return None
    return m.split_stage_remote_id(str(call.stage["remote_id"]))[1]


@WRITES.create
async def create_application(source: Source, call: WriteCall[Create]) -> WriteResult:
    """Workable does not refuse a second candidate with the same email on a job, so look first: found before
    anything was sent is ``ALREADY_EXISTS``; found on a resumed call whose POST may have committed is reused."""
    shortcode = str(call.job_remote_id)
    email = call.body.candidate.email_address
    files = list(call.files)
    resume = next((f for f in files if f.type == "CV"), None)
    others = [f for f in files if f is not resume]
    fresh = not call.progress.get("candidate_remote_id") and "candidate_create_started" not in call.progress
    if fresh and await find_candidate(source, email, shortcode) is not None:
        raise AlreadyApplied(f"{email} already has a Workable candidate on job {shortcode}")

    async def create() -> object:
        slug = _explicit_stage(call)
        response = await kit.create_request(
            source.client, "POST", f"/jobs/{shortcode}/candidates", params={"stage": slug} if slug else None,
            json={"candidate": candidate_body(call, resume), **_sourced(call)},
        )  # fmt: skip
        return response.json()["candidate"]["id"]

    async def find(_marker: object) -> object | None:
        return (await find_candidate(source, email, shortcode) or {}).get("id")

    cid = await call.once_id("candidate", create, find=find, marker=email)
    records: list[tuple[str, Json]] = []
    for i, file in enumerate(others):
        records.append(("activities", await comment(source, call, f"file_{i}", cid, f"File: {file.name}", file)))
    raw = await candidate_raw(source, cid)
    listed = await find_candidate(source, email, shortcode) or {}
    records[:0] = [("candidates", raw), ("attachments", {"id": cid, "resume_metadata": listed.get("resume_metadata")})]
    return WriteResult(records, _create_warnings(call, len(others)),
                       {"application_remote_id": cid, "candidate_remote_id": cid})  # fmt: skip


def _sourced(call: WriteCall[Create]) -> Json:
    """``sourced`` defaults to true at Workable (no "thanks for applying" email); ``remote_fields`` may set it."""
    value = call.remote_fields.get("sourced")
    return {"sourced": bool(value)} if value is not None else {}


# --------------------------------------------------------------------------------------- single-record writes


@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    cid = _remote(call.application, "application")
    _, slug = m.split_stage_remote_id(_remote(call.stage, "stage"))
    await post(source, f"/candidates/{cid}/move", {"member_id": await acting_member(source), "target_stage": slug})
    return WriteResult([("candidates", await candidate_raw(source, cid))])


@WRITES.reject
async def reject(source: Source, call: WriteCall[bodies.Reject]) -> WriteResult:
    """``disqualify`` with the reason; ``withdrew`` follows the reason's own ``candidate_withdrew`` flag."""
    cid = _remote(call.application, "application")
    reason_id = _remote(call.rejection_reason, "rejection reason")
    reasons = await source.get_json("/disqualification_reasons")
    reason: Json = next((r for r in reasons or [] if str(r.get("id")) == reason_id), {})
    note = call.body.note
    body: Json = {"member_id": await acting_member(source), "disqualify_reason_id": reason_id,
                  "withdrew": bool(reason.get("candidate_withdrew"))}  # fmt: skip
    records: list[tuple[str, Json]] = []
    warnings: list[str] = []
    if note and len(note) <= NOTE_LIMIT:
        body["disqualify_note"] = note
    elif note:
        records.append(("activities", await comment(source, call, "note", cid, note)))
        warnings.append(f"the note is longer than Workable's {NOTE_LIMIT} characters: it was added as a comment")
    if not call.progress.get("disqualified"):
        await post(source, f"/candidates/{cid}/disqualify", body)
        call.step("disqualified", True)
    records.insert(0, ("candidates", await candidate_raw(source, cid)))
    return WriteResult(records, warnings)


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    row = await comment(source, call, "note", _remote(call.application, "application"), call.body.content)
    return WriteResult([("activities", row)], created={"note_remote_id": row["id"]})


@WRITES.attachment
async def add_attachment(source: Source, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    cid = _remote(call.application or call.candidate, "candidate")
    file = call.files[0]
    row = await comment(source, call, "file", cid, f"File: {file.name}", file)
    warning = "Workable's API adds files only as comment attachments: the file was added to a comment"
    return WriteResult([("activities", row)], [warning], {"note_remote_id": row["id"]})


@WRITES.result_link
async def add_result_link(source: Source, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    row = await comment(source, call, "link", _remote(call.application or call.candidate, "candidate"),
                        kit.result_link_text(call.body))  # fmt: skip
    warning = "Workable has no result links: the link was added as a comment"
    return WriteResult([("activities", row)], [warning], {"note_remote_id": row["id"]})


async def _set_tags(source: Source, cid: str, tags: list[str]) -> None:
    await post(source, f"/candidates/{cid}/tags", {"tags": tags}, method="PUT")


def _tags_of(raw: Json) -> list[str]:
    return [t for t in raw.get("tags") or [] if isinstance(t, str)]


@WRITES.add_tag
async def add_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    """``PUT /candidates/{id}/tags`` replaces the whole list: read, add, write (idempotent by nature)."""
    cid = _remote(call.candidate, "candidate")
    name = call.body.tag.name.strip()
    raw = await candidate_raw(source, cid)
    tags = kit.with_tag(_tags_of(raw), name)
    if tags is not None:
        await _set_tags(source, cid, tags)
        raw = await candidate_raw(source, cid)
    kept = next((t for t in _tags_of(raw) if kit.same_tag(t, name)), name)
    return WriteResult([("candidates", raw), ("tags", {"name": kept})])


@WRITES.remove_tag
async def remove_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid = _remote(call.candidate, "candidate")
    tags = kit.without_tag(_tags_of(await candidate_raw(source, cid)), call.body.tag.name)
    if tags is None:
        return WriteResult(warnings=[kit.missing_tag_warning(call.body.tag.name)])
    await _set_tags(source, cid, tags)
    return WriteResult([("candidates", await candidate_raw(source, cid))])


@WRITES.import_tracked
async def import_tracked(source: Source, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """Workable has no key in the contract: ``application_remote_id`` names the candidate (= application)."""
    cid = call.body.application_remote_id
    if not cid:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the Workable candidate id as application_remote_id")
    raw = await candidate_raw(source, cid)
    return WriteResult([("candidates", raw)], created={"application_remote_id": cid, "candidate_remote_id": cid})


ACTIONS = WRITES.actions()
