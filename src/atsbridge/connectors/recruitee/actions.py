"""Recruitee writes. Bodies wrap the object in its root key (``{"candidate": {...}}``, ``{"note": {...}}``).

* Create: ``POST /candidates`` with ``"offers": [offer_id]`` creates the candidate and its placement (the
  application) in one call; should the placement be missing, ``POST /placements`` adds it. Then
  ``PATCH /placements/{id}/change_stage`` for a requested stage and one ``POST /attachments`` (multipart) per
  file. Every create goes through ``call.once``: a retry under the same Idempotency-Key looks the candidate
  up by email (``/candidates?query=``), the placement on the candidate, files by name and notes by text and
  time instead of creating them again.
  Recruitee does not merge candidates by email, so an earlier candidate with the same address is not ours.
* Stage: ``PATCH /placements/{id}/change_stage``; reject: ``PATCH /placements/{id}/disqualify`` with a
  ``disqualify_reason_id``.
* Notes (``POST /candidates/{id}/notes``) and files belong to the candidate: the application variants say so
  in a warning. Result links become notes, as Kombo does.
* Tags: ``PATCH /bulk/candidates/tags`` adds, ``DELETE /bulk/candidates/tags`` removes.
* Screening answers are not written: Recruitee documents no write for ``open_question_answers``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.values import numeric_id
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee.api import OffsetUntilEmpty, children, detail, get
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Source = kit.KitSource
_ON_CANDIDATE = "Recruitee keeps {what} on the candidate: it was added to the application's candidate"
#: A note found on a resumed call must be at most this much older than the first try (second-precision stamps).
_NOTE_SLACK_MS = 2000


WRITES = kit.WriteTable()


def _rid(record: Json | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Recruitee id")
    return str(rid)


def _json(response: Any, what: str) -> Json:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: the answer is not JSON") from None
    return body if isinstance(body, dict) else {}


async def _send(source: Source, method: str, path: str, **kw: Any) -> Json:
    """An idempotent write (PATCH, DELETE): retried like a read."""
    return _json(await source.client.request(method, path, **kw), f"{method} {path}")


async def _create(source: Source, path: str, root: str, what: str, **kw: Any) -> Json:
    """One non-idempotent POST (the ``create`` of ``call.once``), its object under ``root``."""
    row = _json(await kit.create_request(source.client, "POST", path, **kw), f"POST {path}").get(root) or {}
    if not row.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Recruitee stored no {what}")
    return dict(row)


async def _candidate_records(source: Source, candidate_id: object) -> list[tuple[str, Json]]:
    found = await detail(source, candidate_id)
    return [("candidates", found)] if found is not None else []


# ------------------------------------------------------------------------------------------------ create


def _new_candidate(c: bodies.NewCandidate, call: WriteCall[Any], offer_id: str) -> Json:
    emails = [c.email_address] + [e.email_address for e in c.additional_email_addresses or []]
    phones = ([c.phone_number] if c.phone_number else []) + [p.phone_number for p in c.additional_phone_numbers or []]
    candidate: Json = {"name": f"{c.first_name} {c.last_name}", "emails": emails, "phones": phones}
    if c.social_links:
        candidate["social_links"] = [s.url for s in c.social_links]
    cover = (call.remote_fields.get("candidate") or {}).get("cover_letter_text")
    if isinstance(cover, str) and cover:
        candidate["cover_letter"] = cover
    return {"candidate": candidate, "offers": [numeric_id(offer_id)]}


async def _by_email(source: Source, email: str) -> Json | None:
    """The candidate with this email (the newest when several), via the list's ``query`` filter."""
    body = await get(source, "/candidates", {"query": email})
    hits = [c for c in (body or {}).get("candidates") or [] if email.lower() in [e.lower() for e in c.get("emails")
                                                                                 or []]]  # fmt: skip
    return max(hits, key=lambda c: c.get("created_at") or "") if hits else None


async def _placement_on(source: Source, candidate_id: str, offer_id: str) -> Json | None:
    found = await detail(source, candidate_id)
    if found is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Recruitee lost candidate {candidate_id}", retryable=True)
    return next((p for p in found.get("placements") or [] if str(p.get("offer_id")) == offer_id), None)


