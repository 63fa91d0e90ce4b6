"""Greenhouse write actions (Harvest v3 routes, v1 bodies; see :mod:`.vendor` for why).

=================================  =============================================================
action                             Greenhouse
=================================  =============================================================
create_application                 ``POST /candidates`` + ``POST /applications`` (:mod:`.create`)
move_application_to_stage          ``POST /applications/{id}/move`` ``{to_stage_id}``
reject_application                 ``POST /applications/{id}/reject`` (the note is its ``notes``)
add_application_note               ``POST /notes`` ``{candidate_id, application_id, body, visibility}``
add_application/candidate_attach.  ``POST /attachments`` (base64 ``content``)
add_*_result_link                  a note: Greenhouse has no result links (with a warning)
add/remove_candidate_tag           ``/candidate_tags`` (created when missing), ``/applied_candidate_tags``
import_tracked_application         ``greenhouse``/``greenhousev3`` ``application_id``, read back
=================================  =============================================================

Pass-through: ``remote_fields.greenhouse.post_headers["On-Behalf-Of"]`` is the acting user (a token with
that ``sub``); ``remote_fields.greenhousev3`` gives a note's ``visibility``, a rejection's
``rejection_email`` and extra candidate/application body fields.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, FileData, WriteCall, WriteResult
from atsbridge.connectors.greenhouse import create
from atsbridge.connectors.greenhouse.api import TAGS, acting_as, list_all
from atsbridge.connectors.greenhouse.create import NewApplication
from atsbridge.connectors.greenhouse.vendor import (
    Json,
    application_record,
    candidate_records,
    newest,
    require,
    send,
    vendor_id,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource
from atsbridge.model import write_bodies as bodies

#: Notes from integrations are meant for the hiring team; ``greenhousev3.visibility`` overrides it.
NOTE_VISIBILITY = "public"


WRITES = kit.WriteTable()


def _remote(call: WriteCall, tool: str) -> Json:
    fields = getattr(call.body, "remote_fields", None) or {}
    value = fields.get(tool) if isinstance(fields, dict) else None
    return value if isinstance(value, dict) else {}


def _src(source: KitSource, call: WriteCall) -> KitSource:
    """The source acting as the ``On-Behalf-Of`` user when the caller names one."""
    headers = call.remote_fields.get("post_headers") or {}
    user = headers.get("On-Behalf-Of") if isinstance(headers, dict) else None
    return acting_as(source, str(user) if user else None)


def _rid(record: Json | None) -> str:
    assert record is not None and record.get("remote_id"), "the API resolves the record before the action"
    return str(record["remote_id"])


async def _candidate_of(src: KitSource, call: WriteCall) -> str:
    if call.candidate and call.candidate.get("remote_id"):
        return str(call.candidate["remote_id"])
    app = await require(src, "/applications", _rid(call.application), "application")
    return str(app["candidate_id"])


# ----------------------------------------------------------------------------------- applications
@WRITES.create
async def create_application(source: KitSource, call: WriteCall[NewApplication]) -> WriteResult:
    return await create.create_application(_src(source, call), call, _remote(call, "greenhousev3"))


@WRITES.move
async def move_stage(source: KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    """Moving to the stage it is in already changes nothing, so a retry of a lost answer is harmless."""
    src = _src(source, call)
    app = _rid(call.application)
    await send(src, "POST", f"/applications/{app}/move", {"to_stage_id": vendor_id(_rid(call.stage))}, "the move")
    return WriteResult([("applications", await application_record(src, app))])


@WRITES.reject
async def reject(source: KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """Greenhouse rejects only active applications, so a retry after a lost answer first checks whether
    the rejection already happened."""
    src, app, reason = _src(source, call), _rid(call.application), _rid(call.rejection_reason)
    done = False
    if "reject_started" in call.progress:
        done = (await application_record(src, app)).get("status") == "rejected"
    if not done:
        call.step("reject_started", reason)
        payload: Json = {"rejection_reason_id": vendor_id(reason)}
        if call.body.note:
            payload["notes"] = call.body.note
        email = _remote(call, "greenhousev3").get("rejection_email") or call.remote_fields.get("rejection_email")
        if email:
            payload["rejection_email"] = email
        await send(src, "POST", f"/applications/{app}/reject", payload, "the rejection")
    records: list[tuple[str, Json]] = [("applications", await application_record(src, app))]
    if call.body.note:
        notes = await list_all(src, "/notes", {"application_id": app})
        records += [("notes", n) for n in notes if n.get("body") == call.body.note]
    return WriteResult(records)


# ------------------------------------------------------------------------------------------ notes
async def _note(src: KitSource, call: WriteCall, text: str, visibility: str) -> Json:
    cand = await _candidate_of(src, call)
    app = str(call.application["remote_id"]) if call.application else None
    where = {"candidate_id": cand, **({"application_id": app} if app else {})}

    async def find(_marker: Any) -> Any:
        notes = await list_all(src, "/notes", where)
        return newest(notes, lambda n: n.get("body") == text and str(n.get("application_id") or "") == (app or ""))

    async def post() -> Any:
        payload = {"candidate_id": vendor_id(cand), "body": text, "visibility": visibility}
        if app:
            payload["application_id"] = vendor_id(app)
        return (await send(src, "POST", "/notes", payload, "the note"))["id"]

    rid = await call.once_id("note", post, find=find, marker=text[:80])
    return await require(src, "/notes", rid, "note")


@WRITES.note
async def add_note(source: KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    visibility = str(_remote(call, "greenhousev3").get("visibility") or NOTE_VISIBILITY)
    note = await _note(_src(source, call), call, call.body.content, visibility)
    return WriteResult([("notes", note)], created={"note_remote_id": str(note["id"])})


def _link_text(body: bodies.ResultLink) -> str:
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        prefix = body.details.custom_field_name_prefix
        lines += [f"{prefix} {a.key}: {a.value}" for a in body.details.attributes]
    return "\n".join(lines)


@WRITES.result_link
async def add_result_link(source: KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """Greenhouse has no result links (assessment vendors use its partner Assessment API): a note, as
    Kombo does."""
    note = await _note(_src(source, call), call, _link_text(call.body), NOTE_VISIBILITY)
    warning = "Greenhouse has no result links: the link was added as a note"
    return WriteResult([("notes", note)], [warning], {"note_remote_id": str(note["id"])})


# ------------------------------------------------------------------------------------ attachments
@WRITES.attachment
async def add_attachment(source: KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    """Files live on the application (or the candidate alone); a lost answer is found again by file name."""
    src = _src(source, call)
    f: FileData = call.files[0]
    cand = await _candidate_of(src, call)
    app = str(call.application["remote_id"]) if call.application else None
    where = {"candidate_id": cand, **({"application_id": app} if app else {})}

    async def find(_marker: Any) -> Any:
        return newest(await list_all(src, "/attachments", where), lambda a: a.get("filename") == f.name)

    async def post() -> Any:
        payload = {**create.file_payload(f, create.FILE_TYPES[f.type]), "candidate_id": vendor_id(cand)}
        if app:
            payload["application_id"] = vendor_id(app)
        return (await send(src, "POST", "/attachments", payload, "the attachment"))["id"]

    rid = await call.once_id("attachment", post, find=find, marker=f.name)
    record = await require(src, "/attachments", rid, "attachment")
    return WriteResult([("attachments", record)], created={"attachment_remote_id": str(rid)})


# ------------------------------------------------------------------------------------------- tags
async def _tag_id(src: KitSource, name: str) -> Any:
    table = await src.lookup(TAGS)
    wanted = name.strip().lower()
    return next((tid for tag, tid in table.items() if str(tag).strip().lower() == wanted), None)


@WRITES.add_tag
async def add_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    """The tag is created in Greenhouse when no tag of that name (any case) exists, then applied."""
    src, name, cand = _src(source, call), call.body.tag.name.strip(), _rid(call.candidate)

    async def find(_name: Any) -> Any:
        src.forget(TAGS)
        return await _tag_id(src, name)

    async def post() -> Any:
        return (await send(src, "POST", "/candidate_tags", {"name": name}, "the new tag"))["id"]

    tag = await _tag_id(src, name)
    if tag is None:
        tag = await call.once_id("tag", post, find=find, marker=name)
        src.forget(TAGS)
    applied = await list_all(src, "/applied_candidate_tags", {"candidate_id": cand})
    if not any(str(a.get("candidate_tag_id")) == str(tag) for a in applied):
        payload = {"candidate_id": vendor_id(cand), "candidate_tag_id": vendor_id(tag)}
        await send(src, "POST", "/applied_candidate_tags", payload, "the tag")
    return WriteResult(await candidate_records(src, cand))


@WRITES.remove_tag
async def remove_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    """Removing a tag the candidate does not have (or that does not exist) succeeds with a warning."""
    src, name, cand = _src(source, call), call.body.tag.name, _rid(call.candidate)
    tag = await _tag_id(src, name)
    applied = await list_all(src, "/applied_candidate_tags", {"candidate_id": cand}) if tag is not None else []
    rows = [a for a in applied if str(a.get("candidate_tag_id")) == str(tag)]
    if not rows:
        return WriteResult(warnings=[f"the candidate had no tag {name!r}; nothing to remove"])
    for row in rows:
        await send(src, "DELETE", f"/applied_candidate_tags/{row['id']}", None, "the tag removal")
    return WriteResult(await candidate_records(src, cand))


# --------------------------------------------------------------------------------------- tracking
@WRITES.import_tracked
async def import_tracked(source: KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """``greenhouse`` / ``greenhousev3`` name the application id; it and its candidate are read back."""
    body = call.body
    given = body.greenhouse or body.greenhousev3
    rid = given.application_id if given else body.application_remote_id
    if not rid or not str(rid).isdigit():
        message = f"Greenhouse application ids are numbers; got {rid!r} (give it as greenhouse.application_id)"
        raise RemoteError("REMOTE.INPUT_INVALID", message)
    src = _src(source, call)
    app = await application_record(src, rid)
    created = {"application_remote_id": str(app["id"]), "candidate_remote_id": str(app["candidate_id"])}
    return WriteResult([*await candidate_records(src, app["candidate_id"]), ("applications", app)], created=created)


ACTIONS: dict[str, Action] = WRITES.actions()
