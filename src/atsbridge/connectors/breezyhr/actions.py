"""Breezy HR writes. An application's remote id is ``"<position id>:<candidate id>"`` (``api.split_application``).

* Create: ``POST /position/{pid}/candidates`` ``{name, email_address, phone_number, origin, ...}`` answers the
  new candidate [3p definable.ai][conn hrflow]. Not idempotent: through ``call.once``, whose ``find`` lists the
  position's newest candidates and matches the email (Breezy keeps one candidate per position, so an earlier
  candidate of that position with that email is the same application: ``AlreadyApplied``, checked first). A
  requested stage follows with the stage move below.
* Stage: ``PUT /position/{pid}/candidate/{cid}/stage`` ``{"stage_id"}`` -> 204 [doc]: idempotent, retried like
  a read. Reject: the same call with ``disqualified`` (no reason parameter was seen [gap]: the reason is not
  sent; a rejection note is added as a note).
* Notes: ``POST /position/{pid}/candidate/{cid}/stream`` ``{"body"}`` -> 200 ``{_id, type:
  "companyNotePosted", stream_id, object, timestamp}`` [doc]; created once: a resumed call looks in
  ``GET .../stream`` for a ``companyNotePosted`` item with the same text since the first try (the listing's
  item shape and ``object.body`` are not documented [gap]).
* Not declared: attachments and tags (documented uploads exist only as [3p] action names without shapes),
  result links (they would be notes on an unverified endpoint).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.breezyhr.api import candidate_path, position_path, split_application
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Json = dict[str, Any]
Source = kit.KitSource
Body = bodies.CreateApplication | bodies.CreateCandidate
#: A note found by a resumed call may be this much older than the first try (second-precision stamps).
_NOTE_SLACK_MS = 2000


WRITES = kit.WriteTable()


def _json(response: Any, what: str) -> Json:
    try:
        body = response.json() if response.content else {}
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: the answer is not JSON") from None
    return body if isinstance(body, dict) else {}


def _application(call: WriteCall[Any]) -> tuple[str, str]:
    return split_application((call.application or {}).get("remote_id"))


async def _candidate(source: Source, pid: str, cid: str) -> list[tuple[str, Json]]:
    """The candidate as Breezy now has it, for write-through (with its position, as the stream attaches it)."""
    found = await source.get_json(candidate_path(pid, cid))
    return [("candidates", {**found, "_position": {"_id": pid}})] if isinstance(found, dict) and found else []


async def _move(source: Source, pid: str, cid: str, stage_id: str) -> None:
    await source.client.request("PUT", f"{candidate_path(pid, cid)}/stage", json={"stage_id": stage_id})


# ------------------------------------------------------------------------------------------------ create


async def _by_email(source: Source, pid: str, email: str) -> Json | None:
    """The position's candidate with this email, newest first (every page until found)."""
    async for page in source.listing("candidates", f"{position_path(pid)}/candidates", {"sort": "created"}):
        for row in page:
            if str(row.get("email_address", "")).lower() == email:
                return row
    return None


def _payload(c: bodies.NewCandidate, call: WriteCall[Body]) -> Json:
    payload: Json = {"name": f"{c.first_name} {c.last_name}".strip(), "email_address": c.email_address,
                     "origin": "applied"}  # fmt: skip
    if c.phone_number:
        payload["phone_number"] = c.phone_number
    if c.social_links:
        payload["social_profiles"] = [s.url for s in c.social_links]
    extra = call.remote_fields.get("candidate")
    return {**payload, **extra} if isinstance(extra, dict) else payload


@WRITES.create
async def create_application(source: Source, call: WriteCall[Body]) -> WriteResult:
    pid = str(call.job_remote_id or "")
    c = call.body.candidate
    email = c.email_address.lower()

    async def find(_: object) -> Json | None:
        return await _by_email(source, pid, email)

    async def create() -> Json:
        response = await kit.create_request(source.client, "POST", f"{position_path(pid)}/candidates",
                                            json=_payload(c, call))  # fmt: skip
        made = _json(response, "POST candidates")
        if not made.get("_id"):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Breezy HR answered without the new candidate's _id")
        return made

    if not pid:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Breezy HR position id")
    stage_pid, _, stage = str((call.stage or {}).get("remote_id") or "").partition(":")
    if call.stage is not None and (stage_pid != pid or not stage):
        raise RemoteError("REMOTE.INPUT_INVALID", "the stage belongs to another position's pipeline")
    fresh = not any(k in call.progress for k in ("candidate_create_started", "candidate_remote_id"))
    if fresh and await find(None) is not None:
        raise AlreadyApplied(f"{email} is already a candidate of position {pid}")
    made = await call.once("candidate", create, find=find, id_of=lambda r: r["_id"], marker=email)
    cid = str(made["_id"])
    if stage:
        await _move(source, pid, cid, stage)
    warnings = ["Breezy HR's candidate API takes no screening answers or files here: not sent"] if (
        call.answers or call.files) else []  # fmt: skip
    records = await _candidate(source, pid, cid) or [("candidates", {**made, "_position": {"_id": pid}})]
    return WriteResult(records, warnings, {"application_remote_id": f"{pid}:{cid}", "candidate_remote_id": cid})


# ------------------------------------------------------------------------------------------- stage moves


@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    pid, cid = _application(call)
    stage_pid, _, stage_id = str((call.stage or {}).get("remote_id") or "").partition(":")
    if stage_pid != pid or not stage_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "the stage belongs to another position's pipeline")
    await _move(source, pid, cid, stage_id)
    return WriteResult(await _candidate(source, pid, cid))


@WRITES.reject
async def reject(source: Source, call: WriteCall[bodies.Reject]) -> WriteResult:
    pid, cid = _application(call)
    await _move(source, pid, cid, "disqualified")
    warnings = []
    if (call.rejection_reason or {}).get("remote_id") not in (None, "disqualified"):
        warnings.append("Breezy HR takes no rejection reason: the candidate was disqualified without one")
    if call.body.note:
        await _note(source, call, pid, cid, call.body.note)
    return WriteResult(await _candidate(source, pid, cid), warnings)


# -------------------------------------------------------------------------------------------------- notes


async def _note(source: Source, call: WriteCall[Any], pid: str, cid: str, body: str) -> Json:
    path = candidate_path(pid, cid)

    async def create() -> Json:
        made = _json(await kit.create_request(source.client, "POST", f"{path}/stream", json={"body": body}), "note")
        if not made.get("_id"):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Breezy HR answered without the note's _id")
        return made

    async def find(mark: object) -> Json | None:
        for row in await source.get_json(f"{path}/stream") or []:
            if not isinstance(row, dict) or row.get("type") != "companyNotePosted":
                continue
            found = row.get("object")
            if not isinstance(found, dict) or found.get("body") != body:
                continue
            try:
                made = parse_ts(str(row.get("timestamp"))).timestamp() * 1000
            except ValueError:
                continue
            if made >= float(str(mark)) - _NOTE_SLACK_MS:
                return row
        return None

    return await call.once("note", create, find=find, id_of=lambda r: r["_id"])


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    pid, cid = _application(call)
    note = await _note(source, call, pid, cid, call.body.content)
    return WriteResult([], [], {"note_remote_id": str(note["_id"])})


ACTIONS = WRITES.actions()
