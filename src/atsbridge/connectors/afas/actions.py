"""Writes through AFAS UpdateConnectors [doc]: ``HrCreateApplicant`` (a new or existing person's application,
CV inline as base64), ``PUT HrApplicant`` (an application's ``ViAt`` last action = stage, ``StSo`` 3 =
rejected), ``KnSubject`` (a dossier item linked to the applicant and application = note).

UpdateConnector answers only echo the new key (``{"results": {"HrCreateApplicant": {"CaId": …}}}``), so
each write reads the row back through the customer's GetConnector. Both POSTs go through create-once; the
lookups after a lost answer are the applicants GetConnector (by e-mail) and ``Profit_Subjects`` (by text).
``remote_fields.afas.Fields`` (the contract's key) is merged into the ``Fields`` of every write that names it.
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.afas.api import SUBJECTS, connector_path, filters
from atsbridge.connectors.afas.mappers import REJECTIONS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
#: The dossier item type of a note (``StId``): the customer's; this default is [gap].
NOTE_TYPE = "1"


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
        return await application_row(source, str(key)) if key else (await find(None) or {})

    async def fetch(app_id: str) -> Raw:
        return await application_row(source, app_id)

    app = await call.once("application", create, find=find, fetch=fetch, marker=email,
                          id_of=lambda r: r["ApplicationId"])  # fmt: skip
    if not app:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "AFAS answered without the new application's key",
                          retryable=True)  # fmt: skip
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


async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _update_application(source, call, {"ViAt": str((call.stage or {})["remote_id"])})


async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    reason = str((call.rejection_reason or {}).get("remote_id") or REJECTIONS[0])
    changes: Raw = {"StSo": "3", "ViAt": reason}
    if call.body.note:
        changes["Re"] = call.body.note
    return await _update_application(source, call, changes)


async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app = await application_row(source, str((call.application or {})["remote_id"]))
    content, app_id = call.body.content, str(app["ApplicationId"])

    async def find(_: Any) -> Raw | None:
        body = await source.get_json(SUBJECTS, {**filters(("ApplicationId", app_id, 1)), "skip": 0, "take": 1000})
        found = [r for r in (body or {}).get("rows") or [] if r.get("Comment") == content]
        return dict(found[-1]) if found else None

    async def create() -> Raw:
        link = {"ToAp": True, "ApId": app["ApplicantId"], "SfTp": "4", "SfId": app_id}
        fields = with_remote_fields({"StId": NOTE_TYPE, "Ds": content[:80], "SbTx": content}, call)
        body = {"KnSubject": {"Element": {"Fields": fields,
                                          "Objects": {"KnSubjectLink": {"Element": {"Fields": link}}}}}}  # fmt: skip
        response = await kit.create_request(source.client, "POST", "/connectors/KnSubject", json=body)
        key = ((response.json() or {}).get("results") or {}).get("KnSubject", {}).get("SbId")
        return {"SubjectId": str(key)}

    note = await call.once("note", create, find=find, id_of=lambda r: r["SubjectId"])
    return WriteResult([], [], {"note_remote_id": str(note["SubjectId"])})


ACTIONS = kit.writes(
    kit.Write("create_application", (bodies.CreateApplication, bodies.CreateCandidate), create_application),
    kit.Write("move_application_to_stage", bodies.MoveStage, move_stage),
    kit.Write("reject_application", bodies.Reject, reject),
    kit.Write("add_application_note", bodies.Note, add_note),
)
