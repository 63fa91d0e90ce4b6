"""Fountain writes: create an applicant, move it to a stage, notes and result links, import a tracked applicant.

* ``POST /v2/applicants {name, email, phone_number, funnel_id, stage_id?, data{}}`` answers 201 with the
  applicant [doc; ``name``, ``email`` and ``phone_number`` are required, so a candidate without a phone number
  is refused before anything is sent]. Not idempotent: created once; a
  resumed call looks the applicant up by e-mail among the funnel's applicants (the list has no e-mail filter,
  so it pages through the funnel). Screening answers go into ``data`` under each question's key (the funnel's
  ``fields[].key``); files are not sent (Fountain uploads go through a presigned S3 chain that is not
  documented publicly [3p]) and are named in a warning.
* ``PUT /v2/applicants/{id}/advance?stage_id= {stage_id, skip_automated_actions}`` answers 204 [doc]: idempotent (moving
  to the stage it is in changes nothing), so retried like any request; the applicant is read back for the
  write-through. ``skip_automated_actions`` defaults to true (a sync-driven move should not fire the stage's
  messages); ``remote_fields.fountain.skip_automated_actions`` overrides it.
* ``POST /v2/applicants/{id}/notes {content}`` [conn: Ruby gem ``Fountain::Api::Notes``]: created once; a
  resumed call finds the note by its content in ``GET /v2/applicants/{id}/notes``. Notes are not a synced
  model (see the package docstring), so nothing is written through. Result links (application or candidate)
  become such notes, with a warning, as Kombo does for tools without result links.
* ``import_tracked_application``: the applicant id as ``application_remote_id`` (the contract has no Fountain
  key), read with ``GET /v2/applicants/{id}``.

Not declared: ``reject_application`` (Fountain rejects by moving to a rejected-type stage, which
``move_application_to_stage`` does with the stage listed under the job; the contract's reject names a rejection
reason from a list Fountain's API does not expose), tags (Fountain's ``labels`` are per-stage checklist
items, not free tags), attachments (no documented upload endpoint).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.fountain.api import STAGES, stage_id
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Created = bodies.CreateApplication | bodies.CreateCandidate
#: A resumed note adopts a same-content note made up to this long before its intent (clocks differ).
SKEW_MS = 120_000
#: Fountain's ids are UUIDs: an imported id is checked before it reaches a URL.
UUID = r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"


WRITES = kit.WriteTable()


def _epoch(value: Any) -> float:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return 0.0


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Fountain applicant to write to")
    return str(rid)


def _json_object(response: Any, what: str) -> Raw:
    try:
        found = response.json()
    except ValueError:
        found = None
    if not isinstance(found, dict):
        # a cut-off answer to a committed create: retryable, so the intent stays and a retry looks first
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Fountain answered {what} without a JSON object",
                          retryable=True)  # fmt: skip
    return found


async def applicant(source: kit.KitSource, applicant_id: str) -> Raw:
    """The applicant as the sync reads it, with its stage's type attached for the outcome."""
    found = dict(await source.get_json(f"/applicants/{applicant_id}"))
    stages = await source.lookup(STAGES)
    found["_stage"] = stages.get(str(stage_id(found)))
    return found


def _skip_automations(call: WriteCall[Any]) -> bool:
    value = call.remote_fields.get("skip_automated_actions")
    return value if isinstance(value, bool) else True


def _answer(value: Any) -> Any:
    if isinstance(value, list):  # select answers: the options' names
        return [o.get("name") if isinstance(o, dict) else o for o in value]
    return value


def _payload(call: WriteCall[Created]) -> tuple[Raw, list[str]]:
    c, body = call.body.candidate, call.body
    requested = kit.requested_stage(body)
    payload: Raw = {"name": f"{c.first_name} {c.last_name}", "email": c.email_address, "funnel_id": call.job_remote_id}
    if c.phone_number:
        payload["phone_number"] = c.phone_number
    target = (call.stage or {}).get("remote_id")
    if requested and target:
        payload["stage_id"] = target
    data = {str(a.question.get("remote_id")): _answer(a.value) for a in call.answers if a.type != "FILE"}
    if data:
        payload["data"] = data
    extra = {k: v for k, v in call.remote_fields.items() if k in ("secure_data", "skip_automated_actions")}
    if isinstance(call.remote_fields.get("data"), dict):  # custom fields beyond the screening answers
        payload["data"] = {**call.remote_fields["data"], **payload.get("data", {})}
    warnings = []
    files = [f.name for f in call.files] + [a.value.name for a in call.answers if a.type == "FILE"]
    if files:
        warnings.append(f"Fountain's API takes no files with a new applicant; not sent: {', '.join(files)}")
    return {**payload, **extra}, warnings


