"""JazzHR records -> unified records. Pure functions: no network, no database.

No REST answer of JazzHR was ever recorded (only the Candidate Export webhook's documented body): the shapes
are the fields of the maintained .NET SDK's models and the community Airbyte source's schemas (reference §2.6,
[conn]). Every value is a string there (ids ``prospect_...``/``job_...``/``projob_...``/``usr_...``, dates
``YYYY-MM-DD``, ``applicants2jobs.date`` often ``0000-00-00``), and a nested list of one item may be the bare
object (:func:`kit.as_list`).

What the source attaches under an underscore key:

* ``_detail`` (applicants): the applicant detail (``GET /applicants/{id}``): email, links, ``comments[]`` (the
  notes), ``categories[]`` (the tags), ``jobs[]``;
* ``_hire`` (applicants2jobs): the ``/hires`` row of this applicant and job, or None;
* ``_progress`` (applicants2jobs): the name of the application's workflow step (``applicant_progress`` of the
  applicant detail's entry for the job) [conn: SDK field; its values are the tenant's step names].
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import scalar_text as text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]
Records = Iterator[UnifiedRecord]

#: A pair listed in ``/hires`` is hired (status ``hired``); otherwise the workflow step's name decides: JazzHR's
#: status categories are New / Active / Hired / Not Hired [doc: webhook ``candidateStatus.category``] and its
#: default steps carry those names. Steps are the customer's own: the integration's status map names the
#: others (by step name or ``workflow_step_id``).
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "not hired": "DECLINED", "not_hired": "DECLINED"})
#: ``jobs.status`` -> unified job status [3p: Open, Closed, On Hold, Drafting...].
JOB_STATUSES = {"open": "OPEN", "closed": "CLOSED", "on hold": "CLOSED", "filled": "CLOSED", "drafting": "DRAFT",
                "needs approval": "DRAFT", "approved": "DRAFT", "cancelled": "ARCHIVED"}  # fmt: skip
#: ``users.type`` -> unified role type [3p: super_admin, recruiting_admin, recruiting_user, developer...].
USER_ROLES = {
    "super_admin": "ADMIN",
    "super admin": "ADMIN",
    "recruiting_admin": "ADMIN",
    "admin": "ADMIN",
    "recruiting_user": "RECRUITER",
    "hiring_manager": "HIRING_MANAGER",
    "interviewer": "INTERVIEWER",
}


def when(date: Any, time: Any = None) -> str | None:
    """``YYYY-MM-DD`` (+ ``HH:MM:SS``) in UTC -> ISO; the zero date and anything unparsable -> None."""
    day = text(date)
    if day is None or day.startswith("0000"):
        return None
    stamp = f"{day[:10]}T{text(time) or '00:00:00'}" if len(day) <= 10 else day.replace(" ", "T")
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return stamp + "Z"


def hire_key(raw: Raw) -> str:
    return f"{raw.get('applicant_id')}:{raw.get('job_id')}"


def map_user(raw: Raw, ctx: MapContext) -> Records:
    role = text(raw.get("type"))
    unified = USER_ROLES.get((role or "").lower())
    fields = {
        "first_name": text(raw.get("first_name")),
        "last_name": text(raw.get("last_name")),
        "email": text(raw.get("email")),
    }
    roles = [{"remote_id": role, "remote_label": role, "unified_type": unified, "scope": "SYSTEM"}] if role else []
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_category(raw: Raw, ctx: MapContext) -> Records:
    """A category is JazzHR's candidate tag."""
    yield ctx.record("tags", raw["id"], {"name": text(raw.get("name"))})


def map_job(raw: Raw, ctx: MapContext) -> Records:
    status = text(raw.get("status"))
    location = {"city": text(raw.get("city")), "state": text(raw.get("state")), "zip_code": text(raw.get("zip")),
                "country": text(raw.get("country_id"))}  # fmt: skip
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("internal_code")),
        "description": raw.get("description"),
        "department": text(raw.get("department")),
        "status": JOB_STATUSES.get((status or "").lower()),
        "employment_type": text(raw.get("type")),
        "location": location if any(location.values()) else None,
        "opened_at": ctx.dt(when(raw.get("original_open_date"))),
        "remote_created_at": ctx.dt(when(raw.get("original_open_date"))),
        "custom_fields": {"status": status, "board_code": text(raw.get("board_code")),
                          "minimum_salary": text(raw.get("minimum_salary")),
                          "maximum_salary": text(raw.get("maximum_salary")), "team_id": text(raw.get("team_id"))},
    }  # fmt: skip
    lead = text(raw.get("hiring_lead"))
    team = [{"user_id": ctx.ref("users", lead), "hiring_team_roles": ["HIRING_MANAGER"]}] if lead else []
    yield ctx.record("jobs", raw["id"], fields, {"hiring_team": team})


