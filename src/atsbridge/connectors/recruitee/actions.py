"""Recruitee writes. Bodies wrap the object in its root key (``{"candidate": {...}}``, ``{"note": {...}}``).

* Create: ``POST /candidates`` with ``"offers": [offer_id]`` creates the candidate and its placement (the
  application) in one call; should the placement be missing, ``POST /placements`` adds it. Then
  ``PATCH /placements/{id}/change_stage`` for a requested stage and one ``POST /attachments`` (multipart) per
  file. Every create records its intent first and its id right after; a retry under the same Idempotency-Key
  looks the candidate up by email (``/candidates?query=``) and files by name instead of creating them again.
  Recruitee does not merge candidates by email, so an earlier candidate with the same address is not ours.
* Stage: ``PATCH /placements/{id}/change_stage``; reject: ``PATCH /placements/{id}/disqualify`` with a
  ``disqualify_reason_id``.
* Notes (``POST /candidates/{id}/notes``) and files belong to the candidate: the application variants say so
  in a warning. Result links become notes, as Kombo does.
* Tags: ``PATCH /bulk/candidates/tags`` adds, ``DELETE /bulk/candidates/tags`` removes.
* Screening answers are not written: Recruitee documents no write for ``open_question_answers``.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import HttpSource
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee import reads
from atsbridge.writes import bodies

Json = dict[str, Any]
_ON_CANDIDATE = "Recruitee keeps {what} on the candidate: it was added to the application's candidate"


def _rid(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Recruitee id")
    return str(rid)


async def _send(source: HttpSource, method: str, path: str, **kw: Any) -> Json:
    """A write; a POST is never blindly retried (one that timed out may have been committed)."""
    response = await source.client.request(method, path, retry=method != "POST", **kw)
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{method} {path}: the answer is not JSON") from None
    return body if isinstance(body, dict) else {}


async def _candidate_records(source: HttpSource, candidate_id: object) -> list[tuple[str, Json]]:
    found = await reads.detail(source, candidate_id)
    return [("candidates", found)] if found is not None else []


# ------------------------------------------------------------------------------------------------ create


def _new_candidate(c: bodies.NewCandidate, call: WriteCall, offer_id: str) -> Json:
    emails = [c.email_address] + [e.email_address for e in c.additional_email_addresses or []]
    phones = ([c.phone_number] if c.phone_number else []) + [p.phone_number for p in c.additional_phone_numbers or []]
    candidate: Json = {"name": f"{c.first_name} {c.last_name}", "emails": emails, "phones": phones}
    if c.social_links:
        candidate["social_links"] = [s.url for s in c.social_links]
    cover = (call.remote_fields.get("candidate") or {}).get("cover_letter_text")
    if isinstance(cover, str) and cover:
        candidate["cover_letter"] = cover
    return {"candidate": candidate, "offers": [int(offer_id) if offer_id.isdigit() else offer_id]}


async def _by_email(source: HttpSource, email: str) -> Json | None:
    """The candidate with this email (the newest when several), via the list's ``query`` filter."""
    body = await reads.get_params(source, "/candidates", {"query": email})
    hits = [c for c in (body or {}).get("candidates") or [] if email.lower() in [e.lower() for e in c.get("emails")
                                                                                 or []]]  # fmt: skip
    return max(hits, key=lambda c: c.get("created_at") or "") if hits else None


async def _ensure_candidate(source: HttpSource, call: WriteCall, c: bodies.NewCandidate, offer_id: str) -> str:
    done = call.progress.get("candidate_remote_id")
    if done:
        return str(done)
    if call.progress.get("candidate_create_started"):
        found = await _by_email(source, c.email_address)
        if found is not None:
            call.step("candidate_remote_id", str(found["id"]))
            return str(found["id"])
    call.step("candidate_create_started", c.email_address.lower())
    created = await _send(source, "POST", "/candidates", json=_new_candidate(c, call, offer_id))
    candidate = created.get("candidate") or {}
    if not candidate.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Recruitee created no candidate")
    call.step("candidate_remote_id", str(candidate["id"]))
    return str(candidate["id"])


