"""Cornerstone OnDemand payloads -> unified records. Pure functions: no network, no database.

No CSOD payload was recorded. Requisitions follow the field list of the reference (``ReqId, Title,
CareerSites[{Name, EffectiveDate, ExpirationDate}], RangeLow, RangeHigh, Currency, Address, ExternalAd,
InternalAd, DivisionId, LocationId`` [conn]); ``Status`` (the values of the ``Statuses`` filter) and the parts
of ``Address`` are assumed names [gap]. The applicant row is **unverified** [gap]: its fields are named after
the listing's filters (``CsodGUID, FirstName, LastName, RequisitionID, JobTitle``, ``CurrentStatus``,
``StatusDate``) plus ``UserId`` (the key the status update takes [3p]), ``Email``, ``Phone`` and
``ApplicationDate``. Every field is read defensively: a missing or mistyped one maps to None.

An applicant row is one person on one requisition: it yields the candidate (remote id ``UserId``) and the
application (``{ReqId}:{UserId}``, see ``api.application_id``). Stages are the tenant's applicant status
names (rows ``{"Name", "_index"}`` built from the configured list): a stage's remote id is its name, and
the statuses that end as DECLINED double as rejection reasons (CSOD has no reason list; a rejection is a
move to a closing status).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.cornerstoneondemand.api import application_id
from atsbridge.connectors.kit.values import obj
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: Applicant statuses are workflow names each tenant configures [doc]: "Hired" is HIRED and the usual closing
#: names DECLINED; everything else is PENDING unless the integration's status map says otherwise.
OUTCOMES = OutcomeRule(
    statuses={"hired": "HIRED", "closed": "DECLINED", "rejected": "DECLINED", "withdrawn": "DECLINED",
              "declined": "DECLINED", "not selected": "DECLINED"},
    default="PENDING",
)  # fmt: skip

#: Requisition statuses (the ``Statuses`` filter's values [conn]) -> unified job status.
_JOB_STATUS = {"open": "OPEN", "open - pending re - approval": "OPEN", "draft": "DRAFT",
               "pending approval": "DRAFT", "approval denied": "DRAFT", "closed": "CLOSED",
               "cancelled": "ARCHIVED", "on hold": "ARCHIVED"}  # fmt: skip


def _text(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "")) if _text(value) else None
    except ValueError:
        return None


def _location(value: Any) -> Raw | None:
    """``Address``: an object [gap: its parts are assumed] or a plain string."""
    if isinstance(value, str):
        return {"raw": value.strip()} if value.strip() else None
    addr = obj(value)
    parts = {"street_1": _text(addr.get("Line1")), "street_2": _text(addr.get("Line2")),
             "city": _text(addr.get("City")), "state": _text(addr.get("State")),
             "zip_code": _text(addr.get("PostalCode")), "country": _text(addr.get("Country"))}  # fmt: skip
    if not any(parts.values()):
        return None
    return {**parts, "raw": ", ".join(p for p in parts.values() if p)}


def map_requisition(raw: Raw, ctx: MapContext) -> Records:
    req_id = _text(raw.get("ReqId"))
    if req_id is None:
        return
    status = _text(raw.get("Status"))
    unified = _JOB_STATUS.get((status or "").lower(), status)
    external, internal = _text(raw.get("ExternalAd")), _text(raw.get("InternalAd"))
    sites = [s for s in raw.get("CareerSites") or [] if isinstance(s, Mapping) and _text(s.get("Name"))]
    fields = {
        "name": _text(raw.get("Title")),
        "job_code": req_id,
        "description": external or internal,
        "status": unified,
        # posted to an external career site: public; only internal ones: internal [gap: site kinds unnamed]
        "visibility": None
        if not sites
        else "INTERNAL"
        if all("internal" in str(s["Name"]).lower() for s in sites)
        else "PUBLIC",  # fmt: skip
        "salary_amount_from": _number(raw.get("RangeLow")),
        "salary_amount_to": _number(raw.get("RangeHigh")),
        "salary_currency": _text(raw.get("Currency")),
        "location": _location(raw.get("Address")),
        "custom_fields": {
            "division_id": raw.get("DivisionId"),
            "location_id": raw.get("LocationId"),
            "status": status,
            "internal_ad": internal,
        },  # fmt: skip
    }
    postings = [
        {"id": ctx.ref("job_postings", f"{req_id}:{s['Name']}"), "remote_id": f"{req_id}:{s['Name']}",
         "title": fields["name"], "description_html": internal if "internal" in str(s["Name"]).lower() else external,
         "status": "ACTIVE" if unified == "OPEN" else "INACTIVE",
         "visibility": "INTERNAL" if "internal" in str(s["Name"]).lower() else "PUBLIC", "url": None}
        for s in sites
    ]  # fmt: skip
    yield ctx.record("jobs", req_id, fields, {"screening_questions": [], "job_postings": postings})


def map_status(raw: Raw, ctx: MapContext) -> Records:
    """A configured applicant status: a stage, and also a rejection reason when it closes an application as
    DECLINED (by the default rule or the integration's status map). Rejecting moves an applicant to it."""
    name = _text(raw.get("Name"))
    if name is None:
        return
    index = raw.get("_index") if isinstance(raw.get("_index"), int) else None
    yield ctx.record("application_stages", name, {"name": name, "status": "ACTIVE", "index": index})
    if ctx.outcome(OUTCOMES, name) == "DECLINED":
        yield ctx.record("rejection_reasons", name, {"name": name})


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """One applicant row -> its candidate and its application on the requisition."""
    user, req = _text(raw.get("UserId")), _text(raw.get("RequisitionID"))
    if user is None or req is None:
        return
    email, phone = _text(raw.get("Email")), _text(raw.get("Phone"))
    candidate = {
        "first_name": _text(raw.get("FirstName")),
        "last_name": _text(raw.get("LastName")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "custom_fields": {"csod_guid": raw.get("CsodGUID")},
    }
    yield ctx.record("candidates", user, candidate, {"tag_ids": []})
    status = _text(raw.get("CurrentStatus"))
    outcome = ctx.outcome(OUTCOMES, status)
    fields = {
        "outcome": outcome,
        "rejected_at": ctx.dt(raw.get("StatusDate")) if outcome == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", status) if status else None,
        "job_id": ctx.ref("jobs", req),
        "candidate_id": ctx.ref("candidates", user),
        "remote_created_at": ctx.dt(raw.get("ApplicationDate")),
        "custom_fields": {
            "status": status,
            "status_date": raw.get("StatusDate"),
            "job_title": raw.get("JobTitle"),
            "submission_source": raw.get("SubmissionSource"),
        },  # fmt: skip
    }
    yield ctx.record("applications", application_id(req, user), fields)
