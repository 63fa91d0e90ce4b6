"""Workday writes (Recruiting web service).

* ``create_application`` (and the deprecated create candidate): ``Put_Candidate`` with ``Add_Only="true"`` and
  ``Candidate_Data{Name_Data, Contact_Data, Job_Application_Data{Job_Applied_To_Data{Job_Requisition_Reference,
  Source_Reference}}}`` [doc sample]; the answer carries ``Candidate_Reference`` and the application ids. Not
  idempotent: through ``call.once_id``, whose ``find`` is ``Get_Candidates`` by ``Candidate_Email_Address``
  (the candidate holding an application to that requisition). ``remote_fields.workday`` (contract Appendix A):
  ``Candidate_Data`` is merged over the built request — ``Name_Detail_Data`` goes into the legal name,
  ``Job_Application_Data``/``Contact_Data``/``Language_Reference``/``Worker_Reference`` where the schema puts
  them — and ``Override_Source_Reference_WID`` replaces the source. Elements are written in the XSD's order.
  Resumes are sent inline (``Resume_Attachment_Data``, base64); screening answers are not sent (a warning).
* ``move_application_to_stage``: ``Move_Candidate`` [conn: operation and element names from the WSDL-generated
  client; no sample here]: ``Move_Candidate_Data{Job_Application_Reference, Next_Step_Reference}``. The step is
  ``remote_fields.workday.Workflow_Step_ID`` (``Step_Type`` picks ``Next_Step_Reference`` or
  ``Disposition_Step_Reference``); without it [gap] the target stage's ``Recruiting_Stage_ID`` is sent, the most
  defensible reading since steps are per business-process definition and not listed by any read.

Not declared: notes (no note endpoint [gap]), tags (through ``Put_Candidate`` replacing the candidate [conn],
not safe to do blind), attachments and rejection (dispositions are tenant-defined and no read lists them, so
a ``rejection_reason_id`` could never be resolved): see ``unavailable`` in ``__init__``.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.soap import from_mapping, merge, ref_id, to_dict
from atsbridge.connectors.workday.api import AUTH, RECRUITING, VERSION, B
from atsbridge.connectors.workday.mappers import application_id, candidate_id
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate

#: XSD sequences of the elements a create writes (from the v45.2 Put_Candidate sample).
ORDER: dict[str, tuple[str, ...]] = {
    "Candidate_Data": ("Candidate_ID", "Pre-Hire_Reference", "Worker_Reference", "Name_Data", "Contact_Data",
                       "Social_Media_Account_Data", "Status_Data", "Job_Application_Data", "Prospect_Data",
                       "Referral_Data", "Candidate_Identification_Data", "Language_Reference",
                       "Candidate_Tag_Reference", "Candidate_Pool_Data", "Candidate_Attachment_Data"),
    "Name_Detail_Data": ("Title_Reference", "Salutation_Suffix_Reference", "Full_Name", "First_Name", "Middle_Name",
                         "Hereditary_Suffix_Reference", "Last_Name", "Secondary_Last_Name", "Tertiary_Last_Name",
                         "Social_Suffix_Reference", "Local_Person_Name"),
    "Contact_Data": ("Phone_Device_Type_Reference", "Country_Phone_Code_Reference", "Phone_Number", "Phone_Extension",
                     "Email_Address", "Website_Data", "Location_Data"),
    "Location_Data": ("Country_Reference", "Address_Line_1", "Address_Line_2", "City", "Country_City_Reference",
                      "Country_Region_Reference", "Region_Subdivision_1", "Postal_Code"),
    "Job_Application_Data": ("Job_Application_Reference", "Job_Applied_To_Data", "Resume_Attachment_Data",
                             "Resume_Data"),
    "Job_Applied_To_Data": ("Job_Application_ID", "Job_Requisition_Reference", "Job_Application_Date",
                            "Stage_Reference", "Workflow_Step_Reference", "Disposition_Reference", "Status_Timestamp",
                            "Source_Reference", "Global_Personal_Information_Data"),
    "Resume_Data": ("Summary", "Skill_Data", "Experience_Data", "Education_Data", "Certification_Data",
                    "Language_Data", "Questionnaire_Response_Data"),
    "Resume_Attachment_Data": ("ID", "Filename", "File_Content", "Mime_Type_Reference", "Comment"),
    "Experience_Data": ("Company_Reference", "Company_Name", "Title", "Location", "Start_Month", "Start_Year",
                        "End_Month", "End_Year", "Currently_Work_Here", "Description"),
    "Education_Data": ("School_Reference", "School_Name", "First_Year_Attended", "Last_Year_Attended",
                       "Degree_Reference", "Field_of_Study_Reference", "Grade_Average"),
    "Language_Data": ("Language_Reference", "Language"),
    "Language": ("Native", "Language_Ability"),
    "Language_Ability_Data": ("Language_Proficiency_Reference", "Language_Ability_Type_Reference"),
}  # fmt: skip


WRITES = kit.WriteTable()


def _experience(item: Any) -> Any:
    """The contract's ``Start_Date``/``End_Date`` as the schema's month and year elements."""
    if not isinstance(item, dict):
        return item
    out = {k: v for k, v in item.items() if k not in ("Start_Date", "End_Date")}
    for key in ("Start", "End"):
        value = str(item.get(f"{key}_Date") or "")
        if len(value) >= 7 and value[:4].isdigit() and value[5:7].isdigit():
            out[f"{key}_Month"], out[f"{key}_Year"] = int(value[5:7]), int(value[:4])
    return out


def _candidate_data(call: WriteCall[Body]) -> Raw:
    c, job = call.body.candidate, str(call.job_remote_id)
    contact: Raw = {"Phone_Number": c.phone_number, "Email_Address": c.email_address}
    if c.location is not None:
        contact["Location_Data"] = {"Country_Reference": {"ISO_3166-1_Alpha-2_Code": c.location.country},
                                    "City": c.location.city, "Postal_Code": c.location.zip_code}  # fmt: skip
    applied: Raw = {"Job_Requisition_Reference": {"Job_Requisition_ID": job}}
    extra = call.remote_fields if isinstance(call.remote_fields, dict) else {}
    if extra.get("Override_Source_Reference_WID"):
        applied["Source_Reference"] = {"WID": str(extra["Override_Source_Reference_WID"])}
    application: Raw = {"Job_Applied_To_Data": applied}
    resumes = [f for f in call.files if f.type == "CV"]
    if resumes:
        f = resumes[0]
        application["Resume_Attachment_Data"] = {"Filename": f.name,
                                                 "File_Content": base64.b64encode(f.content).decode()}  # fmt: skip
    data: Raw = {"Name_Data": {"Legal_Name": {"Name_Detail_Data": {"First_Name": c.first_name,
                                                                    "Last_Name": c.last_name}}},
                 "Contact_Data": contact, "Job_Application_Data": application}  # fmt: skip
    wanted = extra.get("Candidate_Data") if isinstance(extra.get("Candidate_Data"), dict) else {}
    wanted = dict(wanted or {})
    resume = kit.soap.dig(wanted, "Job_Application_Data/Resume_Data")
    if isinstance(resume, dict) and resume.get("Experience_Data"):
        resume["Experience_Data"] = [_experience(e) for e in kit.soap.many(resume["Experience_Data"])]
    name = wanted.pop("Name_Detail_Data", None)
    if isinstance(name, dict):
        wanted["Name_Data"] = {"Legal_Name": {"Name_Detail_Data": name}}
    return merge(data, {k: v for k, v in wanted.items() if v is not None})


def put_candidate_request(call: WriteCall[Body]) -> ET.Element:
    data = from_mapping(B, "Candidate_Data", _candidate_data(call), ORDER)
    return B("Put_Candidate_Request", *data, attrs={"Add_Only": "true", "version": VERSION})


async def find_candidate(source: kit.KitSource, email: str, job_id: str) -> Raw | None:
    """The candidate with this e-mail holding an application to ``job_id`` (None: none)."""
    criteria = B("Request_Criteria", B("Candidate_Email_Address", text=email))
    request = B("Get_Candidates_Request", criteria, B("Response_Filter", B("Count", text="100")),
                attrs={"version": VERSION})  # fmt: skip
    answer = to_dict(await kit.soap.call(source.client, RECRUITING, request, AUTH.token(source.info)))
    for row in kit.soap.many(kit.soap.dig(answer, "Response_Data/Candidate")):
        for app in kit.soap.many(kit.soap.dig(row, "Candidate_Data/Job_Application_Data")):
            req = kit.soap.dig(app, "Job_Applied_To_Data/Job_Requisition_Reference")
            if ref_id(req, "Job_Requisition_ID") == job_id:
                return dict(row)
    return None


async def get_candidate(source: kit.KitSource, cid: str) -> Raw:
    refs = B("Request_References", B.ref("Candidate_Reference", "Candidate_ID", cid))
    request = B("Get_Candidates_Request", refs, B("Response_Group", B("Include_Reference", text="true")),
                attrs={"version": VERSION})  # fmt: skip
    answer = to_dict(await kit.soap.call(source.client, RECRUITING, request, AUTH.token(source.info)))
    found = kit.soap.one(kit.soap.dig(answer, "Response_Data/Candidate"))
    if not isinstance(found, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Workday does not return the candidate {cid} it created")
    return found


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, job_id = call.body.candidate.email_address.lower(), str(call.job_remote_id)

    async def create() -> str:
        answer = await kit.soap.call(source.client, RECRUITING, put_candidate_request(call), AUTH.token(source.info),
                                     create=True)  # fmt: skip
        cid = ref_id(to_dict(answer).get("Candidate_Reference"), "Candidate_ID")
        if not cid:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Workday's Put_Candidate answer names no candidate")
        return cid

    async def find(_: Any) -> str | None:
        found = await find_candidate(source, email, job_id)
        return candidate_id(found) if found else None

    cid = await call.once_id("candidate", create, find=find, marker=email)
    candidate = await get_candidate(source, cid)
    apps = kit.soap.many(kit.soap.dig(candidate, "Candidate_Data/Job_Application_Data"))
    mine = [a for a in apps if ref_id(kit.soap.dig(a, "Job_Applied_To_Data/Job_Requisition_Reference"),
                                      "Job_Requisition_ID") == job_id]  # fmt: skip
    warnings = ["Workday's Put_Candidate takes no screening answers here; not sent"] if call.answers else []
    if len([f for f in call.files if f.type == "CV"]) < len(call.files):
        warnings.append("only the first CV is sent (Resume_Attachment_Data); other files were not sent")
    created = {"candidate_remote_id": cid}
    if mine and application_id(mine[0]):
        created["application_remote_id"] = str(application_id(mine[0]))
    return WriteResult([("candidates", candidate)], warnings, created)


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = str((call.application or {}).get("remote_id") or "")
    extra = call.remote_fields if isinstance(call.remote_fields, dict) else {}
    step_type = str(extra.get("Step_Type") or "Next_Step_Reference")
    if step_type not in ("Next_Step_Reference", "Disposition_Step_Reference"):
        raise RemoteError("REMOTE.INPUT_INVALID", f"remote_fields.workday.Step_Type {step_type!r} is not supported")
    step = B.ref(step_type, "Workflow_Step_ID", str(extra["Workflow_Step_ID"])) if extra.get("Workflow_Step_ID") \
        else B.ref(step_type, "Recruiting_Stage_ID", str((call.stage or {}).get("remote_id")))
    data = B("Move_Candidate_Data", B.ref("Job_Application_Reference", "Job_Application_ID", app_id), step)
    await kit.soap.call(source.client, RECRUITING, B("Move_Candidate_Request", data, attrs={"version": VERSION}),
                        AUTH.token(source.info))  # fmt: skip
    cid = str((call.candidate or {}).get("remote_id") or "")
    return WriteResult([("candidates", await get_candidate(source, cid))] if cid else [], [], {})


ACTIONS = WRITES.actions()