async def _ensure_placement(source: HttpSource, call: WriteCall, candidate_id: str, offer_id: str) -> str:
    done = call.progress.get("application_remote_id")
    if done:
        return str(done)
    found = await reads.detail(source, candidate_id)
    if found is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Recruitee lost candidate {candidate_id}", retryable=True)
    placement = next((p for p in found.get("placements") or [] if str(p.get("offer_id")) == offer_id), None)
    if placement is None:
        call.step("placement_create_started", f"{candidate_id}:{offer_id}")
        body = {"candidate_id": int(candidate_id), "offer_id": int(offer_id) if offer_id.isdigit() else offer_id}
        placement = (await _send(source, "POST", "/placements", json=body)).get("placement") or {}
    if not placement.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Recruitee created no placement")
    call.step("application_remote_id", str(placement["id"]))
    return str(placement["id"])


async def _file_rows(source: HttpSource, candidate_id: str) -> list[Json]:
    return await reads.children(source, candidate_id, "attachments")


async def _upload(source: HttpSource, call: WriteCall, candidate_id: str, f: FileData, key: str) -> Json:
    """One ``POST /attachments``; a resumed call first looks for the file by name."""
    done = call.progress.get(key)
    if done or call.progress.get(f"{key}_started"):
        for row in await _file_rows(source, candidate_id):
            if str(row.get("id")) == str(done) or (not done and row.get("filename") == f.name):
                call.step(key, str(row["id"]))
                return row
    call.step(f"{key}_started", f.name)
    files = {"attachment[file]": (f.name, f.content, f.content_type)}
    created = await _send(source, "POST", "/attachments", data={"attachment[candidate_id]": candidate_id},
                          files=files)  # fmt: skip
    row = {**(created.get("attachment") or {}), "_candidate": candidate_id}
    if not row.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Recruitee stored no attachment")
    call.step(key, str(row["id"]))
    return row


def _requested_stage(body: bodies.CreateApplication | bodies.CreateCandidate) -> str | None:
    return body.stage_id if isinstance(body, bodies.CreateApplication) else body.application.stage_id


async def _change_stage(source: HttpSource, placement_id: str, stage_id: str) -> None:
    await _send(source, "PATCH", f"/placements/{placement_id}/change_stage", json={"stage_id": _int(stage_id)})


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


