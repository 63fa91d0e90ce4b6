"""Write actions of the sandbox ATS: they change the sandbox's own state, exactly as a vendor API would.

Each action reads the vendor records it touches in their current form, writes the new versions to the
sandbox's overlay (so the next sync sees them like any vendor change) and returns them for write-through.
Multi-step creates record each finished step, so a retry under the same Idempotency-Key resumes.
"""

from __future__ import annotations

import base64
import html
import random
from typing import Any

from atsbridge.connectors.actions import AlreadyApplied, FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.sandbox.generator import BASE_URL
from atsbridge.connectors.sandbox.simulate import World
from atsbridge.core.richtext import text_to_html
from atsbridge.model import write_bodies as bodies

Record = dict[str, Any]
CLOSED_STATES = frozenset({"closed", "filled", "archived"})
_CATEGORY = {"CV": "resume", "COVER_LETTER": "cover_letter", "OTHER": "other"}


def _world(source: Any) -> World:
    if source.engine is None:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", "the sandbox ATS needs its database")
    return World(source.engine, source.info.id, source.gen, random.Random())


def _require(w: World, kind: str, remote_id: str | None) -> Record:
    rec = w.get(kind, remote_id or "")
    if rec is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the sandbox ATS has no {kind[:-1]} {remote_id!r}")
    return rec


def _save(w: World, kind: str, rec: Record, *, new: bool = False) -> Record:
    w.begin(kind)
    (w.create if new else w.update)(kind, rec)
    w.commit()
    return rec


def _file(w: World, f: FileData, cand_rid: str, app_rid: str | None) -> Record:
    rec = {
        "id": w.new_rid("attachments"), "candidateId": cand_rid, "applicationId": app_rid,
        "category": _CATEGORY.get(f.type, "other"), "fileName": f.name, "mimeType": f.content_type,
        "sizeBytes": len(f.content), "contentBase64": base64.b64encode(f.content).decode(),
    }  # fmt: skip
    return _save(w, "attachments", rec, new=True)


def _answers(job: Record, call: WriteCall) -> list[Record]:
    kinds = {q["id"]: q for q in job.get("questions") or []}
    out = []
    for answer in call.answers:
        vendor_q = kinds.get(answer.question.get("remote_id") or "")
        if vendor_q is None or answer.type == "FILE":
            continue
        value: Any = answer.value
        if answer.type == "SINGLE_SELECT":
            value = {"id": value[0]["remote_id"], "label": value[0]["name"]}
        elif answer.type == "MULTI_SELECT":
            value = [{"id": o["remote_id"], "label": o["name"]} for o in value]
        out.append({"questionId": vendor_q["id"], "question": vendor_q.get("label"), "kind": vendor_q["kind"],
                    "value": value})  # fmt: skip
    return out


def _new_candidate(w: World, c: bodies.NewCandidate, source: str | None) -> Record:
    rid = w.new_rid("candidates")
    emails = [{"address": c.email_address, "kind": "personal"}]
    emails += [{"address": e.email_address, "kind": e.type.lower()} for e in c.additional_email_addresses or []]
    phones = [{"number": c.phone_number, "kind": "mobile"}] if c.phone_number else []
    phones += [{"number": p.phone_number, "kind": p.type.lower()} for p in c.additional_phone_numbers or []]
    loc = c.location
    return {
        "id": rid, "firstName": c.first_name, "lastName": c.last_name, "headline": c.title,
        "currentCompany": c.company, "emails": emails, "phones": phones,
        "links": [{"url": s.url, "network": "web"} for s in c.social_links or []],
        "address": {"city": loc.city, "region": loc.state, "country": loc.country} if loc else None,
        "source": source, "confidential": False, "tags": [], "customFields": {},
        "url": f"{BASE_URL}/candidates/{rid}",
    }  # fmt: skip


