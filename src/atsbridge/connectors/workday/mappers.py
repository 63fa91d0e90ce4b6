"""Workday Recruiting records (SOAP answers as ``kit.soap.to_dict`` data) -> unified records. Pure functions.

Shapes: ``Candidate`` is Workday's v45.2 sample (``Get_Candidates_Response``, a schema skeleton published by
Workday [doc]); ``Job_Requisition`` has no sample here and follows the reference's field list (WSDL-generated
client [conn]) inside the usual ``Response_Data/<X>{<X>_Reference, <X>_Data}`` envelope [gap: the wrapper
name ``Job_Requisition_Data`` is the WWS convention, unverified]. Every reference is keyed on its ``WID``
(``Descriptor`` texts are display names); applications by ``Job_Application_ID``, stages by
``Recruiting_Stage_ID``.

Workday dates carry an offset without a time (``2024-03-01-08:00``): :func:`when` keeps the date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.soap import descriptor, dig, many, one, ref_id, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]

#: Workday-delivered recruiting stages in pipeline order [3p]; tenants may rename or add stages, which then
#: appear by their ``Recruiting_Stage_ID`` on applications (and in the integration's status map).
STAGES = ("Review", "Screen", "Assessment", "Interview", "Reference_Check", "Offer", "Employment_Agreement",
          "Background_Check", "Ready_for_Hire")  # fmt: skip
#: A disposition (or ``Status_Data/Withdrawn``) declines; ``Ready_for_Hire`` with a worker made from the
#: candidate is a completed hire [doc 1.8]. Disposition ids are tenant-configured: the status map decides them.
OUTCOMES = OutcomeRule(statuses={"disposed": "DECLINED", "withdrawn": "DECLINED", "hired": "HIRED"})


def when(value: Any) -> str | None:
    """A Workday date or datetime as ISO (a date with an offset keeps just the date)."""
    found = text(value)
    if found and len(found) > 10 and found[10] in "+-" and "T" not in found:
        return found[:10]
    return found


def _flag(value: Any) -> bool:
    return (text(value) or "").lower() in ("1", "true")


def map_worker(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A worker (``Get_Workers``, Human_Resources service) as a user [conn; shape: the WWS ``Worker_Data``
    convention, no sample here]. Keyed by ``Employee_ID`` as candidates' ``Worker_Reference`` names it."""
    wid = ref_id(raw.get("Worker_Reference"), "Employee_ID", "Contingent_Worker_ID")
    person = dig(raw, "Worker_Data/Personal_Data")
    name = dig(person, "Name_Data/Preferred_Name_Data/Name_Detail_Data") or dig(
        person, "Name_Data/Legal_Name_Data/Name_Detail_Data")
    emails = many(dig(person, "Contact_Data/Email_Address_Data"))
    work = [e for e in emails if "work" in (descriptor(dig(e, "Usage_Data/Type_Data/Type_Reference")) or "").lower()]
    active = text(dig(raw, "Worker_Data/Employment_Data/Worker_Status_Data/Active"))
    fields = {
        "first_name": text(dig(name, "First_Name")),
        "last_name": text(dig(name, "Last_Name")),
        "email": text(dig(one(work or emails), "Email_Address")),
        "status": None if active is None else "ACTIVE" if active.lower() in ("1", "true") else "INACTIVE",
    }
    yield ctx.record("users", wid, fields)


def seen_stages(table: dict[Any, str], raw: Raw) -> None:
    """Fold: the recruiting stages a candidate's applications are in (id -> descriptor)."""
    for app in many(dig(raw, "Candidate_Data/Job_Application_Data")):
        stage = dig(app, "Job_Applied_To_Data/Stage_Reference")
        sid = ref_id(stage, "Recruiting_Stage_ID")
        if sid:
            table.setdefault(sid, descriptor(stage) or sid.replace("_", " "))


def stage_rows(seen: dict[Any, str]) -> list[Raw]:
    """Workday's delivered stages in order, then the tenant's own ones the applications are in (the
    Recruiting service lists no stages: these are the pipeline a tenant's applications show)."""
    names = {s: s.replace("_", " ") for s in STAGES} | dict(seen)
    order = [*STAGES, *sorted(set(seen) - set(STAGES))]
    return [{"id": s, "name": names[s], "index": i} for i, s in enumerate(order)]


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("application_stages", raw["id"], {"name": raw["name"], "index": raw["index"]})


