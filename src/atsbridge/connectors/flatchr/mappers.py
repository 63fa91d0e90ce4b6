"""Flatchr records -> unified records. Pure functions: no network, no database.

Shapes: the vacancy is the documented one (``GET /company/{id}/vacancies`` [doc][conn]; the careers-host
listing in ``fakes/flatchr/payloads/`` is its recorded subset); columns ``{id, title, ...}`` and the applicant
search rows ``{applicant, vacancy, column, vacancy_id, external_id, status, score, hired, firstname, lastname,
email, phone, created_at, source}`` come from HrFlow's client [conn], unverified on a tenant.

Identity (the vendor's two-id trap): a vacancy's remote id is its hash ``id`` (the id the write paths take);
the search names the integer ``vacancy_id``, resolved through the ``VACANCIES`` lookup (attached as
``_vacancy``). The search row has no candidate id (Flatchr shows it only in the answer of a column move, a
write), so a candidate is its applicant: one candidate per applicant, remote id = ``applicant``. An
application's remote id is ``"<vacancy_id>:<applicant>"`` so a write knows the vacancy without a lookup.
Columns are company-wide (no job); the search names the column by title (attached as ``_column``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: ``hired: true`` is HIRED. Refusal is a column the customer names (or an archive, which removes the
#: applicant): the usual French/English names are DECLINED here, others through the integration's status map.
OUTCOMES = OutcomeRule(
    statuses={"hired": "HIRED"},
    stages={"refusé": "DECLINED", "refuse": "DECLINED", "refusés": "DECLINED", "refused": "DECLINED",
            "rejected": "DECLINED", "non retenu": "DECLINED", "embauché": "HIRED", "recruté": "HIRED"},
)  # fmt: skip
#: ``status`` is an undocumented integer [gap]; 1 is what the published listing in the recorded payload shows.
_STATUS = {0: "DRAFT", 1: "OPEN", 2: "CLOSED", 3: "ARCHIVED"}
_REMOTE = {"fulltime": "REMOTE", "parttime": "HYBRID", "notime": "ON_SITE"}
_PERIOD = {"y": "YEAR", "m": "MONTH", "d": "DAY", "h": "HOUR"}
_EXPERIENCE = {1: "< 1 year", 2: "1-3 years", 4: "3-5 years", 6: "> 5 years"}  # [conn] HrFlow's enum


def norm(value: object) -> str | None:
    return str(value).strip().lower() or None if value is not None else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number or None  # "0" is Flatchr's "no salary" (recorded payload)


def _when(value: Any, ctx: MapContext) -> datetime | None:
    """ISO strings and unix seconds both occur (even in one object) [doc]; anything else is dropped."""
    try:
        return ctx.dt(value)
    except (TypeError, ValueError, OverflowError):
        return None


def application_remote_id(vacancy_id: object, applicant: object) -> str:
    return f"{vacancy_id}:{applicant}"


def column_entry(raw: Raw) -> dict[str, Any]:
    return {"id": raw.get("id"), "title": raw.get("title")}


def vacancy_entry(raw: Raw) -> dict[str, Any]:
    return {"id": raw.get("id"), "slug": raw.get("slug"), "title": raw.get("title")}


def map_column(raw: Raw, ctx: MapContext) -> Records:
    index = raw.get("position", raw.get("order"))
    fields = {"name": text(raw.get("title")), "index": index if isinstance(index, int) else None, "job_id": None,
              "status": "ACTIVE"}  # fmt: skip
    yield ctx.record("application_stages", raw["id"], fields)


def _address(raw: Raw) -> dict[str, Any] | None:
    addr = raw.get("address")
    if isinstance(addr, str):
        return {"raw": addr} if addr.strip() else None
    a = obj(addr)
    place = {"street_1": text(a.get("street") or a.get("address")), "city": text(a.get("city") or a.get("locality")),
             "zip_code": text(a.get("zip") or a.get("postal_code")), "country": text(a.get("country")),
             "raw": text(a.get("formatted_address"))}  # fmt: skip
    return place if any(place.values()) else None


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    status, experience = raw.get("status"), raw.get("experience")
    parts = [str(raw[k]) for k in ("description", "mission", "profile") if text(raw.get(k))]
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("reference")),
        "description": "".join(parts) or None,
        "status": _STATUS.get(status) if isinstance(status, int) else None,
        "remote_work_status": _REMOTE.get(str(raw.get("remote") or "")),
        "salary_amount_from": _number(raw.get("salary")),
        "salary_amount_to": _number(raw.get("salary_max")),
        "salary_currency": text(raw.get("currency")),
        "salary_period": _PERIOD.get(str(raw.get("mensuality") or "")),
        "location": _address(raw),
        "post_url": text(raw.get("apply_url")),
        "remote_created_at": _when(raw.get("created_at"), ctx),
        "remote_updated_at": _when(raw.get("updated_at"), ctx),
        "custom_fields": {
            "vacancy_id": raw.get("vacancy_id"), "slug": raw.get("slug"), "status": status,
            "language": raw.get("language"), "contract_type_id": raw.get("contract_type_id"),
            "education_level_id": raw.get("education_level_id"), "activity_id": raw.get("activity_id"),
            "metier_id": raw.get("metier_id"), "channel_id": raw.get("channel_id"),
            "experience": _EXPERIENCE.get(experience, experience) if isinstance(experience, int) else experience,
            "start_date": raw.get("start_date"), "end_date": raw.get("end_date"), "tags": raw.get("tags"),
        },
    }  # fmt: skip
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": []})


def outcome(raw: Raw, ctx: MapContext) -> str:
    """HIRED when ``hired`` is true; else the column's name decides (customer-named: the status map first)."""
    return ctx.outcome(OUTCOMES, "hired" if raw.get("hired") is True else None, stage=norm(raw.get("column")),
                       names=(text(raw.get("column")),))  # fmt: skip


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """One search row -> its candidate (remote id = the applicant id) and its application."""
    applicant = raw["applicant"]
    email, phone = text(raw.get("email")), text(raw.get("phone"))
    created = _when(raw.get("created_at"), ctx)
    candidate = {
        "first_name": text(raw.get("firstname")),
        "last_name": text(raw.get("lastname")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "source": text(raw.get("source")),
        "remote_created_at": created,
        "custom_fields": {"external_id": raw.get("external_id")},
    }
    yield ctx.record("candidates", applicant, candidate, {"tag_ids": []})
    vacancy, column = obj(raw.get("_vacancy")), obj(raw.get("_column"))
    fields = {
        "outcome": outcome(raw, ctx),
        "current_stage_id": ctx.ref("application_stages", column.get("id")),
        "job_id": ctx.ref("jobs", vacancy.get("id")),
        "candidate_id": ctx.ref("candidates", applicant),
        "remote_created_at": created,
        "custom_fields": {
            "vacancy_id": raw.get("vacancy_id"),
            "vacancy": raw.get("vacancy"),
            "column": raw.get("column"),
            "status": raw.get("status"),
            "score": raw.get("score"),
            "hired": raw.get("hired"),
        },  # fmt: skip
    }
    yield ctx.record("applications", application_remote_id(raw.get("vacancy_id"), applicant), fields)


#: Flatchr has no rejection reasons; ``reject_application`` (which needs one) refuses through the one there is.
REFUSAL = {"id": "refused", "name": "Refused (a refused column, else archived)"}


def reason_rows() -> list[dict[str, Any]]:
    return [dict(REFUSAL)]


def map_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": raw.get("name")})
