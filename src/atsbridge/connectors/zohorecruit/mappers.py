"""Zoho Recruit v2 records -> unified records. Pure functions: no network, no database.

Records are flat maps keyed by field API names; lookups are ``{"name", "id"}`` objects; ids are 18-digit
numeric strings [doc examples]. No list payload of Recruit was ever recorded: the field names below are the
documented/metadata ones (reference §10.6) and, for the Applications module (``Candidate_Name``,
``Job_Opening_Name`` lookups, ``Application_Status``), unverified [gap]. Orgs rename and add fields, so every
field is read defensively and unknown ones are ignored.

Stages: Recruit has no per-job pipelines; the status picklist (``Application_Status``, org-wide and
customer-defined) is the pipeline. Its values come from the field metadata (``/settings/fields``) and become
global stages whose remote id is the status value itself, so an application names its stage without a lookup.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]
STATUS_FIELD = "Application_Status"

#: Zoho's stock statuses [3p]; the org renames or adds its own, which the integration's status_map maps.
OUTCOMES = OutcomeRule(
    statuses={"Hired": "HIRED", "Offer-Accepted": "HIRED", "Converted - Employee": "HIRED", "Joined": "HIRED",
              "Rejected": "DECLINED", "Rejected-by-client": "DECLINED", "Rejected-for-Interview": "DECLINED",
              "Offer-Declined": "DECLINED", "Offer-Withdrawn": "DECLINED", "Not-Qualified": "DECLINED",
              "Withdrawn": "DECLINED", "Unqualified": "DECLINED", "No-Show": "DECLINED", "Junk candidate": "DECLINED"},
)  # fmt: skip
_JOB_STATUS = {"in-progress": "OPEN", "filled": "CLOSED", "cancelled": "ARCHIVED", "declined": "ARCHIVED",
               "inactive": "CLOSED", "on-hold": "DRAFT", "waiting for approval": "DRAFT", "draft": "DRAFT"}  # fmt: skip
_EMPLOYMENT = {"full time": "FULL_TIME", "part time": "PART_TIME", "contract": "CONTRACT", "temporary": "TEMPORARY",
               "training": "INTERNSHIP", "internship": "INTERNSHIP", "seasonal": "SEASONAL",
               "volunteer": "VOLUNTEER", "freelance": "CONTRACT"}  # fmt: skip
_CANDIDATE_KEYS = {"id", "First_Name", "Last_Name", "Email", "Secondary_Email", "Mobile", "Phone", "Source", "City",
                   "Current_Employer", "Current_Job_Title", "State", "Country", "Zip_Code", "Street", "LinkedIn__s",
                   "Twitter", "Created_Time", "Modified_Time", "Associated_Tags", "Candidate_Owner", "Created_By",
                   "Modified_By", "Owner"}  # fmt: skip


def text(value: Any) -> str | None:
    """A plain field as text; a lookup's ``name``; None for blanks and other shapes."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, bool) or value is None:
        return None
    out = str(value).strip() if isinstance(value, str | int | float) else ""
    return out or None


def lookup_id(value: Any) -> str | None:
    """The id of a ``{"name", "id"}`` lookup (or a bare id)."""
    found = value.get("id") if isinstance(value, dict) else value
    return str(found) if isinstance(found, str | int) and not isinstance(found, bool) and found else None


def number(value: Any) -> float | None:
    """A number field (Zoho sends currency and counts as numbers or text); None for blanks and junk."""
    try:
        out = float(str(value).replace(",", "")) if isinstance(value, str | int | float) else math.nan
    except ValueError:
        return None
    return out if math.isfinite(out) and not isinstance(value, bool) else None


def _location(raw: Raw) -> dict[str, Any] | None:
    parts = {"city": text(raw.get("City")), "state": text(raw.get("State")), "country": text(raw.get("Country")),
             "zip_code": text(raw.get("Zip_Code")), "street_1": text(raw.get("Street"))}  # fmt: skip
    if not any(parts.values()):
        return None
    raw_text = ", ".join(v for v in (parts["city"], parts["state"], parts["country"]) if v)
    return {**parts, "raw": raw_text or None}


def _extra(raw: Raw, known: set[str]) -> dict[str, Any]:
    """The org's other scalar fields (custom fields included) as custom_fields; ``$`` keys are Zoho internals."""
    return {k: v for k, v in raw.items() if k not in known and not k.startswith(("$", "_"))
            and (v is None or isinstance(v, str | int | float | bool))}  # fmt: skip


def map_user(raw: Raw, ctx: MapContext) -> Records:
    fields = {"first_name": text(raw.get("first_name")), "last_name": text(raw.get("last_name")),
              "email": text(raw.get("email")),
              "status": {"active": "ACTIVE"}.get(str(raw.get("status")).lower(), "INACTIVE")}  # fmt: skip
    yield ctx.record("users", raw["id"], fields, {"system_roles": []})


