"""Cornerstone OnDemand's writes: apply (``POST /x/candidate/v1/application``) and status changes
(``POST /Recruiting/JobApplicantUpdateStatus``), which carry both stage moves and rejections.

* Apply [conn]: ``{jobRequisitionId, candidate{firstName, lastName, email, contactDetails}, resume, coverLetter,
  source}``; files go base64 in the JSON (resume <= 10 MB, cover letter <= 5 MB [conn]; resumes are not
  parsed). Additional attachments need the slot id of the requisition's application workflow, which is not
  read: other files are left out with a warning. The answer's shape is [gap], so the application is found
  afterwards as an applicant row of the requisition with the candidate's mail (the same search ``find`` runs
  when a stalled try is resumed: the POST is not idempotent and runs through ``call.once``). CSOD adds the
  application to an existing candidate with the same mail [doc].
* Status change [3p code, doc]: ``{"data": {"record": [{JobRequisitionId, UserId, Status, MarkComplete}]}}``
  with the "Applicants: Status Change" permission. Setting a status twice is harmless, so it is sent plainly
  (retried like a read). A rejection is a move to a closing status (the rejection reasons are those statuses);
  its note has no API to go to and is reported as a warning. ``MarkComplete`` is sent false [gap: semantics].
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.cornerstoneondemand.api import (
    APPLICANTS,
    APPLY,
    UPDATE_STATUS,
    application_id,
    split_application_id,
    statuses,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
_LIMITS = {"CV": ("resume", 10 * 10**6), "COVER_LETTER": ("coverLetter", 5 * 10**6)}


WRITES = kit.WriteTable()


def _row_id(row: Raw) -> str:
    return application_id(row.get("RequisitionID"), row.get("UserId"))


async def _applicant(source: kit.KitSource, req_id: str, match: Any, status: str | None = None) -> Raw | None:
    """The applicant row of ``req_id`` that ``match`` accepts, status by status (``CurrentStatus`` is required)."""
    for current in (status,) if status else statuses(source.config):
        params = {"CurrentStatus": current, "RequisitionID": req_id}
        async for page in source.listing("applicants", APPLICANTS, params):
            found = next((dict(r) for r in page if isinstance(r, dict) and match(r)), None)
            if found is not None:
                return found
    return None


def _files(files: list[FileData]) -> tuple[Raw, list[str]]:
    out: Raw = {}
    warnings: list[str] = []
    for f in files:
        slot = _LIMITS.get(f.type)
        if slot is None or slot[0] in out:
            warnings.append(f"Cornerstone takes one resume and one cover letter on apply; {f.name} was not sent")
        elif len(f.content) > slot[1]:
            warnings.append(f"{f.name} is over Cornerstone's {slot[1] // 10**6} MB limit for a {slot[0]}; not sent")
        else:
            out[slot[0]] = {"fileName": f.name[:50], "file": base64.b64encode(f.content).decode()}
    return out, warnings


async def _set_status(source: kit.KitSource, req_id: str, user_id: str, status: str) -> Raw | None:
    record = {"JobRequisitionId": req_id, "UserId": user_id, "Status": status, "MarkComplete": False}
    response = await source.client.request("POST", UPDATE_STATUS, json={"data": {"record": [record]}})
    try:
        answer = response.json()
    except ValueError:
        answer = None
    rows = ((answer or {}).get("data") or {}).get("record") if isinstance(answer, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and str(row.get("Result", "Success")).lower() not in ("success", "ok"):
            raise RemoteError("REMOTE.INPUT_INVALID", f"Cornerstone refused the status change: {row.get('Message')}")
    return await _applicant(source, req_id, lambda r: str(r.get("UserId")) == user_id, status)


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    c, req_id = call.body.candidate, str(call.job_remote_id)
    email = c.email_address.lower()

    def mine(row: Raw) -> bool:
        return str(row.get("Email") or "").lower() == email

    async def find(_: Any) -> Raw | None:
        return await _applicant(source, req_id, mine)

    files, warnings = _files(call.files)

    async def create() -> Raw:
        contact: Raw = {"phoneNumber": c.phone_number} if c.phone_number else {}
        if c.location is not None:
            contact.update({"country": c.location.country, "city": c.location.city, "state": c.location.state,
                            "address1": c.location.street_1, "postalCode": c.location.zip_code})  # fmt: skip
        payload: Raw = {
            "jobRequisitionId": req_id,
            "candidate": {
                "firstName": c.first_name,
                "lastName": c.last_name,
                "email": c.email_address,
                "contactDetails": {k: v for k, v in contact.items() if v},
            },  # fmt: skip
            **files,
        }
        if call.body.source is not None and call.body.source.name:
            payload["source"] = {"submissionSource": call.body.source.name[:50]}
        response = await kit.create_request(source.client, "POST", APPLY, json=payload)
        found = await find(None)
        if found is not None:
            return found
        try:  # not listed under a configured status (an incomplete application): the answer's ids [gap]
            data = response.json().get("data") or {}
        except (ValueError, AttributeError):
            data = {}
        user = data.get("candidateId") or data.get("userId") if isinstance(data, dict) else None
        if not user:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Cornerstone accepted the application but it is not listed")
        return {"UserId": user, "RequisitionID": req_id, "FirstName": c.first_name, "LastName": c.last_name,
                "Email": c.email_address, "CurrentStatus": None}  # fmt: skip

    async def fetch(rid: str) -> Raw:
        found = await _applicant(source, req_id, lambda r: _row_id(r) == rid)
        return found or {"RequisitionID": req_id, "UserId": rid.rpartition(":")[2]}

    row = await call.once("application", create, find=find, fetch=fetch, marker=email, id_of=_row_id)
    if call.stage is not None and call.stage.get("remote_id") and row.get("CurrentStatus") != call.stage["remote_id"]:
        row = await _set_status(source, req_id, str(row["UserId"]), str(call.stage["remote_id"])) or row
    if call.answers:
        warnings.append("Cornerstone's screening questions come from the application workflow, not read: answers "
                        "were not sent")  # fmt: skip
    created = {"application_remote_id": _row_id(row), "candidate_remote_id": str(row["UserId"])}
    return WriteResult([("applicants", row)], warnings, created)


def _target(call: WriteCall[Any]) -> tuple[str, str]:
    parts = split_application_id(str((call.application or {}).get("remote_id") or ""))
    if parts is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "this application has no Cornerstone requisition and user id")
    return parts


@WRITES.move
async def move_to_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    req_id, user_id = _target(call)
    row = await _set_status(source, req_id, user_id, str((call.stage or {})["remote_id"]))
    return WriteResult([("applicants", row)] if row else [], [] if row else ["the moved applicant is not listed "
                       "under a configured status: set applicant_statuses"])  # fmt: skip


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    req_id, user_id = _target(call)
    row = await _set_status(source, req_id, user_id, str((call.rejection_reason or {})["remote_id"]))
    warnings = ["Cornerstone's Recruiting API has no notes: the rejection note was not sent"] if call.body.note else []
    return WriteResult([("applicants", row)] if row else [], warnings)


ACTIONS = WRITES.actions()