async def _ensure_placement(source: Source, call: WriteCall[Any], candidate_id: str, offer_id: str) -> str:
    """The candidate's placement on the offer: normally made with the candidate, else ``POST /placements``."""
    if not call.progress.get("application_remote_id"):
        existing = await _placement_on(source, candidate_id, offer_id)
        if existing is not None and existing.get("id"):
            call.step("application_remote_id", str(existing["id"]))

    async def create() -> Json:
        body = {"candidate_id": int(candidate_id), "offer_id": numeric_id(offer_id)}
        return await _create(source, "/placements", "placement", "placement", json=body)

    async def find(_: object) -> Json | None:
        return await _placement_on(source, candidate_id, offer_id)

    return str((await call.once("application", create, find=find))["id"])


async def _upload(source: Source, call: WriteCall[Any], candidate_id: str, f: FileData, key: str) -> Json:
    """One ``POST /attachments``, created once; a resumed call looks for the file by name."""

    async def create() -> Json:
        files = {"attachment[file]": (f.name, f.content, f.content_type)}
        data = {"attachment[candidate_id]": candidate_id}
        return await _create(source, "/attachments", "attachment", "attachment", data=data, files=files)

    async def find(name: object) -> Json | None:
        return next((r for r in await children(source, candidate_id, "attachments") if r.get("filename") == name),
                    None)  # fmt: skip

    async def fetch(rid: str) -> Json:
        rows = await children(source, candidate_id, "attachments")
        return next((r for r in rows if str(r.get("id")) == rid), {"id": rid})

    row = await call.once(key, create, find=find, fetch=fetch, marker=f.name)
    return {**row, "_candidate": candidate_id}


async def _change_stage(source: Source, placement_id: str, stage_id: str) -> None:
    await _send(source, "PATCH", f"/placements/{placement_id}/change_stage", json={"stage_id": numeric_id(stage_id)})


@WRITES.create
async def create_application(
    source: Source, call: WriteCall[bodies.CreateApplication | bodies.CreateCandidate]
) -> WriteResult:
    body = call.body
    offer_id = call.job_remote_id
    if not offer_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Recruitee id")
    email = body.candidate.email_address.lower()

    async def create() -> object:
        return (await _create(source, "/candidates", "candidate", "candidate",
                              json=_new_candidate(body.candidate, call, offer_id)))["id"]  # fmt: skip

    async def find(mark: object) -> object | None:
        return (await _by_email(source, str(mark)) or {}).get("id")

    candidate_id = await call.once_id("candidate", create, find=find, marker=email)
    placement_id = await _ensure_placement(source, call, candidate_id, offer_id)

    async def move(stage: dict[str, Any]) -> None:
        await _change_stage(source, placement_id, _rid(stage, "stage"))

    await kit.move_to_requested_stage(call, move)
    files = [a.value for a in call.answers if a.type == "FILE"] + list(call.files)
    uploaded = [await _upload(source, call, candidate_id, f, f"attachment_{i}") for i, f in enumerate(files)]
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Recruitee documents no write for screening answers: they were not sent")
    if body.gdpr_consent is not None:
        warnings.append("Recruitee's API takes no GDPR consent with a new candidate: it was not stored")
    records = await _candidate_records(source, candidate_id) + [("attachments", row) for row in uploaded]
    created = {"application_remote_id": placement_id, "candidate_remote_id": candidate_id}
    return WriteResult(records, warnings, created)


# ------------------------------------------------------------------------------------ placement changes


def _candidate_id(call: WriteCall[Any]) -> str:
    return _rid(call.candidate, "candidate")


@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    await _change_stage(source, _rid(call.application, "application"), _rid(call.stage, "stage"))
    return WriteResult(await _candidate_records(source, _candidate_id(call)))


def _noted_since(text: str, mark: object) -> Callable[[Json], bool]:
    def match(row: Json) -> bool:
        try:
            made = parse_ts(str(row.get("created_at"))).timestamp() * 1000
        except ValueError:
            return False
        return row.get("body") == text and made >= float(str(mark)) - _NOTE_SLACK_MS

    return match