def _social(detail: Raw) -> list[Json]:
    out = [{"type": kind, "link": link, "username": None}
           for kind, link in (("linkedin", text(detail.get("linkedin_url"))), ("website", text(detail.get("website"))))
           if link]  # fmt: skip
    if text(detail.get("twitter_username")):
        out.append({"type": "twitter", "link": None, "username": text(detail.get("twitter_username"))})
    return out


def map_note(raw: Raw, ctx: MapContext, applicant_id: str) -> UnifiedRecord:
    """A comment of the applicant detail (what ``POST /notes`` creates); JazzHR notes hang off the applicant."""
    fields = {
        "candidate_id": ctx.ref("candidates", applicant_id),
        "application_id": None,
        "author_id": ctx.ref("users", text(raw.get("author_id"))),
        "content_html": text(raw.get("text")),
        "remote_created_at": ctx.dt(when(raw.get("date"), raw.get("time"))),
    }
    return ctx.record("notes", raw["id"], fields)


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """A list row with its detail under ``_detail`` (or a detail alone, as writes return it)."""
    detail: Raw = raw.get("_detail") or raw
    email, phone = text(detail.get("email")), text(detail.get("phone")) or text(raw.get("prospect_phone"))
    location = text(detail.get("location")) or text(detail.get("address"))
    held = [c.get("category_id") for c in kit.as_list(detail.get("categories"))]
    tags = [ctx.ref("tags", text(c)) for c in held if text(c)]
    fields = {
        "first_name": text(detail.get("first_name")) or text(raw.get("first_name")),
        "last_name": text(detail.get("last_name")) or text(raw.get("last_name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": _social(detail),
        "location": {"raw": location} if location else None,
        "source": text(detail.get("source")),
        "remote_created_at": ctx.dt(when(detail.get("apply_date") or raw.get("apply_date"))),
        "custom_fields": {"desired_salary": text(detail.get("desired_salary")),
                          "desired_start_date": text(detail.get("desired_start_date")),
                          "referrer": text(detail.get("referrer")), "recruiter_id": text(detail.get("recruiter_id"))},
    }  # fmt: skip
    applicant_id = str(raw["id"])
    yield ctx.record("candidates", applicant_id, fields, {"tag_ids": tags})
    for comment in kit.as_list(detail.get("comments")):
        if comment.get("id"):
            yield map_note(comment, ctx, applicant_id)


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    """HIRED when the pair is in ``/hires``; else the step name through the rule (the integration's map first)."""
    status = "hired" if raw.get("_hire") else text(raw.get("_progress"))
    names = (text(raw.get("_progress")), text(raw.get("workflow_step_id")))
    return ctx.outcome(OUTCOMES, status, names=names) if ctx else OUTCOMES.decide(status, names=names)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """An ``applicants2jobs`` row: the application of one applicant to one job."""
    hire: Raw = raw.get("_hire") or {}
    result = outcome(raw, ctx)
    fields = {
        "candidate_id": ctx.ref("candidates", text(raw.get("applicant_id"))),
        "job_id": ctx.ref("jobs", text(raw.get("job_id"))),
        "outcome": result,
        "rejection_reason_name": text(raw.get("_progress")) if result == "DECLINED" else None,
        "remote_created_at": ctx.dt(when(raw.get("date"))),
        "custom_fields": {"workflow_step_id": text(raw.get("workflow_step_id")),
                          "workflow_step": text(raw.get("_progress")), "rating": text(raw.get("rating")),
                          "hired_at": when(hire.get("hired_date"), hire.get("hired_time"))},
    }  # fmt: skip
    yield ctx.record("applications", raw["id"], fields)