def map_requisition(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    rid = ref_id(raw.get("Job_Requisition_Reference"), "Job_Requisition_ID")
    data = one(raw.get("Job_Requisition_Data")) or {}
    detail = one(data.get("Job_Requisition_Detail_Data")) or {}
    hiring = one(data.get("Hiring_Requirement_Data")) or {}
    status = (descriptor(data.get("Job_Requisition_Status_Reference"))
              or ref_id(data.get("Job_Requisition_Status_Reference"), "Job_Requisition_Status_ID") or "")  # fmt: skip
    location = descriptor(hiring.get("Primary_Location_Reference"))
    fields = {
        "name": text(detail.get("Job_Posting_Title")),
        "job_code": text(data.get("Job_Requisition_ID")) or rid,
        "description": text(detail.get("Job_Description")),
        "confidential": _flag(detail.get("Confidential_Job_Requisition")),
        "status": {"open": "OPEN", "filled": "CLOSED", "closed": "CLOSED", "frozen": "ON_HOLD",
                   "on hold": "ON_HOLD"}.get(status.lower(), "OPEN" if not status else "CLOSED"),  # fmt: skip
        "remote_created_at": ctx.dt(when(hiring.get("Recruiting_Start_Date"))),
        "remote_updated_at": ctx.dt(when(data.get("Last_Updated"))),
        "employment_type": {"Full_time": "FULL_TIME", "Part_time": "PART_TIME"}.get(
            ref_id(hiring.get("Time_Type_Reference"), "Position_Time_Type_ID") or ""),
        "location": {"raw": location} if location else None,
        "department": descriptor(data.get("Supervisory_Organization_Reference")),
        "custom_fields": {"status": status or None, "target_hire_date": when(hiring.get("Target_Hire_Date")),
                          "positions_available": text(detail.get("Positions_Available")),
                          "job_profile": descriptor(hiring.get("Job_Profile_Reference"))},  # fmt: skip
    }
    yield ctx.record("jobs", rid, fields)


def candidate_id(raw: Raw) -> str | None:
    return ref_id(raw.get("Candidate_Reference"), "Candidate_ID") or text(dig(raw, "Candidate_Data/Candidate_ID"))


def application_outcome(app: Raw, status: Raw, hired: bool, ctx: MapContext | None = None) -> str:
    """DECLINED for a disposition (by id and name through the integration's map first) or a withdrawal,
    HIRED in the hire stage once a worker exists, else PENDING."""
    applied = one(app.get("Job_Applied_To_Data")) or {}
    disposition = applied.get("Disposition_Reference")
    stage = ref_id(applied.get("Stage_Reference"), "Recruiting_Stage_ID")
    names = (ref_id(disposition, "Applicant_Disposition_ID", "Disposition_ID"), descriptor(disposition), stage)
    if disposition:
        kind = "disposed"
    elif _flag(status.get("Withdrawn")):
        kind = "withdrawn"
    else:
        kind = "hired" if hired and stage == "Ready_for_Hire" else "pending"
    named = tuple(n for n in names if n)
    return ctx.outcome(OUTCOMES, kind, names=named) if ctx else OUTCOMES.decide(kind, names=named)


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A candidate with its job applications (one Workday record, two unified models)."""
    cid = candidate_id(raw)
    data = one(raw.get("Candidate_Data")) or {}
    name = dig(data, "Name_Data/Preferred_Name/Name_Detail_Data") or dig(data, "Name_Data/Legal_Name/Name_Detail_Data")
    contact = one(data.get("Contact_Data")) or {}
    status = one(data.get("Status_Data")) or {}
    email, phone = text(contact.get("Email_Address")), text(contact.get("Phone_Number"))
    place = one(contact.get("Location_Data")) or {}
    city, country = text(place.get("City")), ref_id(place.get("Country_Reference"), "ISO_3166-1_Alpha-2_Code")
    apps = many(data.get("Job_Application_Data"))
    stamps = [when(dig(a, "Job_Applied_To_Data/Status_Timestamp")) for a in apps]
    applied = [when(dig(a, "Job_Applied_To_Data/Job_Application_Date")) for a in apps]
    fields = {
        "first_name": text(dig(name, "First_Name")),
        "last_name": text(dig(name, "Last_Name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": [{"type": None, "link": text(dig(w, "URL_Address"))} for w in many(contact.get("Website_Data"))
                         if text(dig(w, "URL_Address"))],  # fmt: skip
        "location": {"city": city, "country": country} if city or country else None,
        "remote_created_at": ctx.dt(min((a for a in applied if a), default=None)),
        "remote_updated_at": ctx.dt(max((s for s in stamps if s), default=None)),
        "custom_fields": {"candidate_id": text(data.get("Candidate_ID")),
                          "do_not_hire": _flag(status.get("Do_Not_Hire")), "withdrawn": _flag(status.get("Withdrawn")),
                          "worker_id": ref_id(data.get("Worker_Reference"), "Employee_ID")},  # fmt: skip
    }
    custom: dict[str, Any] = fields["custom_fields"]  # type: ignore[assignment]
    custom["tags"] = [descriptor(t) or ref_id(t) for t in many(data.get("Candidate_Tag_Reference"))]
    yield ctx.record("candidates", cid, fields, {"tag_ids": []})  # tags: the unified model is not served
    hired = bool(ref_id(data.get("Worker_Reference")))
    for app in apps:
        yield from _application(app, cid, status, hired, ctx)


def application_id(app: Raw) -> str | None:
    return ref_id(app.get("Job_Application_Reference"), "Job_Application_ID") or text(
        dig(app, "Job_Applied_To_Data/Job_Application_ID"))


def _application(app: Raw, cid: str | None, status: Raw, hired: bool, ctx: MapContext) -> Iterator[UnifiedRecord]:
    applied = one(app.get("Job_Applied_To_Data")) or {}
    aid = application_id(app)
    if not aid:
        return
    outcome = application_outcome(app, status, hired, ctx)
    disposition = applied.get("Disposition_Reference")
    stage = ref_id(applied.get("Stage_Reference"), "Recruiting_Stage_ID")
    fields = {
        "outcome": outcome,
        "rejection_reason_name": (descriptor(disposition) or ref_id(disposition)) if outcome == "DECLINED" else None,
        "candidate_id": ctx.ref("candidates", cid),
        "job_id": ctx.ref("jobs", ref_id(applied.get("Job_Requisition_Reference"), "Job_Requisition_ID")),
        "current_stage_id": ctx.ref("application_stages", stage) if stage else None,
        "remote_created_at": ctx.dt(when(applied.get("Job_Application_Date"))),
        "remote_updated_at": ctx.dt(when(applied.get("Status_Timestamp"))),
        "custom_fields": {"workflow_step": ref_id(applied.get("Workflow_Step_Reference"), "Workflow_Step_ID"),
                          "disposition_id": ref_id(disposition), "source": descriptor(applied.get("Source_Reference")),
                          "stage_name": descriptor(applied.get("Stage_Reference"))},  # fmt: skip
    }
    yield ctx.record("applications", aid, fields)
