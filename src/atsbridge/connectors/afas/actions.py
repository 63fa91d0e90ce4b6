"""Writes through AFAS UpdateConnectors [doc]: ``HrCreateApplicant`` (a new or existing person's application,
CV inline as base64), ``PUT HrApplicant`` (an application's ``ViAt`` last action = stage, ``StSo`` 3 =
rejected), ``KnSubject`` (a dossier item linked to the applicant, and to the application when one is named:
notes, result links as notes, and files inline as base64).

UpdateConnector answers only echo the new key (``{"results": {"HrCreateApplicant": {"CaId": …}}}``), so
each write reads the row back through the customer's GetConnector. Both POSTs go through create-once; the
lookups after a lost answer are the applicants GetConnector (by e-mail) and ``Profit_Subjects`` (by text).
``remote_fields.afas.Fields`` (the contract's key) is merged into the ``Fields`` of every write that names it.
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.afas.api import SUBJECTS, connector_path, filters
from atsbridge.connectors.afas.mappers import REJECTIONS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
#: The dossier item type of a note (``StId``): the customer's; this default is [gap].
NOTE_TYPE = "1"


WRITES = kit.WriteTable()


def with_remote_fields(fields: Raw, call: WriteCall[Any]) -> Raw:
    extra = call.remote_fields.get("Fields")
    return {**fields, **extra} if isinstance(extra, dict) else fields


async def rows(source: kit.KitSource, role: str, *terms: tuple[str, object, int]) -> list[Raw]:
    body = await source.get_json(connector_path(source.config, role), {**filters(*terms), "skip": 0, "take": 100})
    return [dict(r) for r in (body or {}).get("rows") or [] if isinstance(r, dict)]


async def application_row(source: kit.KitSource, app_id: str) -> Raw:
    found = await rows(source, "applications", ("ApplicationId", app_id, 1))
    if not found:
        raise RemoteError("REMOTE.INPUT_INVALID", f"AFAS lists no application {app_id} in the applications "
                          "GetConnector", status=404)
    return found[0]


def create_body(call: WriteCall[Body]) -> Raw:
    """``HrCreateApplicant``: the documented new-person fields; the first CV inline (``CvFileName`` +
    ``CvFileStream`` base64)."""
    c = call.body.candidate
    fields: Raw = {"VcSn": str(call.job_remote_id), "FiNm": c.first_name, "LaNm": c.last_name,
                   "ViGe": "O", "EmAd": c.email_address}  # fmt: skip
    if c.phone_number:
        fields["TeNr"] = c.phone_number
    cv = next((f for f in call.files if f.type == "CV"), call.files[0] if call.files else None)
    if cv is not None:
        fields.update(CvFileName=cv.name, CvFileStream=base64.b64encode(cv.content).decode())
    return {"HrCreateApplicant": {"Element": {"Fields": with_remote_fields(fields, call)}}}


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, job = call.body.candidate.email_address.lower(), str(call.job_remote_id)

    async def find(_: Any) -> Raw | None:
        for applicant in await rows(source, "applicants", ("Email", email, 1)):
            apps = await rows(source, "applications", ("ApplicantId", applicant["ApplicantId"], 1))
            match = [a for a in apps if str(a.get("VacancyId")) == job]
            if match:
                return match[0]
        return None

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", "/connectors/HrCreateApplicant",
                                            json=create_body(call))  # fmt: skip
        key = ((response.json() or {}).get("results") or {}).get("HrCreateApplicant", {}).get("CaId")
        found = await application_row(source, str(key)) if key else await find(None)
        if found is None:  # retryable: the intent stays, so a retry looks again instead of posting twice
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "AFAS answered without the new application's key",
                              retryable=True)  # fmt: skip
        return found

    async def fetch(app_id: str) -> Raw:
        return await application_row(source, app_id)

    app = await call.once("application", create, find=find, fetch=fetch, marker=email,
                          id_of=lambda r: r["ApplicationId"])  # fmt: skip
    applicant = await rows(source, "applicants", ("ApplicantId", app["ApplicantId"], 1))
    warnings = ["AFAS's HrCreateApplicant takes no screening answers; not sent"] if call.answers else []
    if len(call.files) > 1:
        warnings.append("AFAS's HrCreateApplicant takes one CV; the other files were not sent")
    return WriteResult([("applications", app), *(("applicants", a) for a in applicant)], warnings,
                       {"application_remote_id": str(app["ApplicationId"]),
                        "candidate_remote_id": str(app["ApplicantId"])})  # fmt: skip


async def _update_application(source: kit.KitSource, call: WriteCall[Any], changes: Raw) -> WriteResult:
    """``PUT /connectors/HrApplicant``: the applicant, one ``HrApplication`` keyed by ``@CmId``/``@VcSn``."""
    app = await application_row(source, str((call.application or {})["remote_id"]))
    element = {"@CmId": app.get("EmployerId"), "@VcSn": str(app.get("VacancyId")),
               "Fields": with_remote_fields(changes, call)}  # fmt: skip
    body = {"HrApplicant": {"Element": {"Fields": {"EmId": app["ApplicantId"]},
                                        "Objects": {"HrApplication": {"Element": element}}}}}  # fmt: skip
    await source.client.request("PUT", "/connectors/HrApplicant", json=body)
    return WriteResult([("applications", await application_row(source, str(app["ApplicationId"])))], [], {})


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _update_application(source, call, {"ViAt": str((call.stage or {})["remote_id"])})


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    reason = str((call.rejection_reason or {}).get("remote_id") or REJECTIONS[0])
    changes: Raw = {"StSo": "3", "ViAt": reason}
    if call.body.note:
        changes["Re"] = call.body.note
    return await _update_application(source, call, changes)


async def _dossier_item(source: kit.KitSource, call: WriteCall[Any], key: str, subject: str, text: str,
                        file: FileData | None = None) -> str:  # fmt: skip
    """A ``KnSubject`` linked to the applicant (and the application when the call names one) [doc], made once;
    after a lost answer ``Profit_Subjects`` is searched for the same subject and text on the same link."""
    if call.application is not None:
        app = await application_row(source, str(call.application["remote_id"]))
        applicant, app_id = str(app["ApplicantId"]), str(app["ApplicationId"])
    else:
        applicant, app_id = str((call.candidate or {})["remote_id"]), ""
    where = ("ApplicationId", app_id, 1) if app_id else ("ApplicantId", applicant, 1)

    async def find(_: Any) -> Raw | None:
        body = await source.get_json(SUBJECTS, {**filters(where), "skip": 0, "take": 1000})
        found = [r for r in (body or {}).get("rows") or [] if r.get("Comment") == text and r.get("Subject") == subject]
        return dict(found[-1]) if found else None

    async def create() -> Raw:
        link: Raw = {"ToAp": True, "ApId": applicant}
        if app_id:
            link.update(SfTp="4", SfId=app_id)
        fields: Raw = {"StId": NOTE_TYPE, "Ds": subject, "SbTx": text}
        if file is not None:
            fields.update(FileName=file.name, FileStream=base64.b64encode(file.content).decode())
        body = {"KnSubject": {"Element": {"Fields": with_remote_fields(fields, call),
                                          "Objects": {"KnSubjectLink": {"Element": {"Fields": link}}}}}}  # fmt: skip
        response = await kit.create_request(source.client, "POST", "/connectors/KnSubject", json=body)
        return {"SubjectId": ((response.json() or {}).get("results") or {}).get("KnSubject", {}).get("SbId")}

    made = await call.once(key, create, find=find, id_of=lambda r: r["SubjectId"])
    return str(made["SubjectId"])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    content = call.body.content
    return WriteResult(created={"note_remote_id": await _dossier_item(source, call, "note", content[:80], content)})


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    text = kit.result_link_text(call.body)
    note = await _dossier_item(source, call, "note", call.body.label[:80], text)
    return WriteResult(warnings=[kit.result_link_warning("AFAS")], created={"note_remote_id": note})


@WRITES.attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    """A dossier item carrying the file inline (``FileName`` + ``FileStream`` base64)."""
    file = call.files[0]
    item = await _dossier_item(source, call, "attachment", file.name[:80], file.name, file)
    return WriteResult(created={"attachment_remote_id": item})


ACTIONS = WRITES.actions()
