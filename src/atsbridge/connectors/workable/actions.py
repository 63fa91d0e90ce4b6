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

from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import HttpSource
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable.reads import get_all, get_json, stage_slugs
from atsbridge.writes import bodies

Json = dict[str, Any]
#: Workable cuts ``disqualify_note`` at 256 characters; a longer note is posted as a comment instead.
NOTE_LIMIT = 256
_SOCIAL = ("linkedin", "twitter", "github", "facebook", "xing", "dribbble", "behance", "stackoverflow")


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def _remote(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Workable id")
    return str(rid)


async def acting_member(source: HttpSource) -> str:
    """``config.member_id``, else the first active admin (else any active member) of the account."""
    if source.state.get("member_id"):
        return str(source.state["member_id"])
    members = await get_all(source, "members", "/members", "members")
    active = [x for x in members if x.get("active", True)]
    admins = [x for x in active if {"ats.admin", "workable.superadmin"} & set(m.member_roles(x))]
    chosen = (admins or active or [{}])[0].get("id")
    if not chosen:
        raise RemoteError("REMOTE.INPUT_INVALID", "Workable lists no active member to act as (set config.member_id)")
    source.state["member_id"] = chosen
    return str(chosen)


async def post(source: HttpSource, path: str, body: Json, *, method: str = "POST") -> Json:
    """A write call, never retried blindly; an empty answer (move, disqualify) is ``{}``."""
    response = await source.client.request(method, path, json=body, retry=False)
    if not response.content.strip() or response.content.strip() == b'""':
        return {}
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def candidate_raw(source: HttpSource, candidate_id: str) -> Json:
    """The candidate as the candidates stream maps it: detail plus the job's stage slugs."""
    body = await get_json(source, f"/candidates/{candidate_id}", missing_ok=False)
    detail: Json = body.get("candidate") or {}
    shortcode = (detail.get("job") or {}).get("shortcode")
    return {**detail, "_stage_slugs": await stage_slugs(source, shortcode) if shortcode else {}}


async def find_candidate(source: HttpSource, email: str, shortcode: str) -> Json | None:
    """The job's candidate with this email (list shape, with ``resume_metadata``), if any."""
    params = {"email": email, "shortcode": shortcode, "limit": 100}
    response = await source.client.request("GET", "/candidates", params=params)
    found = [c for c in response.json().get("candidates") or [] if str(c.get("email", "")).lower() == email.lower()]
    return found[0] if found else None


async def comment(source: HttpSource, call: WriteCall, key: str, candidate_id: str, text: str,
                  file: FileData | None = None) -> Json:  # fmt: skip
    """Post a comment (once per Idempotency-Key) and return it as its activity record."""
    cid = call.progress.get(f"{key}_id")
    if cid is None and call.progress.get(f"{key}_started"):
        cid = await _find_comment(source, candidate_id, text)
    if cid is None:
        body: Json = {"member_id": await acting_member(source), "comment": {"body": text}}
        if file is not None:
            body["comment"]["attachment"] = {"name": file.name, "data": _b64(file.content)}
        call.step(f"{key}_started", True)
        cid = (await post(source, f"/candidates/{candidate_id}/comments", body)).get("id")
        call.step(f"{key}_id", cid)
    rows = await get_all(source, "activities", f"/candidates/{candidate_id}/activities", "activities")
    row = next((r for r in rows if r.get("id") == cid), None)
    if row is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Workable did not list comment {cid} it just created")
    return {**row, "_candidate_id": candidate_id}


async def _find_comment(source: HttpSource, candidate_id: str, text: str) -> str | None:
    rows = await get_all(source, "activities", f"/candidates/{candidate_id}/activities", "activities")
    same = [r for r in rows if r.get("action") == "comment" and r.get("body") == text]
    return str(same[-1]["id"]) if same else None


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


def candidate_body(call: WriteCall, resume: FileData | None) -> Json:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
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


def _create_warnings(call: WriteCall, extra_files: int) -> list[str]:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
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


def _explicit_stage(call: WriteCall) -> str | None:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    chosen = body.stage_id if isinstance(body, bodies.CreateApplication) else body.application.stage_id
    if chosen is None or not call.stage or not call.stage.get("remote_id"):
        return None
    return m.split_stage_remote_id(str(call.stage["remote_id"]))[1]


async def create_application(source: HttpSource, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    shortcode = str(call.job_remote_id)
    email = body.candidate.email_address
    files = list(call.files)
    resume = next((f for f in files if f.type == "CV"), None)
    others = [f for f in files if f is not resume]
    cid = call.progress.get("candidate_remote_id")
    if cid is None:
        existing = await find_candidate(source, email, shortcode)
        if existing is not None and not call.progress.get("candidate_create_started"):
            raise AlreadyApplied(f"{email} already has a Workable candidate on job {shortcode}")
        cid = existing["id"] if existing is not None else None
    if cid is None:
        slug = _explicit_stage(call)
        call.step("candidate_create_started", email)
        response = await source.client.request(
            "POST", f"/jobs/{shortcode}/candidates", params={"stage": slug} if slug else None,
            json={"candidate": candidate_body(call, resume), **_sourced(call)}, retry=False,
        )  # fmt: skip
        cid = response.json()["candidate"]["id"]
    call.step("candidate_remote_id", cid)
    records: list[tuple[str, Json]] = []
    for i, file in enumerate(others):
        records.append(("activities", await comment(source, call, f"file_{i}", cid, f"File: {file.name}", file)))
    raw = await candidate_raw(source, cid)
    listed = await find_candidate(source, email, shortcode) or {}
    records[:0] = [("candidates", raw), ("attachments", {"id": cid, "resume_metadata": listed.get("resume_metadata")})]
    return WriteResult(records, _create_warnings(call, len(others)),
                       {"application_remote_id": cid, "candidate_remote_id": cid})  # fmt: skip


def _sourced(call: WriteCall) -> Json:
    """``sourced`` defaults to true at Workable (no "thanks for applying" email); ``remote_fields`` may set it."""
    value = call.remote_fields.get("sourced")
    return {"sourced": bool(value)} if value is not None else {}


# --------------------------------------------------------------------------------------- single-record writes


async def move_stage(source: HttpSource, call: WriteCall) -> WriteResult:
    cid = _remote(call.application, "application")
    _, slug = m.split_stage_remote_id(_remote(call.stage, "stage"))
    await post(source, f"/candidates/{cid}/move", {"member_id": await acting_member(source), "target_stage": slug})
    return WriteResult([("candidates", await candidate_raw(source, cid))])


async def reject(source: HttpSource, call: WriteCall) -> WriteResult:
    """``disqualify`` with the reason; ``withdrew`` follows the reason's own ``candidate_withdrew`` flag."""
    assert isinstance(call.body, bodies.Reject)
    cid = _remote(call.application, "application")
    reason_id = _remote(call.rejection_reason, "rejection reason")
    reasons = await get_json(source, "/disqualification_reasons", missing_ok=False)
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


async def add_note(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Note)
    row = await comment(source, call, "note", _remote(call.application, "application"), call.body.content)
    return WriteResult([("activities", row)], created={"note_remote_id": row["id"]})


async def add_attachment(source: HttpSource, call: WriteCall) -> WriteResult:
    cid = _remote(call.application or call.candidate, "candidate")
    file = call.files[0]
    row = await comment(source, call, "file", cid, f"File: {file.name}", file)
    warning = "Workable's API adds files only as comment attachments: the file was added to a comment"
    return WriteResult([("activities", row)], [warning], {"note_remote_id": row["id"]})


async def add_result_link(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.ResultLink)
    link = call.body
    cid = _remote(call.application or call.candidate, "candidate")
    lines = [f"{link.label}: {link.url}"]
    if link.details:
        lines += [f"{link.details.custom_field_name_prefix} {a.key}: {a.value}" for a in link.details.attributes]
    row = await comment(source, call, "link", cid, "\n".join(lines))
    warning = "Workable has no result links: the link was added as a comment"
    return WriteResult([("activities", row)], [warning], {"note_remote_id": row["id"]})


async def _set_tags(source: HttpSource, cid: str, tags: list[str]) -> None:
    await post(source, f"/candidates/{cid}/tags", {"tags": tags}, method="PUT")


async def add_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    """``PUT /candidates/{id}/tags`` replaces the whole list: read, add, write (idempotent by nature)."""
    assert isinstance(call.body, bodies.TagBody)
    cid = _remote(call.candidate, "candidate")
    name = call.body.tag.name.strip()
    raw = await candidate_raw(source, cid)
    tags = [t for t in raw.get("tags") or [] if isinstance(t, str)]
    if name.lower() not in {t.lower() for t in tags}:
        await _set_tags(source, cid, [*tags, name])
        raw = await candidate_raw(source, cid)
    kept = next((t for t in raw.get("tags") or [] if str(t).lower() == name.lower()), name)
    return WriteResult([("candidates", raw), ("tags", {"name": kept})])


async def remove_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.TagBody)
    cid = _remote(call.candidate, "candidate")
    name = call.body.tag.name.strip().lower()
    raw = await candidate_raw(source, cid)
    tags = [t for t in raw.get("tags") or [] if isinstance(t, str)]
    if name not in {t.lower() for t in tags}:
        return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])
    await _set_tags(source, cid, [t for t in tags if t.lower() != name])
    return WriteResult([("candidates", await candidate_raw(source, cid))])


async def import_tracked(source: HttpSource, call: WriteCall) -> WriteResult:
    """Workable has no key in the contract: ``application_remote_id`` names the candidate (= application)."""
    assert isinstance(call.body, bodies.ImportTracked)
    cid = call.body.application_remote_id
    if not cid:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the Workable candidate id as application_remote_id")
    raw = await candidate_raw(source, cid)
    return WriteResult([("candidates", raw)], created={"application_remote_id": cid, "candidate_remote_id": cid})


ACTIONS = {
    "create_application": create_application,
    "move_application_to_stage": move_stage,
    "reject_application": reject,
    "add_application_note": add_note,
    "add_application_attachment": add_attachment,
    "add_candidate_attachment": add_attachment,
    "add_application_result_link": add_result_link,
    "add_candidate_result_link": add_result_link,
    "add_candidate_tag": add_tag,
    "remove_candidate_tag": remove_tag,
    "import_tracked_application": import_tracked,
}
