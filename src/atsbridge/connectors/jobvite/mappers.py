"""Jobvite v2 records -> unified records. Pure functions: no network, no database.

No successful Jobvite v2 payload is public (only error envelopes were recorded): the shapes are the ones a
working open-source v2 client reads (``kippnorcal/jobvite``: field lists and an anonymised test fixture) and
a third-party production mapping (reference §1.6). Timestamps are epoch milliseconds.

* ``/candidate`` rows are **applications**: a candidate (``eId``, contact fields) with exactly one embedded
  ``application`` (``eId``, ``workflowState`` + ``workflowStateEId``, ``disposition``, ``job{eId,...}``). One
  row yields the candidate and its application; a person with three applications is three rows with the same
  candidate ``eId`` (and the same candidate fields).
* Stages are the tenant's workflow states, one global pipeline, known only as names on applications: the
  stream publishes ``workflowStateEId -> workflowState`` (key ``_state_id``/``_state_name`` rows here).
* ``/job`` rows are requisitions; users are the hiring managers and recruiters embedded in them (no user API).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.outcomes import OutcomeRule, norm
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

#: Workflow state names are configured per tenant [3p]: these are the usual ones; the integration's
#: ``status_map`` (by state name or state eId) decides the rest. Unknown states stay PENDING unless the
#: application has a ``hireDate`` (HIRED) or a ``disposition`` (DECLINED: Jobvite's rejection reason).
OUTCOMES = OutcomeRule(statuses={
    "Hired": "HIRED", "Offer Accepted": "HIRED",
    "Rejected": "DECLINED", "Declined": "DECLINED", "Withdrawn": "DECLINED",
})  # fmt: skip

JOB_STATUSES = {
    "open": "OPEN", "closed": "CLOSED", "filled": "CLOSED", "on hold": "CLOSED", "awaiting approval": "DRAFT",
    "approved": "DRAFT", "rejected": "ARCHIVED", "retracted": "ARCHIVED",
}  # fmt: skip


def state_key(app: Raw) -> str | None:
    """An application's stage remote id: the workflow state's eId, else its name."""
    return text(app.get("workflowStateEId")) or text(app.get("workflowState"))


def custom(items: Any) -> Json:
    """``customField[] {fieldCode, key, value}`` -> ``{fieldCode: value}``."""
    out: Json = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and text(item.get("fieldCode")):
            out[str(item["fieldCode"])] = item.get("value")
    return out


def _user_ref(user: Any, ctx: MapContext, role: str) -> Json | None:
    if not isinstance(user, dict) or not text(user.get("userId")):
        return None
    return {"user_id": ctx.ref("users", user["userId"]), "hiring_team_roles": [role], "job_roles": []}


def hiring_team(job: Raw, ctx: MapContext) -> list[Json]:
    team: dict[str, Json] = {}
    for key, role in (("hiringManagers", "HIRING_MANAGER"), ("recruiters", "RECRUITER")):
        for user in job.get(key) or []:
            member = _user_ref(user, ctx, role)
            if member is None:
                continue
            found = team.setdefault(member["user_id"], member)
            if role not in found["hiring_team_roles"]:
                found["hiring_team_roles"].append(role)
    return list(team.values())


def users_of(job: Raw) -> Iterator[Json]:
    """The users a requisition embeds (hiring managers, recruiters and the primary ones)."""
    for key in ("hiringManagers", "recruiters"):
        yield from (u for u in job.get(key) or [] if isinstance(u, dict))
    for key in ("primaryHiringManager", "primaryRecruiter"):
        if isinstance(job.get(key), dict):
            yield job[key]


def _location(job: Raw) -> Json | None:
    places = [p for p in job.get("locations") or [] if isinstance(p, dict)]
    if places:
        first = places[0]
        raw = ", ".join(t for t in (text(first.get(k)) for k in ("city", "state", "country")) if t)
        return {"city": text(first.get("city")), "state": text(first.get("state")),
                "country": text(first.get("country")), "raw": raw or text(job.get("location"))}  # fmt: skip
    return {"raw": text(job["location"])} if text(job.get("location")) else None


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A requisition (``/job``, ``requisitions[]``)."""
    state = text(raw.get("jobState"))
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("requisitionId")),
        "description": raw.get("description"),
        "category": text(raw.get("category")),
        "department": text(raw.get("department")),
        "post_url": text(raw.get("applyLink")),
        "employment_type": text(raw.get("jobType")),
        "status": JOB_STATUSES.get((state or "").lower()),
        "visibility": {"external": "PUBLIC", "internal": "INTERNAL"}.get(str(raw.get("postingType")).lower()),
        "location": _location(raw),
        "remote_updated_at": ctx.dt(raw.get("lastUpdatedDate")),
        "custom_fields": {"jobState": state, "postingType": raw.get("postingType"), **custom(raw.get("customField"))},
    }
    yield ctx.record("jobs", raw["eId"], fields, {"hiring_team": hiring_team(raw, ctx)})


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    fields = {"first_name": text(raw.get("firstName")), "last_name": text(raw.get("lastName")),
              "email": text(raw.get("userName")), "status": "ACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["userId"], fields, {"system_roles": []})


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A workflow state seen on an application (``{"_state_id", "_state_name"}``): one global pipeline."""
    yield ctx.record("application_stages", raw["_state_id"], {"name": raw.get("_state_name"), "status": "ACTIVE"})


def map_candidate(raw: Raw, ctx: MapContext) -> UnifiedRecord:
    phones = [(raw.get(k), kind) for k, kind in (("mobile", "MOBILE"), ("homePhone", "HOME"), ("workPhone", "WORK"))]
    street = text(raw.get("address"))
    place = {"street_1": street, "street_2": text(raw.get("address2")), "city": text(raw.get("city")),
             "state": text(raw.get("state")), "country": text(raw.get("country")),
             "zip_code": text(raw.get("postalCode")), "raw": text(raw.get("location"))}  # fmt: skip
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "company": text(raw.get("companyName")),
        "title": text(raw.get("title")),
        "email_addresses": [{"email_address": text(raw["email"]), "type": None}] if text(raw.get("email")) else [],
        "phone_numbers": [{"phone_number": text(p), "type": kind} for p, kind in phones if text(p)],
        "location": place if any(place.values()) else None,
        "custom_fields": {"workStatus": text(raw.get("workStatus"))},
    }
    return ctx.record("candidates", raw["eId"], fields, {"tag_ids": []})


def outcome(app: Raw, ctx: MapContext) -> tuple[str, str | None]:
    """(outcome, rejection reason) of an application: the integration's map (state name or eId) first."""
    state, state_id = text(app.get("workflowState")), text(app.get("workflowStateEId"))
    result = ctx.outcome(OUTCOMES, state, names=(state, state_id))
    mapped = any(k is not None and norm(k) in ctx.status_map for k in (state, state_id))
    if result == "PENDING" and not mapped:  # a state neither the map nor the rule names: the dates decide
        result = "HIRED" if app.get("hireDate") else "DECLINED" if text(app.get("disposition")) else "PENDING"
    return result, (text(app.get("disposition")) or state) if result == "DECLINED" else None


def map_row(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """One ``/candidate`` row: the candidate, then its one application."""
    yield map_candidate(raw, ctx)
    app = raw.get("application")
    if not isinstance(app, dict) or not text(app.get("eId")):
        return
    job = app["job"] if isinstance(app.get("job"), dict) else {}
    result, reason = outcome(app, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "current_stage_id": ctx.ref("application_stages", state_key(app)),
        "job_id": ctx.ref("jobs", text(job.get("eId"))),
        "candidate_id": ctx.ref("candidates", raw["eId"]),
        "remote_created_at": ctx.dt(app.get("sentDate")),
        "remote_updated_at": ctx.dt(app.get("lastUpdatedDate")),
        "custom_fields": {
            "workflowState": text(app.get("workflowState")), "disposition": text(app.get("disposition")),
            "source": text(app.get("source")), "sourceType": text(app.get("sourceType")),
            "jobviteChannel": text(app.get("jobviteChannel")), "hireDate": app.get("hireDate"),
            "startDate": app.get("startDate"), **custom(app.get("customField")),
        },
    }  # fmt: skip
    yield ctx.record("applications", app["eId"], fields)
