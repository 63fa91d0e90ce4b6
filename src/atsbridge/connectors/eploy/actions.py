"""Eploy writes.

* Note: an **action** (Eploy's diary entry) inserted with ``POST /actions`` (scope ``actions.insert`` [doc]);
  the action type is customer-configured: ``config["note_action_type"]`` names it (default ``Note``).
* Create application: the candidate with ``POST /candidates`` (candidate insert is documented [doc]; an
  existing candidate with the same e-mail is reused, as recruiters expect one person per e-mail), then the
  application with ``POST /applications`` ``{"Candidate": {"Id"}, "Vacancy": {"Id"}}`` [unverified: the
  scopes suggest an insert on applications, its body is only on the gated developer portal]. An existing
  application of that candidate to that vacancy is ``AlreadyApplied``; a vacancy that takes no applications
  (a 400 naming it) is ``JobClosed``. Stage, files and screening answers are not sent (no documented way):
  each one left out is a warning.

Request bodies use the search's block names [gap]. Every insert is created once: a retry after a lost answer
searches for what the first try may have made (by type and text, by e-mail, by candidate and vacancy).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, AlreadyApplied, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.eploy.api import equals, ref_id
from atsbridge.connectors.eploy.mappers import description
from atsbridge.connectors.eploy.streams import ACTION_BLOCKS, APPLICATION_BLOCKS, CANDIDATE_BLOCKS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.values import numeric_id
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
NOTE_TYPE = "Note"


WRITES = kit.WriteTable()


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Eploy application to write to")
    return str(rid)


async def _search(source: kit.KitSource, plural: str, blocks: tuple[str, ...], *filters: Raw) -> list[Raw]:
    body = {"Filters": list(filters), "ResponseBlocks": list(blocks)}
    return [row async for page in source.listing(plural, f"/{plural}/search", method="POST", body=body)
            for row in page]  # fmt: skip


async def _actions(source: kit.KitSource, *filters: Raw) -> list[Raw]:
    return await _search(source, "actions", ACTION_BLOCKS, *filters)


async def _insert(source: kit.KitSource, plural: str, payload: Raw, id_block: str) -> str:
    """``POST /{plural}`` once (no retry on 5xx or timeouts); the new record's id from the answer."""
    response = await kit.create_request(source.client, "POST", f"/{plural}", json=payload)
    try:
        answer = response.json() if response.content else {}
    except ValueError:  # a cut-off answer: the record may exist, and a retry's search finds it
        answer = {}
    new_id = ref_id({"Id": answer.get(id_block, answer.get("Id"))}) if isinstance(answer, dict) else None
    if new_id is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Eploy accepted the {plural[:-1]} but named no id",
                          retryable=True)  # fmt: skip
    return new_id


async def _one(source: kit.KitSource, plural: str, blocks: tuple[str, ...], route: str, rid: str) -> Raw:
    found = await _search(source, plural, blocks, equals(route, numeric_id(rid)))
    if not found:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Eploy does not find {plural[:-1]} {rid} yet", retryable=True)
    return found[0]


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id, text = _application_id(call), call.body.content
    kind = str(source.config.get("note_action_type") or NOTE_TYPE)

    def mine(row: Raw) -> bool:
        return row.get("Notes") == text and (description(row.get("ActionType")) or "").lower() == kind.lower()

    async def find(_: Any) -> Raw | None:
        found = await _actions(source, equals("Application.Id", numeric_id(app_id)))
        return next((r for r in reversed(found) if mine(r)), None)

    async def create() -> Raw:
        candidate = str((call.candidate or {}).get("remote_id") or "")
        payload: Raw = {"ActionType": {"Description": kind}, "Application": {"Id": numeric_id(app_id)}, "Notes": text}
        if candidate:
            payload["Candidate"] = {"Id": numeric_id(candidate)}
        return await fetch(await _insert(source, "actions", payload, "ActionId"))

    async def fetch(action_id: str) -> Raw:
        return await _one(source, "actions", ACTION_BLOCKS, "Action.ActionId", action_id)

    note = await call.once("note", create, find=find, fetch=fetch, id_of=lambda raw: raw["ActionId"])
    return WriteResult([("actions", note)], created={"note_remote_id": str(note["ActionId"])})


Create = bodies.CreateApplication | bodies.CreateCandidate


def _candidate_payload(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    payload: Raw = {"FirstName": c.first_name, "Surname": c.last_name, "EmailAddress": c.email_address}
    if c.phone_number:
        payload["MobileTelephone"] = c.phone_number
    if c.location and (c.location.city or c.location.zip_code):
        payload["Address"] = {"Town": c.location.city, "Postcode": c.location.zip_code}
    return payload


def _left_out(call: WriteCall[Create]) -> list[str]:
    warnings = []
    if call.stage:
        warnings.append("Eploy's API documents no way to place a new application at a stage: it starts where the "
                        "vacancy's workflow starts")  # fmt: skip
    if call.files or call.answers:
        warnings.append("Eploy's API documents no upload of files or screening answers: they were not sent")
    if call.body.source or call.body.sourced_by:
        warnings.append("Eploy's API documents no source on an application: it was not sent")
    return warnings


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    vacancy = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    if not vacancy:
        raise RemoteError("REMOTE.INPUT_INVALID", "this job has no Eploy vacancy to apply to")
    payload = _candidate_payload(call)
    email = str(payload["EmailAddress"]).strip().lower()

    async def find_candidate(_: Any = None) -> str | None:
        found = await _search(source, "candidates", ("CandidateId", "EmailAddress"), equals("Candidate.EmailAddress",
                                                                                           email))  # fmt: skip
        ids = [str(r["CandidateId"]) for r in found if str(r.get("EmailAddress") or "").lower() == email]
        return ids[-1] if ids else None

    known = await find_candidate()

    async def create_candidate() -> str:
        return await _insert(source, "candidates", payload, "CandidateId")

    candidate = known or await call.once_id("candidate", create_candidate, find=find_candidate)

    async def find_application(_: Any = None) -> str | None:
        found = await _search(source, "applications", ("ApplicationId",), equals("Candidate.Id", numeric_id(candidate)),
                              equals("Vacancy.Id", numeric_id(vacancy)))  # fmt: skip
        return str(found[-1]["ApplicationId"]) if found else None

    async def create() -> str:
        body = {"Candidate": {"Id": numeric_id(candidate)}, "Vacancy": {"Id": numeric_id(vacancy)}}
        try:
            return await _insert(source, "applications", body, "ApplicationId")
        except RemoteError as exc:
            if exc.status == 400 and "not accepting applications" in (exc.body or exc.message).lower():
                raise JobClosed(f"Eploy vacancy {vacancy} is not accepting applications") from exc
            raise

    fresh = "application_remote_id" not in call.progress and "application_create_started" not in call.progress
    if fresh and known and await find_application() is not None:
        raise AlreadyApplied(f"Eploy candidate {candidate} already applied to vacancy {vacancy}")
    application = await call.once_id("application", create, find=find_application)
    records = [("candidates", await _one(source, "candidates", CANDIDATE_BLOCKS, "Candidate.CandidateId", candidate)),
               ("applications", await _one(source, "applications", APPLICATION_BLOCKS, "Application.ApplicationId",
                                           application))]  # fmt: skip
    return WriteResult(records, _left_out(call), {"application_remote_id": application,
                                                  "candidate_remote_id": candidate})  # fmt: skip


ACTIONS: dict[str, Action] = WRITES.actions()