async def create_application(source: Any, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    w = _world(source)
    job = _require(w, "jobs", call.job_remote_id)
    if job.get("state") in CLOSED_STATES:
        raise JobClosed(f"the sandbox ATS does not take applications for job {job['id']} ({job['state']})")
    email = body.candidate.email_address.lower()
    records: list[tuple[str, Record]] = []
    cand_rid = call.progress.get("candidate_remote_id")
    if cand_rid is None:
        cand = _new_candidate(w, body.candidate, body.source.name if body.source else None)
        _save(w, "candidates", cand, new=True)
        call.step("candidate_remote_id", cand["id"])
    else:
        cand = _require(w, "candidates", cand_rid)
    records.append(("candidates", cand))
    app_rid = call.progress.get("application_remote_id")
    if app_rid is None:
        for other in w.children("candidates", cand["id"], "applications", "candidateId"):
            if (w.get("applications", other) or {}).get("jobId") == job["id"]:
                raise AlreadyApplied(f"{email} already applied to job {job['id']}")
        stage = call.stage or {}
        app = {
            "id": w.new_rid("applications"), "candidateId": cand["id"], "jobId": job["id"],
            "stage": {"id": stage.get("remote_id"), "name": stage.get("name")}, "state": "active",
            "answers": _answers(job, call), "customFields": {},
        }  # fmt: skip
        app["url"] = f"{BASE_URL}/applications/{app['id']}"
        _save(w, "applications", app, new=True)
        call.step("application_remote_id", app["id"])
    else:
        app = _require(w, "applications", app_rid)
    records.append(("applications", app))
    uploads = list(call.files) + [a.value for a in call.answers if a.type == "FILE"]
    for i, f in enumerate(uploads):
        key = f"attachment_{i}_remote_id"
        done = call.progress.get(key)
        rec = _require(w, "attachments", done) if done else _file(w, f, cand["id"], app["id"])
        if not done:
            call.step(key, rec["id"])
        records.append(("attachments", rec))
    warnings = [] if body.gdpr_consent is None else ["the sandbox ATS keeps no GDPR consent; it was not stored"]
    return WriteResult(records, warnings, {"application_remote_id": app["id"], "candidate_remote_id": cand["id"]})


async def move_stage(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    app = _require(w, "applications", (call.application or {}).get("remote_id"))
    stage = call.stage or {}
    app["stage"] = {"id": stage.get("remote_id"), "name": stage.get("name")}
    return WriteResult([("applications", _save(w, "applications", app))])


async def reject(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    app = _require(w, "applications", (call.application or {}).get("remote_id"))
    reason = call.rejection_reason or {}
    app["state"] = "rejected"
    app["rejection"] = {"reasonId": reason.get("remote_id"), "reason": reason.get("name"), "rejectedAt": w.now_ms}
    records = [("applications", _save(w, "applications", app))]
    body = call.body
    if isinstance(body, bodies.Reject) and body.note:
        records.append(("notes", _note(w, app["candidateId"], app["id"], "Rejection", body.note)))
    return WriteResult(records)


def _note(w: World, cand_rid: str, app_rid: str | None, subject: str, text: str) -> Record:
    rec = {"id": w.new_rid("notes"), "candidateId": cand_rid, "applicationId": app_rid, "authorId": None,
           "subject": subject, "body": text, "visibility": "team"}  # fmt: skip
    return _save(w, "notes", rec, new=True)


async def add_note(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    app = _require(w, "applications", (call.application or {}).get("remote_id"))
    assert isinstance(call.body, bodies.Note)
    # The sandbox ATS keeps note bodies as HTML (as its generated notes are): plain text is escaped.
    note = _note(w, app["candidateId"], app["id"], "Note", text_to_html(call.body.content))
    return WriteResult([("notes", note)], created={"note_remote_id": note["id"]})


async def add_attachment(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    app_rid = (call.application or {}).get("remote_id")
    cand_rid = (call.candidate or {}).get("remote_id")
    _require(w, "candidates", cand_rid)
    rec = _file(w, call.files[0], str(cand_rid), app_rid)
    return WriteResult([("attachments", rec)], created={"attachment_remote_id": rec["id"]})


async def add_result_link(source: Any, call: WriteCall) -> WriteResult:
    """The sandbox ATS has no result-link concept: the link becomes a note, as Kombo does for such tools."""
    w = _world(source)
    assert isinstance(call.body, bodies.ResultLink)
    body = call.body
    app_rid = (call.application or {}).get("remote_id")
    cand_rid = (call.candidate or {}).get("remote_id")
    lines = [f'<p><a href="{html.escape(body.url)}">{html.escape(body.label)}</a></p>']
    if body.details:
        prefix = body.details.custom_field_name_prefix
        lines += [text_to_html(f"{prefix} {a.key}: {a.value}") for a in body.details.attributes]
    note = _note(w, str(cand_rid), app_rid, body.label, "".join(lines))
    return WriteResult(
        [("notes", note)], ["the sandbox ATS has no result links: the link was added as a note"],
        {"note_remote_id": note["id"]},
    )  # fmt: skip


def _tag_rid(w: World, name: str, *, create: bool) -> tuple[str | None, Record | None]:
    wanted = name.strip().lower()
    for i in range(w.gen.count("tags")):
        rec = w.get("tags", w.gen.remote_id("tags", i))
        if rec and str(rec.get("label", "")).lower() == wanted:
            return rec["id"], None
    for rid in w.new_ids["tags"]:
        rec = w.get("tags", rid)
        if rec and str(rec.get("label", "")).lower() == wanted:
            return rid, None
    if not create:
        return None, None
    tag = _save(w, "tags", {"id": w.new_rid("tags"), "label": name.strip(), "color": "gray"}, new=True)
    return tag["id"], tag


async def add_tag(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    assert isinstance(call.body, bodies.TagBody)
    cand = _require(w, "candidates", (call.candidate or {}).get("remote_id"))
    tag_rid, created = _tag_rid(w, call.body.tag.name, create=True)
    records: list[tuple[str, Record]] = [("tags", created)] if created else []
    if tag_rid not in cand.get("tags", []):
        cand["tags"] = [*cand.get("tags", []), tag_rid]
        _save(w, "candidates", cand)
    records.append(("candidates", cand))
    return WriteResult(records)


async def remove_tag(source: Any, call: WriteCall) -> WriteResult:
    w = _world(source)
    assert isinstance(call.body, bodies.TagBody)
    cand = _require(w, "candidates", (call.candidate or {}).get("remote_id"))
    tag_rid, _ = _tag_rid(w, call.body.tag.name, create=False)
    if tag_rid is not None and tag_rid in cand.get("tags", []):
        cand["tags"] = [t for t in cand["tags"] if t != tag_rid]
        _save(w, "candidates", cand)
        return WriteResult([("candidates", cand)])
    return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])


async def import_tracked(source: Any, call: WriteCall) -> WriteResult:
    """The sandbox accepts any tool's identifier key naming an application id (``application_id``,
    ``application_remote_id``...), and answers with the application and its candidate."""
    assert isinstance(call.body, bodies.ImportTracked)
    w = _world(source)
    body = call.body
    rid = body.application_remote_id
    for key in ("greenhouse", "greenhousev3", "onlyfy"):
        value = getattr(body, key)
        rid = rid or (value.application_id if value else None)
    if body.successfactors:
        rid = rid or body.successfactors.application_remote_id
    if body.recruitee:
        rid = rid or body.recruitee.placement_id
    app = _require(w, "applications", rid)
    cand = _require(w, "candidates", app.get("candidateId"))
    return WriteResult(
        [("candidates", cand), ("applications", app)],
        created={"application_remote_id": app["id"], "candidate_remote_id": cand["id"]},
    )


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