async def find_applicant(source: kit.KitSource, funnel_id: str, email: str) -> Raw | None:
    """The funnel's applicant with this e-mail (the list filters by funnel, not by e-mail)."""
    async for page in source.listing("applicants", "/applicants", {"funnel_id": funnel_id}):
        for row in page:
            if str(row.get("email") or "").strip().lower() == email.lower():
                return dict(row)
    return None


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Created]) -> WriteResult:
    email, funnel_id = call.body.candidate.email_address, str(call.job_remote_id)
    if not call.body.candidate.phone_number:  # required by Fountain [doc]: refused here, nothing is sent
        raise RemoteError("REMOTE.INPUT_INVALID", "candidate.phone_number: Fountain requires a phone number")
    payload, warnings = _payload(call)

    async def create() -> Raw:
        made = _json_object(await kit.create_request(source.client, "POST", "/applicants", json=payload),
                            "the new applicant")  # fmt: skip
        if not made.get("id"):
            raise RemoteError(
                "REMOTE.UNKNOWN_HTTP_ERROR", "Fountain created the applicant but sent no id", retryable=True
            )  # the intent stays: a retry finds it instead of posting twice
        return made

    async def find(_: Any) -> Raw | None:
        return await find_applicant(source, funnel_id, email)

    made = await call.once("applicant", create, find=find, marker=email.lower())
    found = await applicant(source, str(made["id"]))
    rid = str(found["id"])
    return WriteResult([("applicants", found)], warnings, {"application_remote_id": rid, "candidate_remote_id": rid})


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id, target = _application_id(call), str((call.stage or {}).get("remote_id") or "")
    if not target:
        raise RemoteError("REMOTE.INPUT_INVALID", "stage_id: this stage has no Fountain stage id")
    # the reference page puts ``stage_id`` in the query [doc], the Ruby client in the body [conn]: both are sent
    body = {"stage_id": target, "skip_automated_actions": _skip_automations(call)}
    await source.client.request("PUT", f"/applicants/{app_id}/advance", params={"stage_id": target}, json=body)
    return WriteResult([("applicants", await applicant(source, app_id))])


async def _note(source: kit.KitSource, call: WriteCall[Any], applicant_id: str, text: str) -> str:
    """``POST /applicants/{id}/notes``, created once; a resumed call finds the note by its content."""
    path = f"/applicants/{applicant_id}/notes"

    async def create() -> Raw:
        made = _json_object(await kit.create_request(source.client, "POST", path, json={"content": text}), "the note")
        if not made.get("id"):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Fountain created the note but sent no id", retryable=True)
        return made

    async def find(started_ms: Any) -> Raw | None:
        """The newest note with this content made since the intent (less a clock-skew margin)."""
        notes = (await source.get_json(path) or {}).get("notes") or []
        since = (int(started_ms) - SKEW_MS) / 1000 if isinstance(started_ms, int) else None
        same = [n for n in notes if isinstance(n, dict) and n.get("content") == text
                and (since is None or _epoch(n.get("created_at")) >= since)]  # fmt: skip
        return max(same, key=lambda n: _epoch(n.get("created_at")), default=None)

    note = await call.once("note", create, find=find)
    return str(note["id"])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    return WriteResult(created={"note_remote_id": await _note(source, call, _application_id(call), call.body.content)})


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in Fountain: a note on the applicant (a candidate *is* its one applicant)."""
    rid = (call.application or call.candidate or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Fountain applicant to write to")
    note_id = await _note(source, call, str(rid), kit.result_link_text(call.body))
    return WriteResult(warnings=[kit.result_link_warning("Fountain")], created={"note_remote_id": note_id})


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """The contract has no Fountain key: the applicant id comes as ``application_remote_id`` (a UUID)."""
    rid = kit.tracked_id(call.body, None, "Fountain", UUID)
    found = await applicant(source, rid)
    return WriteResult([("applicants", found)], created={"application_remote_id": rid, "candidate_remote_id": rid})


ACTIONS: dict[str, Action] = WRITES.actions()
