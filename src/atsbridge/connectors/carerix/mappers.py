"""Carerix GraphQL records -> unified records. Pure functions: no network, no database.

No Carerix read answer was ever recorded: field names are those of the public GraphQL clients the reference
cites (``_id``, ``to<Relation>{_id}``, ``statusInfo{value, code, displayName}``) [conn]; ``toStatusNode`` on a
match follows the ``to<Kind>Node`` pattern of the recorded REST body [doc] (unverified on GraphQL). Dates are
parsed as ``YYYY-MM-DD HH:MM:SS +0200`` (the REST format [doc]), Amsterdam-local when the offset is missing,
or ISO 8601.

* Candidate = ``CREmployee``, job = ``CRVacancy``, application = ``CRMatch`` (employee x vacancy).
* Stages = the tenant's match-status data nodes (``CRDataNode``, type ``Matchstatus``): global, no job.
* Outcome (``OUTCOMES``): status nodes are customer data, so the integration's ``status_map`` (by the
  node's label or code) decides first; the default reads the label: "geplaatst"/"placed"/"hired" -> HIRED,
  "afgewezen"/"afgemeld"/"rejected"/"withdrawn" -> DECLINED, anything else PENDING. A ``CRWorkHistory``
  placement is not read (HIRED by placement is not built).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.carerix.api import ref
from atsbridge.connectors.kit.values import json_number, obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

OUTCOMES = OutcomeRule(statuses={"placed": "HIRED", "rejected": "DECLINED"}, default="PENDING")
_HIRED = ("geplaatst", "placed", "hired", "plaatsing")
_DECLINED = ("afgewezen", "afgemeld", "rejected", "withdrawn", "declined", "teruggetrokken")


def when(value: Any, ctx: MapContext) -> datetime | None:
    """``2026-01-05 09:00:00 +0100`` (REST [doc]) or Amsterdam-local without offset, else ``ctx.dt``."""
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S"):
            try:
                parsed = datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
            return ctx.dt(parsed if parsed.tzinfo else parsed.replace(tzinfo=AMSTERDAM))
    return ctx.dt(value)


def _stamps(raw: Raw, ctx: MapContext) -> dict[str, Any]:
    return {"remote_created_at": when(raw.get("creationDate"), ctx),
            "remote_updated_at": when(raw.get("modificationDate"), ctx)}  # fmt: skip


def map_user(raw: Raw, ctx: MapContext) -> Records:
    active = raw.get("isActive")
    fields = {"first_name": text(raw.get("firstName")), "last_name": text(raw.get("lastName")),
              "email": text(raw.get("emailAddress")),
              "status": None if active is None else "ACTIVE" if active else "INACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["_id"], fields, {"system_roles": []})


def map_status(raw: Raw, ctx: MapContext) -> Records:
    """A match-status node; its code (``"4.1"``) orders the pipeline when it is numeric."""
    code = text(raw.get("code"))
    try:
        index = int(float(code) * 10) if code else None
    except ValueError:
        index = None
    fields = {"name": text(raw.get("value")), "index": index,
              "status": "ACTIVE" if raw.get("isActive") is not False else "INACTIVE",
              "custom_fields": {"code": code}}  # fmt: skip
    yield ctx.record("application_stages", raw["_id"], fields)


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    status = text(obj(raw.get("toStatusNode")).get("value"))
    fields = {
        "name": text(raw.get("jobTitle")),
        "job_code": str(raw["vacancyID"]) if raw.get("vacancyID") is not None else None,
        "description": raw.get("introduction") if isinstance(raw.get("introduction"), str) else None,
        "status": "CLOSED" if raw.get("isClosed") is True else "OPEN",
        "employment_type": text(obj(raw.get("toContractTypeNode")).get("value")),
        "weekly_hours": json_number(raw.get("hoursPerWeek")),
        "salary_amount_from": json_number(raw.get("minSalary")),
        "salary_amount_to": json_number(raw.get("maxSalary")),
        "location": {"city": text(raw.get("workLocation")), "raw": text(raw.get("workLocation"))}
        if text(raw.get("workLocation")) else None,
        "contact_id": ctx.ref("users", ref(raw.get("toOwner"))),
        "custom_fields": {"status": status},
        **_stamps(raw, ctx),
    }  # fmt: skip
    yield ctx.record("jobs", raw["_id"], fields, {"screening_questions": [], "job_postings": []})


def map_employee(raw: Raw, ctx: MapContext) -> Records:
    email, phone, city = text(raw.get("emailAddress")), text(raw.get("mobileNumber")), text(raw.get("homeCity"))
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": "MOBILE"}] if phone else [],
        "location": {"city": city, "raw": city} if city else None,
        "source": text(obj(raw.get("toSourceNode")).get("value")),
        "custom_fields": {"employee_id": raw.get("employeeID")},
        **_stamps(raw, ctx),
    }
    yield ctx.record("candidates", raw["_id"], fields, {"tag_ids": []})


def status_of(label: str | None) -> str | None:
    """The default's reading of a customer's status label (the status map decides before it)."""
    lowered = (label or "").lower()
    if any(word in lowered for word in _HIRED):
        return "placed"
    if any(word in lowered for word in _DECLINED):
        return "rejected"
    return None


def outcome(raw: Raw, ctx: MapContext) -> str:
    info, node = obj(raw.get("statusInfo")), obj(raw.get("toStatusNode"))
    label = text(info.get("displayName")) or text(info.get("value")) or text(node.get("value"))
    return ctx.outcome(OUTCOMES, status_of(label), names=(label, text(info.get("code"))))


def map_match(raw: Raw, ctx: MapContext) -> Records:
    info = obj(raw.get("statusInfo"))
    decided = outcome(raw, ctx)
    fields = {
        "outcome": decided,
        "candidate_id": ctx.ref("candidates", ref(raw.get("toEmployee"))),
        "job_id": ctx.ref("jobs", ref(raw.get("toVacancy"))),
        "current_stage_id": ctx.ref("application_stages", ref(raw.get("toStatusNode"))),
        "rejected_at": when(raw.get("modificationDate"), ctx) if decided == "DECLINED" else None,
        "custom_fields": {"status": text(info.get("value")), "status_code": text(info.get("code")),
                          "publication_id": ref(raw.get("toPublication")),
                          "additional_info": raw.get("additionalInfo")},
        **_stamps(raw, ctx),
    }  # fmt: skip
    yield ctx.record("applications", raw["_id"], fields)


def map_note(raw: Raw, ctx: MapContext) -> Records:
    """A note belongs to a candidate (a unified note must): one without ``toEmployee`` is left out."""
    employee = ref(raw.get("toEmployee"))
    if employee is None:
        return
    fields = {
        "candidate_id": ctx.ref("candidates", employee),
        "application_id": ctx.ref("applications", ref(raw.get("toMatch"))),
        "author_id": ctx.ref("users", ref(raw.get("toUser"))),
        "title": text(raw.get("subject")),
        "content_html": raw.get("notes") if isinstance(raw.get("notes"), str) else None,
        **_stamps(raw, ctx),
    }
    yield ctx.record("notes", raw["_id"], fields)


def map_attachment(raw: Raw, ctx: MapContext) -> Records:
    employee = ref(raw.get("toEmployee"))
    if employee is None:
        return
    kind = " ".join(str(x or "") for x in (obj(raw.get("toTypeNode")).get("value"), raw.get("label"))).lower()
    name = text(raw.get("fileName")) or str(raw.get("filePath") or "").replace("\\", "/").rsplit("/", 1)[-1]
    fields = {
        "candidate_id": ctx.ref("candidates", employee),
        "application_id": ctx.ref("applications", ref(raw.get("toMatch"))),
        "type": "CV" if "cv" in kind.split() or "resume" in kind else "OTHER",
        "file_name": name or None,
        "content_type": text(raw.get("contentType")) or "application/octet-stream",
        **_stamps(raw, ctx),
    }
    yield ctx.record("attachments", raw["_id"], fields)
