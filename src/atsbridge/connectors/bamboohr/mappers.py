"""BambooHR Applicant Tracking records -> unified records. Pure functions: no network, no database.

Shapes are the recorded ones (``fakes/bamboohr/payloads``): list rows carry ``id, appliedDate, status{id,label},
rating, applicant{id,firstName,lastName,avatar,email,source}, job{id,title{label}}``; the detail adds
``status.dateChanged``, the applicant's phone/address/links and ``questionsAndAnswers``. Every mapper reads
both, so a list row maps too (with fewer fields).

Keys starting with ``_`` are lookups the connector's fetch attached: the status table (to key the outcome on
the status ``code``, since names and ids are configurable) and the hiring lead's user id (jobs name the lead
by *employee* id, users by user id).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import any_text as text
from atsbridge.connectors.outcomes import Outcome, OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

#: Status codes that end an application without a hire (the reference's outcome table). ``MOVED`` means the
#: application was moved to another job: terminal for this one, so it is not PENDING either.
DECLINED_CODES = frozenset({"NOFIT", "DECLINED", "NOQUAL", "OVERQUAL", "POACHED", "DELETED", "MOVED"})
#: The default rule, on the status code; an integration's ``status_map`` may name a status (label or id).
OUTCOMES = OutcomeRule(statuses={"HIRED": "HIRED", **dict.fromkeys(DECLINED_CODES, "DECLINED")})
#: Statuses a company rejects with: they double as the rejection reasons (BambooHR has no separate list).
#: ``DELETED`` and ``MOVED`` are bookkeeping, not reasons.
REJECTION_CODES = frozenset({"NOFIT", "DECLINED", "NOQUAL", "OVERQUAL", "POACHED"})
#: Job opening status labels (``statusGroups``) -> unified job status. On hold takes no applicants.
JOB_STATUSES: dict[str, str] = {
    "open": "OPEN", "draft": "DRAFT", "on hold": "CLOSED", "filled": "CLOSED", "canceled": "CLOSED",
    "cancelled": "CLOSED", "deleted": "ARCHIVED",
}  # fmt: skip
#: BambooHR's one job role: the hiring lead of an opening.
HIRING_LEAD = {"remote_id": "hiring_lead", "remote_label": "Hiring Lead", "unified_type": "HIRING_MANAGER"}


def _label(value: Any) -> str | None:
    return text(value.get("label")) if isinstance(value, dict) else text(value)


def _address(address: Any, raw: str | None = None) -> Json | None:
    if not isinstance(address, dict):
        return {"raw": raw} if raw else None
    fields = {
        "street_1": text(address.get("addressLine1")),
        "street_2": text(address.get("addressLine2")),
        "city": text(address.get("city")),
        "state": text(address.get("state")),
        "zip_code": text(address.get("zipcode")),
        "country": text(address.get("country")),
    }
    if raw:
        fields["raw"] = raw
    return fields if any(fields.values()) else None


# ------------------------------------------------------------------------------------------ users, roles
def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``/meta/users`` values. ``status`` is ``enabled``/``disabled``."""
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "email": text(raw.get("email")),
        "status": "ACTIVE" if raw.get("status") == "enabled" else "INACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": []})


def role_rows() -> list[Json]:
    """BambooHR exposes no roles; the hiring lead is the one fixed job role (users carry no access level)."""
    return [{"id": HIRING_LEAD["remote_id"], "name": HIRING_LEAD["remote_label"], "scope": "JOB",
             "type": HIRING_LEAD["unified_type"]}]  # fmt: skip