def map_stage_field(raw: Raw, ctx: MapContext) -> Records:
    """The status picklist's values (from the module's field metadata) as the org-wide stages; the values that
    mean DECLINED (by the integration's map, else the default rule) are the rejection reasons too."""
    if raw.get("api_name") != STATUS_FIELD:
        return
    for index, value in enumerate(raw.get("pick_list_values") or []):
        name = text(value.get("actual_value")) if isinstance(value, dict) else None
        if name is None or name == "-None-":
            continue
        label, outcome = text(value.get("display_value")) or name, ctx.outcome(OUTCOMES, name)
        fields = {"name": label, "index": index, "status": "ACTIVE", "job_id": None,
                  "custom_fields": {"outcome": outcome}}  # fmt: skip
        yield ctx.record("application_stages", name, fields)
        if outcome == "DECLINED":
            yield ctx.record("rejection_reasons", name, {"name": label})


def map_job(raw: Raw, ctx: MapContext) -> Records:
    status, employment = str(raw.get("Job_Opening_Status") or ""), text(raw.get("Job_Type"))
    recruiters = raw.get("Assigned_Recruiter")
    recruiter = recruiters[0] if isinstance(recruiters, list) and recruiters else recruiters
    fields = {
        "name": text(raw.get("Job_Opening_Name")) or text(raw.get("Posting_Title")),
        "job_code": text(raw.get("Job_Opening_ID")),
        "description": text(raw.get("Job_Description")),
        "department": text(raw.get("Department_Name")),
        "category": text(raw.get("Industry")),
        "experience_level": text(raw.get("Work_Experience")),
        "salary_amount": number(raw.get("Salary")),
        "salary_currency": text(raw.get("Currency")),
        "opened_at": ctx.dt(raw.get("Date_Opened")),
        "closed_at": ctx.dt(raw.get("Target_Date")) if _JOB_STATUS.get(status.lower()) == "CLOSED" else None,
        "remote_created_at": ctx.dt(raw.get("Created_Time")),
        "remote_updated_at": ctx.dt(raw.get("Modified_Time")),
        "contact_id": ctx.ref("users", lookup_id(recruiter)),
        "employment_type": _EMPLOYMENT.get(employment.lower(), employment) if employment else None,
        "status": _JOB_STATUS.get(status.lower(), text(status)),
        "visibility": ("PUBLIC" if raw.get("Publish") is True else "INTERNAL") if "Publish" in raw else None,
        "remote_work_status": "REMOTE" if raw.get("Remote_Job") is True else None,
        "location": _location(raw),
        "custom_fields": {"Job_Opening_Status": raw.get("Job_Opening_Status"), "Client_Name":
                          text(raw.get("Client_Name")), "Number_of_Positions": raw.get("Number_of_Positions")},
    }
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": [], "job_postings": [], "hiring_team": []})


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    emails = [{"email_address": e, "type": kind} for e, kind in ((text(raw.get("Email")), "PERSONAL"),
              (text(raw.get("Secondary_Email")), "OTHER")) if e]  # fmt: skip
    phones = [{"phone_number": p, "type": kind} for p, kind in ((text(raw.get("Mobile")), None),
              (text(raw.get("Phone")), None)) if p]  # fmt: skip
    social = [{"type": kind, "link": link, "username": None} for kind, link in
              (("linkedin", text(raw.get("LinkedIn__s"))), ("twitter", text(raw.get("Twitter")))) if link]  # fmt: skip
    tags = raw.get("Associated_Tags")
    tag_ids = [ctx.ref("tags", lookup_id(t)) for t in tags if lookup_id(t)] if isinstance(tags, list) else []
    fields = {
        "first_name": text(raw.get("First_Name")),
        "last_name": text(raw.get("Last_Name")),
        "company": text(raw.get("Current_Employer")),
        "title": text(raw.get("Current_Job_Title")),
        "source": text(raw.get("Source")),
        "email_addresses": emails,
        "phone_numbers": phones,
        "social_media": social,
        "location": _location(raw),
        "remote_created_at": ctx.dt(raw.get("Created_Time")),
        "remote_updated_at": ctx.dt(raw.get("Modified_Time")),
        "custom_fields": _extra(raw, _CANDIDATE_KEYS),
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": tag_ids})


def map_application(raw: Raw, ctx: MapContext) -> Records:
    status = text(raw.get(STATUS_FIELD))
    result = ctx.outcome(OUTCOMES, status)
    fields = {
        "outcome": result,
        "rejection_reason_name": status if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", status),
        "job_id": ctx.ref("jobs", lookup_id(raw.get("Job_Opening_Name"))),
        "candidate_id": ctx.ref("candidates", lookup_id(raw.get("Candidate_Name"))),
        "remote_created_at": ctx.dt(raw.get("Created_Time")),
        "remote_updated_at": ctx.dt(raw.get("Modified_Time")),
        "custom_fields": {STATUS_FIELD: status, "Application_ID": raw.get("Application_ID")},
    }
    yield ctx.record("applications", raw["id"], fields)


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """A tag of the Candidates module (records carry theirs as ``Associated_Tags``: ``{"name", "id"}``)."""
    yield ctx.record("tags", raw["id"], {"name": text(raw.get("name"))})
