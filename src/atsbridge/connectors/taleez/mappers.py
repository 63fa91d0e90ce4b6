"""Taleez records -> unified records. Pure functions: no network, no database.

No Taleez payload was recorded: the shapes are the documented ones (OpenAPI 0.4.0 [doc mirror], newer fields
from generated clients [conn]). Dates are epoch numbers whose unit differs between examples (job
``dateCreation`` 1567771321 looks like seconds, application ``date`` 1579978410000 like milliseconds) [gap]:
a value above 10^11 is read as milliseconds, else seconds.

Applications come from ``/candidates/{id}/applications`` and carry no candidate id: the fan-out attaches
the candidate under ``_parent``. There is no stage list, only the free-text ``currentStepName`` (each
customer names its steps): it becomes ``current_stage`` by name, not a stage record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: ``rejected: true`` is DECLINED whatever the step. Otherwise HIRED only by the step's name: the usual French
#: and English names here, every other name through the integration's status map (customers name their steps).
OUTCOMES = OutcomeRule(statuses={"embauché": "HIRED", "embauche": "HIRED", "recruté": "HIRED", "hired": "HIRED"})
_ROLES = {"OWNER": "ADMIN", "ADMIN": "ADMIN", "RECRUITER": "RECRUITER", "MANAGER": "HIRING_MANAGER"}
_STATUS = {"PUBLISHED": "OPEN", "DRAFT": "DRAFT", "DONE": "CLOSED", "SUSPENDED": "ARCHIVED"}
_VISIBILITY = {"PUBLIC": "PUBLIC", "INTERNAL": "INTERNAL", "INTERNAL_AND_PUBLIC": "PUBLIC", "PRIVATE": "UNLISTED"}
_CONTRACT = {"CDI": "FULL_TIME", "PERMANENT": "FULL_TIME", "CDD": "TEMPORARY", "FIXEDTERM": "TEMPORARY",
             "INTERIM": "TEMPORARY", "FREELANCE": "CONTRACT", "INTERNSHIP": "INTERNSHIP",
             "SEASON": "SEASONAL"}  # fmt: skip


def epoch(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    contract = str(raw.get("contract") or "")
    place = {"city": raw.get("city"), "zip_code": raw.get("postalCode"), "country": raw.get("country")}
    fields = {
        "name": raw.get("label"),
        "description": "".join(
            str(raw[k]) for k in ("jobDescription", "profileDescription", "companyDescription") if raw.get(k)
        )
        or None,  # fmt: skip
        "category": raw.get("profile"),
        "status": _STATUS.get(str(raw.get("currentStatus")), raw.get("currentStatus")),
        "visibility": _VISIBILITY.get(str(raw.get("visibility")), raw.get("visibility")),
        "employment_type": _CONTRACT.get(contract, contract or None),
        "remote_work_status": "REMOTE" if raw.get("remote") is True else None,
        "location": place if any(place.values()) else None,
        "post_url": raw.get("url"),
        "remote_created_at": epoch(raw.get("dateCreation")),
        "custom_fields": {
            "company": raw.get("companyLabel"),
            "tags": raw.get("tags"),
            "contract_length_months": raw.get("contractLength"),
            "full_time": raw.get("fullTime"),
            "apply_url": raw.get("urlApplying"),
            "token": raw.get("token"),
        },  # fmt: skip
    }
    fields["contact_id"] = ctx.ref("users", raw.get("recruiterId"))
    questions = [question(raw["id"], q, ctx) for q in sorted(
        (q for q in raw.get("_questions") or [] if isinstance(q, dict) and q.get("id") is not None),
        key=lambda q: q["order"] if isinstance(q.get("order"), int) else 0)]  # fmt: skip
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": questions})


_FORMATS: dict[str, Raw] = {"INPUT": {"type": "TEXT", "display_type": "SINGLE_LINE"},
                            "TEXTAREA": {"type": "TEXT", "display_type": "MULTI_LINE"},
                            "NUMBER": {"type": "NUMBER"}, "DATE": {"type": "DATE"},
                            "DOC": {"type": "FILE"}}  # fmt: skip
_SELECTS = {
    "RADIO": "SINGLE_SELECT",
    "SELECT": "SINGLE_SELECT",
    "CHECKBOX": "MULTI_SELECT",
    "SELECTMUL": "MULTI_SELECT",
}


def question(job_id: Any, q: Raw, ctx: MapContext) -> dict[str, Any]:
    """``/jobs/{id}/questions``: INPUT|TEXTAREA|NUMBER|DATE|DOC|SOCIALS|RADIO|SELECT|CHECKBOX|SELECTMUL|STAR."""
    kind, key = str(q.get("type")), f"{job_id}:{q['id']}"
    fmt: dict[str, Any] = dict(_FORMATS.get(kind) or {"type": "UNKNOWN", "raw_question": dict(q)})
    if kind in _SELECTS:
        options = [{"id": ctx.ref("question_options", f"{key}:{c.get('id')}"), "name": str(c.get("label")),
                    "remote_id": str(c.get("id"))} for c in q.get("choices") or [] if isinstance(c, dict)]  # fmt: skip
        fmt = {"type": _SELECTS[kind], "options": options}
    return {"id": ctx.ref("screening_questions", key), "remote_id": str(q["id"]), "title": q.get("label"),
            "required": q.get("required") is True, "format": fmt, "index": q.get("order")}  # fmt: skip


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    mail, phone = raw.get("mail"), raw.get("phone")
    links = dict_obj(raw.get("socialLinks"))
    loc = dict_obj(raw.get("location"))
    fields = {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "email_addresses": [{"email_address": mail, "type": None}] if mail else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": [{"type": k, "link": v} for k, v in links.items() if v],
        "location": {"city": loc.get("city"), "zip_code": loc.get("postalCode"), "country": loc.get("country")}
        if loc
        else None,
        "source": raw.get("initialReferrer"),
        "remote_created_at": epoch(raw.get("dateCreation")),
        "custom_fields": {"lang": raw.get("lang"), "unit_id": raw.get("unitId")},
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext) -> str:
    if raw.get("rejected") is True:
        return "DECLINED"
    return ctx.outcome(OUTCOMES, raw.get("currentStepName"))


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    parent = dict_obj(raw.get("_parent"))
    fields = {
        "outcome": outcome(raw, ctx),
        "job_id": ctx.ref("jobs", raw.get("jobId")),
        "candidate_id": ctx.ref("candidates", parent.get("id")),
        "remote_created_at": epoch(raw.get("date")),
        "custom_fields": {
            "type": raw.get("type"),
            "referer": raw.get("referer"),
            "step": raw.get("currentStepName"),
            "recruiter_id": raw.get("recruiterId"),
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["id"], fields)


def map_recruiter(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    fields = {"first_name": raw.get("firstName"), "last_name": raw.get("lastName"), "email": raw.get("mail"),
              "status": "INACTIVE" if raw.get("disabled") else "ACTIVE"}  # fmt: skip
    role = raw.get("role")
    roles = [{"remote_id": str(role), "remote_label": str(role), "unified_type": _ROLES.get(str(role))}] if role else []
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})
