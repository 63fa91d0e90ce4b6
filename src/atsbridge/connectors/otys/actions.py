"""OTYS writes, each a JSON-RPC call [conn: OTYS' own WordPress plugin]:

* ``create_application``: ``CandidateService.add`` (the new candidate's ``uid`` is the result), then
  ``ProcedureService.add {candidateUid, vacancyUid, ProcedureStatus1..3}``. Neither call is idempotent: each runs
  through create-once, a resumed call finding the candidate by e-mail (``Person.emailPrimary``) and the
  procedure by (candidate, vacancy) with ``getListEx``. A candidate already known by e-mail is reused.
* ``move_application_to_stage``: ``ProcedureService.update(uid, {ProcedureStatus<level>: {uid}})`` with the
  level read from the stage's ``<level>_<uid>`` id. [unverified: the research saw ``update`` on the other
  services and the status objects on ``add``, not this call itself.] Setting a status is idempotent.

Files are not sent (``fileService.php`` upload + ``AttachedDocumentsService.add`` is not built): a warning says so.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.otys.api import WHAT_CANDIDATE, WHAT_PROCEDURE, call, cond, list_ex
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _uid(result: Any) -> str:
    """``add`` answers the new uid (or an object carrying it)."""
    value = result.get("uid") if isinstance(result, dict) else result
    if value in (None, "", False):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "OTYS accepted the record but answered no uid")
    return str(value)


def status_of(stage_remote_id: str) -> tuple[int, Raw]:
    level, sep, _ = stage_remote_id.partition("_")
    if not sep or level not in ("1", "2", "3"):
        raise RemoteError("REMOTE.INPUT_INVALID", f"{stage_remote_id!r} is not an OTYS status id (<level>_<uid>)",
                          status=400)  # fmt: skip
    return int(level), {"uid": stage_remote_id}


async def _candidate(source: kit.KitSource, email: str) -> Raw | None:
    rows = await list_ex(source, "CandidateService", WHAT_CANDIDATE, cond("Person.emailPrimary", "EQ", email))
    return next((r for r in rows if str((r.get("Person") or {}).get("emailPrimary") or "").lower() == email), None)


async def _procedure(source: kit.KitSource, **match: str) -> Raw | None:
    rows = await list_ex(source, "ProcedureService", WHAT_PROCEDURE, *(cond(k, "EQ", v) for k, v in match.items()))
    return next((r for r in rows if all(str(r.get(k)) == v for k, v in match.items())), None)


@WRITES.create
async def create_application(source: kit.KitSource, call_: WriteCall[Body]) -> WriteResult:
    c, vacancy = call_.body.candidate, str(call_.job_remote_id)
    email = c.email_address.lower()

    async def find_candidate(_: Any) -> str | None:
        found = await _candidate(source, email)
        return str(found["uid"]) if found else None

    async def add_candidate() -> str:
        existing = await find_candidate(None)
        if existing:
            return existing
        person = {"firstName": c.first_name, "lastName": c.last_name, "emailPrimary": c.email_address,
                  "phoneMobile": c.phone_number}  # fmt: skip
        data: Raw = {"Person": {k: v for k, v in person.items() if v}}
        if call_.body.source is not None and call_.body.source.name:
            data["source"] = call_.body.source.name
        return _uid(await call(source, "CandidateService", "add", data, create=True))

    cand_uid = await call_.once_id("candidate", add_candidate, find=find_candidate, marker=email)

    async def find_procedure(_: Any) -> Raw | None:
        return await _procedure(source, candidateUid=cand_uid, vacancyUid=vacancy)

    async def add_procedure() -> Raw:
        data: Raw = {"candidateUid": cand_uid, "vacancyUid": vacancy}
        if call_.stage and call_.stage.get("remote_id"):
            level, status = status_of(str(call_.stage["remote_id"]))
            data[f"ProcedureStatus{level}"] = status
        uid = _uid(await call(source, "ProcedureService", "add", data, create=True))
        return {"uid": uid, "candidateUid": cand_uid, "vacancyUid": vacancy}

    procedure = await call_.once("application", add_procedure, find=find_procedure, id_of=lambda r: r["uid"])
    full = await _procedure(source, candidateUid=cand_uid, vacancyUid=vacancy) or procedure
    candidate = await _candidate(source, email)
    records = [("procedures", full)] + ([("candidates", candidate)] if candidate else [])
    warnings = ["OTYS takes files through fileService.php and AttachedDocumentsService; attachments were not sent"] if (
        call_.files) else []  # fmt: skip
    return WriteResult(records, warnings, {"application_remote_id": str(full["uid"]), "candidate_remote_id": cand_uid})


@WRITES.move
async def move_stage(source: kit.KitSource, call_: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = str((call_.application or {}).get("remote_id") or "")
    stage = str((call_.stage or {}).get("remote_id") or call_.body.stage_id)
    if not app_id:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no OTYS procedure to move", status=400)
    level, status = status_of(stage)
    await call(source, "ProcedureService", "update", app_id, {f"ProcedureStatus{level}": status})
    moved = await _procedure(source, uid=app_id)
    return WriteResult([("procedures", moved)] if moved else [])


ACTIONS: dict[str, Action] = WRITES.actions()
