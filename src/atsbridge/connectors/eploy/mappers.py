"""Eploy search records -> unified records. Pure functions: no network, no database.

**No Eploy record was ever recorded** (only the token answer and an error body, in the fake's ``payloads/``).
The blocks read here are the ones a customer's sync script asks for [conn] (applications: ``ApplicationId``,
``ApplicationDate``, ``ApplicationType``, ``InfluenceToApply``, ``Workflow{Stage, Status}``, ``Placement``,
``Candidate``, ``Vacancy``, ``CreationDate``, ``ModificationDate``; vacancies: ``VacancyId``, ``Title``,
``VacancyStatus``, ``Location``, ``Company``, ``Salary``), plus Eploy's naming style for the rest [gap]: a
reference is a block ``{"Id", "Description"}``; candidates carry ``FirstName``, ``Surname``,
``EmailAddress``, ``MobileTelephone``, ``Address``; actions ``ActionType``, ``Notes``, ``ActionDate``.
Every read is defensive (``.get``): a missing block is a missing field, never a failed sync.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.eploy.api import ref_id
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: An application with a ``Placement`` is HIRED (the fact Eploy states). Otherwise the customer-configured
#: ``Workflow.Status`` description decides: the usual names below by default, every tenant's own names through
#: its status map (``PUT /v1/integrations/{id}/status-map``), checked first (against the status and the stage).
OUTCOMES = OutcomeRule(
    statuses={"placed": "HIRED", "hired": "HIRED", "rejected": "DECLINED", "unsuccessful": "DECLINED",
              "declined": "DECLINED", "withdrawn": "DECLINED", "not progressed": "DECLINED"},
    default="PENDING",
)  # fmt: skip

_JOB_STATUS = {"live": "OPEN", "open": "OPEN", "active": "OPEN", "closed": "CLOSED", "filled": "CLOSED",
               "cancelled": "CLOSED", "draft": "DRAFT", "awaiting approval": "DRAFT",
               "on hold": "ARCHIVED"}  # fmt: skip


def description(value: Any) -> str | None:
    """The ``Description`` of a reference block."""
    return text(obj(value).get("Description"))


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    status = description(raw.get("VacancyStatus"))
    place = description(raw.get("Location"))
    salary = obj(raw.get("Salary")).get("Salary")
    fields = {
        "name": text(raw.get("Title")),
        "job_code": text(raw.get("Reference")),
        "description": raw.get("Description") if isinstance(raw.get("Description"), str) else None,
        "department": description(raw.get("Department")),
        "status": _JOB_STATUS.get((status or "").lower()),
        "location": {"raw": place} if place else None,
        "salary_amount": float(salary) if isinstance(salary, int | float) and not isinstance(salary, bool) else None,
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("ModificationDate")),
        "custom_fields": {
            "vacancy_status": status,
            "company": description(raw.get("Company")),
            "company_id": ref_id(raw.get("Company")),
        },  # fmt: skip
    }
    yield ctx.record("jobs", raw["VacancyId"], fields, {"screening_questions": [], "job_postings": []})


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    email, address = text(raw.get("EmailAddress")), obj(raw.get("Address"))
    phones = [(text(raw.get("MobileTelephone")), "MOBILE"), (text(raw.get("HomeTelephone")), "HOME")]
    town, postcode, country = text(address.get("Town")), text(address.get("Postcode")), description(
        address.get("Country"))  # fmt: skip
    fields = {
        "first_name": text(raw.get("FirstName")),
        "last_name": text(raw.get("Surname")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": p, "type": t} for p, t in phones if p],
        "location": {"city": town, "zip_code": postcode, "country": country} if town or postcode or country
        else None,
        "source": description(raw.get("Source")),
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("ModificationDate")),
    }  # fmt: skip
    yield ctx.record("candidates", raw["CandidateId"], fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext) -> str:
    """HIRED with a ``Placement``; else the integration's map, then the declared names (status, then stage)."""
    if ref_id(raw.get("Placement")):
        return "HIRED"
    workflow = obj(raw.get("Workflow"))
    status, stage = description(workflow.get("Status")), description(workflow.get("Stage"))
    return ctx.outcome(OUTCOMES, status, stage=stage, names=(status, stage))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    workflow = obj(raw.get("Workflow"))
    result = outcome(raw, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": description(workflow.get("Status")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", ref_id(workflow.get("Stage"))),
        "job_id": ctx.ref("jobs", ref_id(raw.get("Vacancy"))),
        "candidate_id": ctx.ref("candidates", ref_id(raw.get("Candidate"))),
        "remote_created_at": ctx.dt(raw.get("ApplicationDate") or raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("ModificationDate")),
        "custom_fields": {
            "workflow_status": description(workflow.get("Status")),
            "application_type": description(raw.get("ApplicationType")),
            "influence_to_apply": description(raw.get("InfluenceToApply")),
            "placement_id": ref_id(raw.get("Placement")),
        },
    }
    yield ctx.record("applications", raw["ApplicationId"], fields)


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """A workflow stage as the applications name it (``{"Id", "Description"}``): one global pipeline."""
    yield ctx.record("application_stages", raw["Id"], {"name": description(raw), "status": "ACTIVE"})


def map_user(raw: Raw, ctx: MapContext) -> Records:
    active = raw.get("Active")
    fields = {"first_name": text(raw.get("FirstName")), "last_name": text(raw.get("Surname")),
              "email": text(raw.get("EmailAddress")),
              "status": None if not isinstance(active, bool) else "ACTIVE" if active else "INACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["UserId"], fields, {"system_roles": []})


def is_interview(raw: Raw) -> bool:
    """Actions are Eploy's diary: an action whose type names an interview, on an application, is an interview;
    every other action is a note (action types are customer-configured, so this is by name [gap])."""
    return "interview" in (description(raw.get("ActionType")) or "").lower() and bool(ref_id(raw.get("Application")))


def map_action(raw: Raw, ctx: MapContext) -> Records:
    app_id, user_id = ref_id(raw.get("Application")), ref_id(raw.get("User"))
    kind = description(raw.get("ActionType"))
    if is_interview(raw):
        start = ctx.dt(raw.get("ActionDate"))
        duration = raw.get("Duration")
        minutes = duration if isinstance(duration, int) and not isinstance(duration, bool) else 0
        fields = {
            "title": kind,
            "starting_at": start,
            "ending_at": start + timedelta(minutes=minutes) if start and minutes > 0 else None,
            "application_id": ctx.ref("applications", app_id),
            "remote_created_at": ctx.dt(raw.get("CreationDate")),
            "remote_updated_at": ctx.dt(raw.get("ModificationDate")),
        }
        yield ctx.record("interviews", raw["ActionId"], fields, {"user_ids": [ctx.ref("users", user_id)] if user_id
                                                                              else []})  # fmt: skip
        return
    candidate = ref_id(raw.get("Candidate"))
    if candidate is None:  # a note must name its candidate; an action about a vacancy or contact only is not one
        return
    body = text(raw.get("Notes"))
    fields = {
        "candidate_id": ctx.ref("candidates", candidate),
        "application_id": ctx.ref("applications", app_id),
        "author_id": ctx.ref("users", user_id),
        "title": kind,
        "content_html": "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None,
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("ModificationDate")),
    }
    yield ctx.record("notes", raw["ActionId"], fields)