async def _note(source: Source, call: WriteCall[Any], candidate_id: str, text: str) -> Json:
    """``POST /candidates/{id}/notes``, created once: a resumed call looks for a note with the same text
    made since the first try (notes cannot be tagged with our key)."""
    note: Json = {"body": text}
    if call.remote_fields.get("visibility") is not None:
        note["visibility"] = call.remote_fields["visibility"]

    def create() -> Awaitable[Json]:
        return _create(source, f"/candidates/{candidate_id}/notes", "note", "note", json={"note": note})

    async def find(mark: object) -> Json | None:
        match = _noted_since(text, mark)
        return next((r for r in await children(source, candidate_id, "notes") if match(r)), None)

    async def fetch(rid: str) -> Json:
        rows = await children(source, candidate_id, "notes")
        return next((r for r in rows if str(r.get("id")) == rid), {"id": rid, "body": text})

    row = await call.once("note", create, find=find, fetch=fetch)
    return {**row, "_candidate": candidate_id}


@WRITES.reject
async def reject(source: Source, call: WriteCall[bodies.Reject]) -> WriteResult:
    reason = numeric_id(_rid(call.rejection_reason, "rejection reason"))
    await _send(source, "PATCH", f"/placements/{_rid(call.application, 'application')}/disqualify",
                json={"disqualify_reason_id": reason})  # fmt: skip
    records = await _candidate_records(source, _candidate_id(call))
    if call.body.note:
        records.append(("notes", await _note(source, call, _candidate_id(call), call.body.note)))
    return WriteResult(records)


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    note = await _note(source, call, _candidate_id(call), call.body.content)
    return WriteResult([("notes", note)], [_ON_CANDIDATE.format(what="notes")], {"note_remote_id": str(note["id"])})


@WRITES.result_link
async def add_result_link(source: Source, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in Recruitee: the link becomes a plain-text candidate note, as Kombo does."""
    note = await _note(source, call, _candidate_id(call), kit.result_link_text(call.body))
    warning = "Recruitee has no result links: the link was added as a note on the candidate"
    return WriteResult([("notes", note)], [warning], {"note_remote_id": str(note["id"])})


@WRITES.attachment
async def add_attachment(source: Source, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    row = await _upload(source, call, _candidate_id(call), call.files[0], "attachment")
    warnings = [_ON_CANDIDATE.format(what="files")] if call.action == "add_application_attachment" else []
    return WriteResult([("attachments", row)], warnings, {"attachment_remote_id": str(row["id"])})


# -------------------------------------------------------------------------------------------------- tags


async def _tags(source: Source, method: str, candidate_id: str, name: str) -> None:
    body = {"candidates": [numeric_id(candidate_id)], "tags": [name]}
    await _send(source, method, "/bulk/candidates/tags", json=body)


@WRITES.add_tag
async def add_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    name = call.body.tag.name.strip()
    await _tags(source, "PATCH", _candidate_id(call), name)
    return WriteResult([("tags", {"name": name}), *await _candidate_records(source, _candidate_id(call))])


@WRITES.remove_tag
async def remove_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    current = await detail(source, _candidate_id(call))
    present = [t for t in m.candidate_tags(current or {}) if kit.same_tag(t, call.body.tag.name)]
    if not present:
        return WriteResult(warnings=[kit.missing_tag_warning(call.body.tag.name)])
    await _tags(source, "DELETE", _candidate_id(call), present[0])
    return WriteResult(await _candidate_records(source, _candidate_id(call)))


# ------------------------------------------------------------------------------------------------ import


@WRITES.import_tracked
async def import_tracked(source: Source, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """``recruitee.placement_id``: like Kombo, walk ``/candidates`` to the candidate holding that placement."""
    wanted = call.body.recruitee.placement_id if call.body.recruitee else call.body.application_remote_id
    if not wanted:
        raise RemoteError("REMOTE.INPUT_INVALID", "give the placement as recruitee.placement_id")
    pager = OffsetUntilEmpty("candidates")
    async for page in source.listing("import", "/candidates", pager=pager, records_path="candidates"):
        for cand in page:
            if any(str(p.get("id")) == str(wanted) for p in cand.get("placements") or []):
                records = await _candidate_records(source, cand["id"])
                created = {"application_remote_id": str(wanted), "candidate_remote_id": str(cand["id"])}
                return WriteResult(records, created=created)
    raise RemoteError("REMOTE.INPUT_INVALID", f"Recruitee has no placement {wanted}", status=404)


ACTIONS = WRITES.actions()
