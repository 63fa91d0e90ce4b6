"""Oracle's writes: the ADF action ``POST recruitingJobApplications/{id}/action/move``
(``Content-Type: application/vnd.oracle.adf.action+json``, ``{phaseId, stateId, reasonId, comments}`` [doc]).

Moving (and rejecting, a move into a rejecting state) is idempotent (the same target twice leaves the
application where it is), so it needs no create-once.
The unified stage id names both halves (``"<PhaseId>:<StateId>"``, see ``mappers``). Contract
``remote_fields.oracle`` (Appendix A.2/A.4) is applied on the attachment and result-link writes.
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


WRITES = kit.WriteTable()


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


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _move(source, str((call.application or {}).get("remote_id")), (call.stage or {}).get("remote_id"))


@WRITES.reject
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


async def _person(source: kit.KitSource, call: WriteCall[Any]) -> object:
    """The candidate a write names, or the one of the application it names."""
    if call.application:
        app = await source.get_json(f"/recruitingJobApplications/{call.application.get('remote_id')}",
                                    {"onlyData": "true"})  # fmt: skip
        return app.get("CandidatePersonId")
    return (call.candidate or {}).get("remote_id")


async def _attach(source: kit.KitSource, call: WriteCall[Any], payload: Raw, same: tuple[str, str]) -> WriteResult:
    """``POST recruitingCandidates/{CandidateNumber}/child/attachments`` [doc endpoint], create-once: a resumed
    call looks for a row with the same ``same`` field (``FileName`` or ``Url``) and category made since it began.
    Oracle keeps attachments on the candidate, so an application's attachment goes to its candidate and shows
    on all of its applications (said as a warning, also when ``multi_post_to_all_current_applications`` is false).
    """
    path = f"/recruitingCandidates/{await _candidate_number(source, await _person(source, call))}/child/attachments"
    field, value = same

    async def find(marker: Any) -> Raw | None:
        body = await source.get_json(path, {"onlyData": "true", "limit": 500})
        since = datetime.fromtimestamp((int(marker) - SKEW_MS) / 1000, UTC)
        for row in (body or {}).get("items") or []:
            created = parse_ts(str(row.get("CreationDate") or "1970-01-01T00:00:00Z"))
            if row.get(field) == value and row.get("CategoryName") == payload["CategoryName"] and created >= since:
                return dict(row)
        return None

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", path, json=payload)
        return dict(response.json())

    made = await call.once("attachment", create, find=find, id_of=lambda r: r["AttachedDocumentId"])
    warnings = []
    if call.application or call.remote_fields.get("multi_post_to_all_current_applications") is False:
        warnings.append("Oracle keeps attachments on the candidate: it shows on all of the candidate's applications")
    return WriteResult(warnings=warnings, created={"attachment_remote_id": str(made["AttachedDocumentId"])})


def _category(call: WriteCall[Any], default: str) -> str:
    """``remote_fields.oracle.override_document_category`` (contract Appendix A.2/A.4), else ``default``."""
    return str(call.remote_fields.get("override_document_category") or default)


@WRITES.attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    """A file attachment. Body field names (``DatatypeCode, CategoryName, FileName, Title,
    UploadedFileContentType, FileContents`` base64) follow the Fusion attachment resource [3p: the full body
    schema was not read]; the category is the contract override, else CV/cover letter/MISC by the file's type."""
    f = call.files[0]
    payload = {"DatatypeCode": "FILE", "CategoryName": _category(call, CATEGORIES.get(f.type, "MISC")),
               "FileName": f.name, "Title": f.name, "UploadedFileContentType": f.content_type,
               "FileContents": base64.b64encode(f.content).decode()}  # fmt: skip
    return await _attach(source, call, payload, ("FileName", f.name))


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """A result link is a web-page attachment (``DatatypeCode: WEB_PAGE``, ``Url``, ``Title`` [3p]) — which is
    why the contract gives Oracle a document category for result links. The details go in ``Description``."""
    link = call.body
    payload = {"DatatypeCode": "WEB_PAGE", "CategoryName": _category(call, "MISC"), "Url": link.url,
               "Title": link.label[:80], "Description": kit.result_link_text(link)[:255]}  # fmt: skip
    return await _attach(source, call, payload, ("Url", link.url))


ACTIONS = WRITES.actions()
