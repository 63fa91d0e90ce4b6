"""JOIN v2 payloads -> unified records. Pure functions: no network, no database.

**No JOIN payload was ever recorded.** Jobs follow the fields a maintained client reads (reference §2.6 [conn]:
``id`` (int), ``title``, ``description``, ``createdAt``, ``lastUpdatedAt``, ``workplaceType``, ``remoteType``,
``employmentTypeId``, ``categoryId``, ``seniorityId``, ``office{...}``, ``salary{...}``, ``contact{...}``, ``status``
ONLINE|OFFLINE|ARCHIVED [3p]). The application read schema is **not public** [gap]: the mapper reads the names
the create request uses (``jobId``, ``candidateId``, ``candidate{email, firstName, lastName, phone}``, ``source``)
plus ``id``, ``status``, ``createdAt``, ``updatedAt``, and tolerates any of them missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import json_number, obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: [gap] JOIN's application status values are undocumented: only the obvious words are mapped; every customer
#: status the integration's status map names decides first.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "rejected": "DECLINED", "withdrawn": "DECLINED"})

_STATUS = {"ONLINE": "OPEN", "OFFLINE": "CLOSED", "ARCHIVED": "ARCHIVED"}
_REMOTE = {"REMOTE": "REMOTE", "HYBRID": "HYBRID", "ONSITE": "ON_SITE", "ON_SITE": "ON_SITE"}
_PERIOD = {"PER_YEAR": "YEAR", "PER_MONTH": "MONTH", "PER_WEEK": "WEEK", "PER_DAY": "DAY", "PER_HOUR": "HOUR"}


def map_job(raw: Raw, ctx: MapContext) -> Records:
    office, salary, status = obj(raw.get("office")), obj(raw.get("salary")), str(raw.get("status") or "")
    street = " ".join(p for p in (text(office.get("streetName")), text(office.get("streetNumber"))) if p)
    location = {"city": text(office.get("city")), "country": text(office.get("countryIso")),
                "zip_code": text(office.get("postalCode")), "street_1": street or None,
                "raw": text(office.get("name"))} if office else None  # fmt: skip
    remote = str(raw.get("workplaceType") or raw.get("remoteType") or "").upper()
    fields = {
        "name": text(raw.get("title")),
        "description": raw.get("description") if isinstance(raw.get("description"), str) else None,
        "status": _STATUS.get(status, text(status)),
        "remote_work_status": _REMOTE.get(remote),
        "location": location,
        "salary_amount_from": json_number(salary.get("from")),
        "salary_amount_to": json_number(salary.get("to")),
        "salary_currency": text(salary.get("currency")),
        "salary_period": _PERIOD.get(str(salary.get("frequency") or "")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("lastUpdatedAt")),
        "custom_fields": {k: raw.get(k) for k in ("employmentTypeId", "categoryId", "seniorityId", "language")}
        | {"contact": raw.get("contact")},
    }
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": [], "job_postings": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    status = text(raw.get("status"))
    return ctx.outcome(OUTCOMES, status) if ctx is not None else OUTCOMES.decide(status)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """An application and its candidate (embedded; several applications may carry the same candidate)."""
    person = obj(raw.get("candidate"))
    cand_id = raw.get("candidateId") or person.get("id")
    if cand_id is not None:
        email, phone = text(person.get("email")), text(person.get("phone"))
        person_fields: dict[str, Any] = {
            "first_name": text(person.get("firstName")),
            "last_name": text(person.get("lastName")),
            "email_addresses": [{"email_address": email, "type": None}] if email else [],
            "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        }
        yield ctx.record("candidates", cand_id, person_fields, {"tag_ids": []})
    result = outcome(raw, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": None,
        "job_id": ctx.ref("jobs", raw.get("jobId")),
        "candidate_id": ctx.ref("candidates", cand_id),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "custom_fields": {"status": raw.get("status"), "source": raw.get("source")},
    }
    yield ctx.record("applications", raw["id"], fields)