def map_role(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("roles", raw["id"], {"remote_label": raw["name"], "scope": raw["scope"],
                                          "unified_type": raw.get("type")})  # fmt: skip


# ------------------------------------------------------------------------------------ statuses (= stages)
def map_status(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A status of the company-wide pipeline: a stage (``job_id`` None), and for the rejecting ones also a
    rejection reason under the same id (rejecting *is* moving to such a status). ``_index`` is its position."""
    name = text(raw.get("translatedName")) or text(raw.get("name"))
    fields = {
        "name": name,
        "status": "ACTIVE" if raw.get("enabled", True) else "INACTIVE",
        "index": raw.get("_index"),
        "job_id": None,
        "custom_fields": {"code": raw.get("code")},
    }
    yield ctx.record("application_stages", raw["id"], fields)
    if raw.get("code") in REJECTION_CODES:
        yield ctx.record("rejection_reasons", raw["id"], {"name": name})


# ------------------------------------------------------------------------------------------------ jobs
def _hiring_team(raw: Raw, ctx: MapContext) -> list[Json]:
    user_id = raw.get("_hiring_lead_user_id")
    if user_id is None:
        return []
    return [{"user_id": ctx.ref("users", user_id), "hiring_team_roles": ["HIRING_MANAGER"],
             "job_roles": [HIRING_LEAD]}]  # fmt: skip


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job opening summary (``/applicant_tracking/jobs``): the only job shape the API has."""
    status = _label(raw.get("status"))
    unified_status = JOB_STATUSES.get((status or "").lower())
    location = raw.get("location") or {}
    posting = {
        "id": ctx.ref("job_postings", raw["id"]),
        "remote_id": str(raw["id"]),
        "title": _label(raw.get("title")),
        "status": "ACTIVE" if unified_status == "OPEN" else "DRAFT" if unified_status == "DRAFT" else "INACTIVE",
        "visibility": "PUBLIC",
        "url": raw.get("postingUrl"),
    }
    fields = {
        "name": _label(raw.get("title")),
        "department": _label(raw.get("department")),
        "status": unified_status,
        "post_url": raw.get("postingUrl"),
        "location": _address(location.get("address"), _label(location)),
        "remote_created_at": ctx.dt(raw.get("postedDate")),
        "custom_fields": {"status": status, "totalApplicantsCount": raw.get("totalApplicantsCount")},
    }
    nested = {"job_postings": [posting] if raw.get("postingUrl") else [], "hiring_team": _hiring_team(raw, ctx)}
    yield ctx.record("jobs", raw["id"], fields, nested)


# ------------------------------------------------------------------------------ candidates, applications
def _social(applicant: Raw) -> list[Json]:
    links = [("linkedin", applicant.get("linkedinUrl")), ("website", applicant.get("websiteUrl"))]
    out = [{"type": kind, "link": link} for kind, link in links if text(link)]
    if text(applicant.get("twitterUsername")):
        out.append({"type": "twitter", "username": applicant["twitterUsername"]})
    return out


def candidate(raw: Raw, ctx: MapContext) -> UnifiedRecord:
    """The applicant embedded in an application: BambooHR has no candidate listing of its own."""
    applicant = raw["applicant"]
    email, phone = text(applicant.get("email")), text(applicant.get("phoneNumber"))
    fields = {
        "first_name": text(applicant.get("firstName")),
        "last_name": text(applicant.get("lastName")),
        "source": text(applicant.get("source")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": _social(applicant),
        "location": _address(applicant.get("address")),
        "remote_created_at": ctx.dt(raw.get("appliedDate")),
        "custom_fields": {"availableStartDate": applicant.get("availableStartDate")},
    }
    return ctx.record("candidates", applicant["id"], fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> tuple[Outcome, str | None, Any]:
    """(outcome, rejection reason name, rejected at) from the status ``code`` (ids and names are editable)."""
    status = raw.get("status") or {}
    code, names = raw.get("_status_code"), (_label(status), status.get("id"))
    result = ctx.outcome(OUTCOMES, code, names=names) if ctx else OUTCOMES.decide(code, names=names)
    if result == "DECLINED":
        return result, _label(status), status.get("dateChanged")
    return result, None, None


def _answers(raw: Raw) -> list[Json]:
    """``questionsAndAnswers``: the only place screening questions show, always as free text."""
    out = []
    for qa in raw.get("questionsAndAnswers") or []:
        question, answer = qa.get("question") or {}, qa.get("answer") or {}
        out.append(
            {
                "question": {
                    "remote_id": str(question.get("id")),
                    "title": question.get("label") or "",
                    "type": "TEXT",
                },
                "answer": {"content": answer.get("label")},
            }
        )
    return out


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An application (list row or detail) -> its applicant and the application."""
    cand = candidate(raw, ctx)
    yield cand
    result, reason, rejected_at = outcome(raw, ctx)
    status = raw.get("status") or {}
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "rejected_at": ctx.dt(rejected_at),
        "current_stage_id": ctx.ref("application_stages", status.get("id")),
        "job_id": ctx.ref("jobs", (raw.get("job") or {}).get("id")),
        "candidate_id": cand.id,
        "remote_created_at": ctx.dt(raw.get("appliedDate")),
        "remote_updated_at": ctx.dt(status.get("dateChanged")),  # the last status change: the only clock it has
        "screening_question_answers": _answers(raw),
        "custom_fields": {
            "rating": raw.get("rating"),
            "desiredSalary": raw.get("desiredSalary"),
            "referredBy": raw.get("referredBy"),
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["id"], fields)