async def create_application(source: HttpSource, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    offer_id = call.job_remote_id
    if not offer_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Recruitee id")
    candidate_id = await _ensure_candidate(source, call, body.candidate, offer_id)
    placement_id = await _ensure_placement(source, call, candidate_id, offer_id)
    if _requested_stage(body) and call.stage and not call.progress.get("stage_moved"):
        await _change_stage(source, placement_id, _rid(call.stage, "stage"))
        call.step("stage_moved", True)
    files = [a.value for a in call.answers if a.type == "FILE"] + list(call.files)
    uploaded = [await _upload(source, call, candidate_id, f, f"attachment_{i}_remote_id") for i, f in enumerate(files)]
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Recruitee documents no write for screening answers: they were not sent")
    if body.gdpr_consent is not None:
        warnings.append("Recruitee's API takes no GDPR consent with a new candidate: it was not stored")
    records = await _candidate_records(source, candidate_id) + [("attachments", row) for row in uploaded]
    created = {"application_remote_id": placement_id, "candidate_remote_id": candidate_id}
    return WriteResult(records, warnings, created)


# ------------------------------------------------------------------------------------ placement changes


def _candidate_id(call: WriteCall) -> str:
    return _rid(call.candidate, "candidate")


async def move_stage(source: HttpSource, call: WriteCall) -> WriteResult:
    await _change_stage(source, _rid(call.application, "application"), _rid(call.stage, "stage"))
    return WriteResult(await _candidate_records(source, _candidate_id(call)))


async def _note(source: HttpSource, call: WriteCall, candidate_id: str, text: str) -> Json:
    note: Json = {"body": text}
    if call.remote_fields.get("visibility") is not None:
        note["visibility"] = call.remote_fields["visibility"]
    created = await _send(source, "POST", f"/candidates/{candidate_id}/notes", json={"note": note})
    row = created.get("note") or {}
    if not row.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Recruitee stored no note")
    return {**row, "_candidate": candidate_id}


async def reject(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Reject)
    reason = _int(_rid(call.rejection_reason, "rejection reason"))
    await _send(source, "PATCH", f"/placements/{_rid(call.application, 'application')}/disqualify",
                json={"disqualify_reason_id": reason})  # fmt: skip
    records = await _candidate_records(source, _candidate_id(call))
    if call.body.note:
        records.append(("notes", await _note(source, call, _candidate_id(call), call.body.note)))
    return WriteResult(records)


async def add_note(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Note)
    note = await _note(source, call, _candidate_id(call), call.body.content)
    return WriteResult([("notes", note)], [_ON_CANDIDATE.format(what="notes")], {"note_remote_id": str(note["id"])})


async def add_result_link(source: HttpSource, call: WriteCall) -> WriteResult:
    """No result links in Recruitee: the link becomes a plain-text candidate note, as Kombo does."""
    body = call.body
    assert isinstance(body, bodies.ResultLink)
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        lines += [f"{body.details.custom_field_name_prefix} {a.key}: {a.value}" for a in body.details.attributes]
    note = await _note(source, call, _candidate_id(call), "\n".join(lines))
    warning = "Recruitee has no result links: the link was added as a note on the candidate"
    return WriteResult([("notes", note)], [warning], {"note_remote_id": str(note["id"])})


async def add_attachment(source: HttpSource, call: WriteCall) -> WriteResult:
    row = await _upload(source, call, _candidate_id(call), call.files[0], "attachment_remote_id")
    warnings = [_ON_CANDIDATE.format(what="files")] if call.action == "add_application_attachment" else []
    return WriteResult([("attachments", row)], warnings, {"attachment_remote_id": str(row["id"])})


# -------------------------------------------------------------------------------------------------- tags


async def _tags(source: HttpSource, method: str, candidate_id: str, name: str) -> None:
    body = {"candidates": [_int(candidate_id)], "tags": [name]}
    await _send(source, method, "/bulk/candidates/tags", json=body)


async def add_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.TagBody)
    name = call.body.tag.name.strip()
    await _tags(source, "PATCH", _candidate_id(call), name)
    return WriteResult([("tags", {"name": name}), *await _candidate_records(source, _candidate_id(call))])


async def remove_tag(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.TagBody)
    current = await reads.detail(source, _candidate_id(call))
    wanted = call.body.tag.name.strip().lower()
    present = [t for t in m.candidate_tags(current or {}) if t.lower() == wanted]
    if not present:
        return WriteResult(warnings=[f"the candidate had no tag {call.body.tag.name!r}; nothing to remove"])
    await _tags(source, "DELETE", _candidate_id(call), present[0])
    return WriteResult(await _candidate_records(source, _candidate_id(call)))


# ------------------------------------------------------------------------------------------------ import


async def import_tracked(source: HttpSource, call: WriteCall) -> WriteResult:
    """``recruitee.placement_id``: like Kombo, walk ``/candidates`` to the candidate holding that placement."""
    assert isinstance(call.body, bodies.ImportTracked)
    wanted = call.body.recruitee.placement_id if call.body.recruitee else call.body.application_remote_id
    if not wanted:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the placement as recruitee.placement_id")
    async for page in reads.listing(source, "import", "/candidates", "candidates"):
        for cand in page:
            if any(str(p.get("id")) == str(wanted) for p in cand.get("placements") or []):
                records = await _candidate_records(source, cand["id"])
                created = {"application_remote_id": str(wanted), "candidate_remote_id": str(cand["id"])}
                return WriteResult(records, created=created)
    raise RemoteError("REMOTE.INPUT_INVALID", f"Recruitee has no placement {wanted}", status=404)


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
