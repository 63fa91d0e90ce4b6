"""Lever write actions (``create_application`` lives in ``create.py``).

The unified candidate is the opportunity, so every action acts on the opportunity id (the application's
candidate). Vendor calls:

* move stage: ``PUT /opportunities/{id}/stage`` ``{"stage"}`` — the stage is the opportunity's, so all its
  applications move (a warning says so when it has several).
* reject: ``PUT /opportunities/{id}/archived`` ``{"reason", "cleanInterviews": false}`` with the archive reason,
  then the note (if any) as an opportunity note. Lever has no rejection-email option here.
* note: ``POST /opportunities/{id}/notes`` ``{"value"}``; ``remote_fields.lever.perform_as`` names the author.
* attachments (application or candidate): ``POST /opportunities/{id}/files``, multipart ``file``: files live on
  the opportunity, which is both the candidate and (usually one) application.
* result links: Lever has no result-link concept: the URL is added to the opportunity's ``links``
  (``addLinks``), which Lever shows as plain profile links without the label or details (a warning says so).
* tags: ``addTags`` / ``removeTags`` ``{"tags": [...]}`` (tags are plain strings in Lever, created on use). A tag
  the opportunity does not have is not sent: removing it succeeds with a warning.

Not offered: ``import_tracked_application``. The contract has no Lever key for it, and Lever cannot read an
application by its id alone (only under its opportunity), so the ``application_remote_id`` extension would not
be enough to find it.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource
from atsbridge.connectors.lever import writing as w
from atsbridge.connectors.lever.create import create_application
from atsbridge.connectors.lever.mappers import attachment_remote_id
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]


WRITES = kit.WriteTable()


def _opportunity_id(call: WriteCall[Any]) -> str:
    """The opportunity a write targets: the candidate's remote id (an application's candidate)."""
    rid = (call.candidate or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Lever opportunity to write to")
    return str(rid)


async def _opportunity_write(source: KitSource, call: WriteCall[Any], method: str, path: str, json: Raw) -> Raw:
    """An idempotent opportunity write (PUT stage/archived, add/remove tags or links): the fresh opportunity."""
    opp_id = _opportunity_id(call)
    acting = await w.acting_user(source, call)
    answer = await w.send(source, method, f"/opportunities/{opp_id}/{path}", acting, json=json)
    return await w.opportunity(source, opp_id, answer["data"])


@WRITES.move
async def move_stage(source: KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    stage_id = (call.stage or {}).get("remote_id")
    opp = await _opportunity_write(source, call, "PUT", "stage", {"stage": stage_id})
    return WriteResult([("opportunities", opp)], w.siblings_warning(opp, "the stage"))


@WRITES.reject
async def reject(source: KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    reason_id = (call.rejection_reason or {}).get("remote_id")
    opp = await _opportunity_write(source, call, "PUT", "archived", {"reason": reason_id, "cleanInterviews": False})
    records: list[tuple[str, Raw]] = []
    if call.body.note:
        acting = await w.acting_user(source, call)
        note = await w.add_note(source, call, "rejection_note", opp["id"], call.body.note, acting)
        opp = await w.opportunity(source, opp["id"])  # the note moved its updatedAt
        records.append(("notes", w.child(note, opp)))
    return WriteResult([("opportunities", opp), *records], w.siblings_warning(opp, "the archive state"))


@WRITES.note
async def add_note(source: KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    opp_id = _opportunity_id(call)
    acting = await w.acting_user(source, call)
    note = await w.add_note(source, call, "note", opp_id, call.body.content, acting)
    opp = await w.opportunity(source, opp_id)
    return WriteResult([("opportunities", opp), ("notes", w.child(note, opp))], created={"note_remote_id": note["id"]})


@WRITES.attachment
async def add_attachment(source: KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    opp_id = _opportunity_id(call)
    acting = await w.acting_user(source, call)
    f = call.files[0]
    raw = await w.add_file(source, call, "attachment", opp_id, f.name, f.content, f.content_type, acting)
    opp = await w.opportunity(source, opp_id)
    warnings = []
    if call.action == "add_application_attachment" and len(opp["applications"]) > 1:
        warnings.append("Lever keeps files on the opportunity, which has several applications: it was added there")
    if f.type == "CV":
        warnings.append(w.CV_WARNING)
    rid = attachment_remote_id(opp_id, "files", raw["id"])
    records = [("opportunities", opp), ("attachments", w.child(raw, opp, "files"))]
    return WriteResult(records, warnings, {"attachment_remote_id": rid})


@WRITES.result_link
async def add_result_link(source: KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    opp = await _opportunity_write(source, call, "POST", "addLinks", {"links": [call.body.url]})
    dropped = " and details" if call.body.details else ""
    warning = (
        f"Lever has no result links: the URL was added to the opportunity's links, which Lever shows as a plain "
        f"link (the label{dropped} were not stored)"
    )
    return WriteResult([("opportunities", opp)], [warning])


@WRITES.add_tag
async def add_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    name = call.body.tag.name.strip()
    opp = await _opportunity_write(source, call, "POST", "addTags", {"tags": [name]})
    return WriteResult([("tags", {"text": name}), ("opportunities", opp)])


@WRITES.remove_tag
async def remove_tag(source: KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    """Removes the opportunity's tag with that name, matched case-insensitively (as the sandbox does)."""
    wanted = call.body.tag.name.strip()
    current = await w.opportunity(source, _opportunity_id(call))
    present = [t for t in current.get("tags") or [] if isinstance(t, str) and kit.same_tag(t, wanted)]
    if not present:
        return WriteResult([("opportunities", current)], [kit.missing_tag_warning(wanted)])
    opp = await _opportunity_write(source, call, "POST", "removeTags", {"tags": present})
    return WriteResult([("opportunities", opp)])


WRITES.create(create_application)
ACTIONS: dict[str, Action] = WRITES.actions()
