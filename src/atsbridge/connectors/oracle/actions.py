"""Oracle's writes: the ADF action ``POST recruitingJobApplications/{id}/action/move``
(``Content-Type: application/vnd.oracle.adf.action+json``, ``{phaseId, stateId, reasonId, comments}`` [doc]).

Moving (and rejecting, a move into a rejecting state) is idempotent (the same target twice leaves the
application where it is), so it needs no create-once.
The unified stage id names both halves (``"<PhaseId>:<StateId>"``, see ``mappers``). Contract
``remote_fields.oracle`` (Appendix A) is applied on the attachment writes; result links are not declared.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]

ACTION_TYPE = "application/vnd.oracle.adf.action+json"


async def _move(source: kit.KitSource, app_rid: str, target: object, comments: str | None = None) -> WriteResult:
    phase, _, state = str(target or "").partition(":")
    if not phase or not state:
        raise RemoteError("REMOTE.INPUT_INVALID", "this stage is not an Oracle phase and state")
    body: dict[str, str] = {"phaseId": phase, "stateId": state}
    if comments:
        body["comments"] = comments
    await source.client.request("POST", f"/recruitingJobApplications/{app_rid}/action/move", json=body,
                                headers={"Content-Type": ACTION_TYPE})  # fmt: skip
    raw = await source.get_json(f"/recruitingJobApplications/{app_rid}", {"onlyData": "true"})
    return WriteResult([("applications", dict(raw))])


async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _move(source, str((call.application or {}).get("remote_id")), (call.stage or {}).get("remote_id"))


async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """A rejection reason is a rejecting state (``mappers.REJECTING``): move there, the note as ``comments``.
    [gap] Oracle's ``reasonId`` (a reason *within* the state) is not modelled: customers rarely require it."""
    app_rid = str((call.application or {}).get("remote_id"))
    return await _move(source, app_rid, (call.rejection_reason or {}).get("remote_id"), call.body.note)


#: Document categories Oracle knows ([conn]: Kombo's ``override_document_category`` values).
CATEGORIES = {"CV": "IRC_CANDIDATE_RESUME", "COVER_LETTER": "IRC_CANDIDATE_COVERLETTER"}
#: How far back a resumed upload looks for what its first try may have made (clock skew between us and Oracle).
SKEW_MS = 300_000


async def _candidate_number(source: kit.KitSource, person_id: object) -> str:
    """Attachments hang off ``recruitingCandidates/{CandidateNumber}``, while our ids are ``PersonId``s."""
    query = {"q": f"PersonId={person_id}", "onlyData": "true", "limit": 1, "fields": "PersonId,CandidateNumber"}
    body = await source.get_json("/recruitingCandidates", query)
    items = (body or {}).get("items") or []
    if not items or not items[0].get("CandidateNumber"):
        raise RemoteError("REMOTE.NOT_FOUND", f"Oracle lists no candidate with PersonId {person_id}", status=404)
    return str(items[0]["CandidateNumber"])


async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    """``POST recruitingCandidates/{CandidateNumber}/child/attachments`` [doc endpoint]; the body's field names
    (``DatatypeCode, CategoryName, FileName, Title, UploadedFileContentType, FileContents`` base64) follow the
    Fusion attachment resource [3p: the full body schema was not read]. Oracle keeps attachments on the
    candidate, so an application's attachment goes to its candidate and shows on all of its applications.
    ``remote_fields.oracle``: ``override_document_category`` sets ``CategoryName``; with
    ``multi_post_to_all_current_applications`` false a warning says the file is shared all the same."""
    if call.action == "add_application_attachment":
        app = await source.get_json(f"/recruitingJobApplications/{(call.application or {}).get('remote_id')}",
                                    {"onlyData": "true"})  # fmt: skip
        person = app.get("CandidatePersonId")
    else:
        person = (call.candidate or {}).get("remote_id")
    number = await _candidate_number(source, person)
    path = f"/recruitingCandidates/{number}/child/attachments"
    f = call.files[0]
    rf = call.remote_fields
    category = str(rf.get("override_document_category") or CATEGORIES.get(f.type, "MISC"))
    payload = {"DatatypeCode": "FILE", "CategoryName": category, "FileName": f.name, "Title": f.name,
               "UploadedFileContentType": f.content_type,
               "FileContents": base64.b64encode(f.content).decode()}  # fmt: skip

    async def find(marker: Any) -> Raw | None:
        body = await source.get_json(path, {"onlyData": "true", "limit": 500})
        since = datetime.fromtimestamp((int(marker) - SKEW_MS) / 1000, UTC)
        for row in (body or {}).get("items") or []:
            created = parse_ts(str(row.get("CreationDate") or "1970-01-01T00:00:00Z"))
            if row.get("FileName") == f.name and row.get("CategoryName") == category and created >= since:
                return dict(row)
        return None

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", path, json=payload)
        return dict(response.json())

    made = await call.once("attachment", create, find=find, id_of=lambda r: r["AttachedDocumentId"])
    warnings = []
    if call.action == "add_application_attachment" or rf.get("multi_post_to_all_current_applications") is False:
        warnings.append("Oracle keeps attachments on the candidate: the file shows on all of the candidate's "
                        "applications")  # fmt: skip
    return WriteResult(warnings=warnings, created={"attachment_remote_id": str(made["AttachedDocumentId"])})


ACTIONS = kit.writes(
    kit.Write("move_application_to_stage", bodies.MoveStage, move_stage),
    kit.Write("reject_application", bodies.Reject, reject),
    kit.Write("add_candidate_attachment", bodies.AttachmentBody, add_attachment),
    kit.Write("add_application_attachment", bodies.AttachmentBody, add_attachment),
)
