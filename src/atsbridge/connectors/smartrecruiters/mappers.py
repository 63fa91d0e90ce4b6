"""SmartRecruiters Customer API records -> unified records. Pure functions: no network, no database.

No recorded Customer-API payload exists (``fakes/smartrecruiters/payloads`` holds only the public Posting API
list), so the shapes follow the vendor's documented models (camelCase: ``Candidate``, ``CandidateDetails``,
``Assignment``, ``Job``, ``HiringProcess``, ``Attachment``); the public postings are mapped from the recording.

Keys starting with ``_`` were attached by the connector's fetch: a candidate carries its per-job applications
(``_applications``, from ``/candidates/{id}/jobs/{jobId}``) and files (``_attachments``); a job carries its
details, hiring team, pipeline (``_stages``) and public postings (``_postings``).

Identifiers: an application is a candidate x job pair, so its remote id is ``"<candidateId>:<jobId>"`` (what
``import_tracked_application`` names). Stages are per job: the fixed statuses, split by the hiring process's
sub-statuses where it has some; their remote id is ``"<jobId>:<STATUS>[:<sub-status name>]"`` so that an
application's stage follows from its own ``status``/``subStatus``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

#: The pipeline every hiring process shares, in order (REJECTED/WITHDRAWN/TRANSFERRED end it, they are no stage).
PIPELINE: tuple[tuple[str, str], ...] = (
    ("LEAD", "Lead"), ("NEW", "New"), ("IN_REVIEW", "In review"), ("INTERVIEW", "Interview"),
    ("OFFERED", "Offered"), ("HIRED", "Hired"),
)  # fmt: skip
#: TRANSFERRED is terminal for the job it left, so it is not PENDING.
DECLINED = frozenset({"REJECTED", "WITHDRAWN", "TRANSFERRED"})
JOB_STATUSES: dict[str, str] = {
    "CREATED": "DRAFT", "SOURCING": "OPEN", "INTERVIEW": "OPEN", "OFFER": "OPEN", "FILLED": "CLOSED",
    "CANCELLED": "CLOSED", "ON_HOLD": "CLOSED",
}  # fmt: skip
VISIBILITIES = {"PUBLIC": "PUBLIC", "INTERNAL": "INTERNAL", "PRIVATE": "UNLISTED", "NOT_PUBLISHED": "UNLISTED"}
EMPLOYMENT_TYPES = {
    "permanent": "FULL_TIME", "full_time": "FULL_TIME", "part_time": "PART_TIME", "contract": "CONTRACT",
    "temporary": "SEASONAL", "intern": "INTERNSHIP", "internship": "INTERNSHIP",
}  # fmt: skip
ATTACHMENT_TYPES = {"RESUME": "CV", "COVER_LETTER": "COVER_LETTER"}
#: (key, label, scope, unified type): system roles users carry, hiring-team roles jobs carry.
ROLE_CATALOG: tuple[tuple[str, str, str, str | None], ...] = (
    ("ADMINISTRATOR", "Administrator", "SYSTEM", "ADMIN"), ("EXTENDED", "Extended", "SYSTEM", None),
    ("STANDARD", "Standard", "SYSTEM", None), ("RESTRICTED", "Restricted", "SYSTEM", None),
    ("EMPLOYEE", "Employee", "SYSTEM", None), ("HIRING_MANAGER", "Hiring Manager", "JOB", "HIRING_MANAGER"),
    ("RECRUITER", "Recruiter", "JOB", "RECRUITER"), ("COORDINATOR", "Coordinator", "JOB", "COORDINATOR"),
    ("INTERVIEWER", "Interviewer", "JOB", "INTERVIEWER"), ("EXECUTIVE", "Executive", "JOB", None),
)  # fmt: skip
_ROLES = {key: (label, unified) for key, label, _, unified in ROLE_CATALOG}


def _label(value: Any) -> str | None:
    return value.get("label") if isinstance(value, dict) else value


def application_remote_id(candidate_id: str, job_id: str) -> str:
    return f"{candidate_id}:{job_id}"


def stage_remote_id(job_id: str, status: str, sub_status: str | None = None) -> str:
    return f"{job_id}:{status}:{sub_status}" if sub_status else f"{job_id}:{status}"


def _location(loc: Any) -> Json | None:
    if not isinstance(loc, dict):
        return None
    country = loc.get("countryCode") or loc.get("country")
    parts = [loc.get("city"), loc.get("region"), loc.get("country")]
    return {
        "city": loc.get("city"),
        "state": loc.get("region") or loc.get("regionCode"),
        "country": country.upper() if isinstance(country, str) and len(country) == 2 else country,
        "raw": loc.get("fullLocation") or ", ".join(p for p in parts if p) or None,
    }


# ------------------------------------------------------------------------------------- users and roles
def role_rows() -> list[Json]:
    return [{"id": k, "name": label, "scope": scope, "type": t} for k, label, scope, t in ROLE_CATALOG]


def map_role(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("roles", raw["id"], {"remote_label": raw["name"], "scope": raw["scope"],
                                          "unified_type": raw.get("type")})  # fmt: skip


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    role = str((raw.get("systemRole") or {}).get("id") or "")
    label, unified = _ROLES.get(role, (role, None))
    fields = {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "email": raw.get("email"),
        "status": "ACTIVE" if raw.get("active", True) else "INACTIVE",
    }
    roles = [{"remote_id": role, "remote_label": label, "unified_type": unified}] if role else []
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_rejection_reason(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("rejection_reasons", raw["id"], {"name": raw.get("label")})


# ------------------------------------------------------------------------------------------------ jobs
def posting(raw: Raw, ctx: MapContext) -> Json:
    """A public posting (Posting API, the recorded shape): one language version of the job's ad."""
    company = (raw.get("company") or {}).get("identifier")
    return {
        "id": ctx.ref("job_postings", raw["id"]),
        "remote_id": str(raw["id"]),
        "title": raw.get("name"),
        "status": "ACTIVE",  # the Posting API lists published postings only
        "visibility": "PUBLIC",
        "url": f"https://jobs.smartrecruiters.com/{company}/{raw['id']}" if company else None,
    }


def _hiring_team(members: Any, ctx: MapContext) -> list[Json]:
    team: dict[str, Json] = {}
    for member in members or []:
        role = str(member.get("role") or "")
        label, unified = _ROLES.get(role, (role, None))
        entry = team.setdefault(member["id"], {"user_id": ctx.ref("users", member["id"]), "hiring_team_roles": [],
                                               "job_roles": []})  # fmt: skip
        if unified is not None and unified != "ADMIN":
            entry["hiring_team_roles"].append(unified)
        entry["job_roles"].append({"remote_id": member.get("role"), "remote_label": label, "unified_type": unified})
    return list(team.values())


def stage_rows(job_id: str, process: Raw | None) -> list[Json]:
    """The job's pipeline: each status, split into the hiring process's sub-statuses where it has some."""
    subs = (process or {}).get("subStatuses") or {}
    rows: list[Json] = []
    for status, label in PIPELINE:
        for sub in subs.get(status) or [None]:
            name = sub.get("name") if sub else None
            rows.append({"id": stage_remote_id(job_id, status, name), "status": status, "subStatus": name,
                         "name": f"{label}: {name}" if name else label, "index": len(rows)})  # fmt: skip
    return rows


def map_stage(raw: Raw, job_id: str, ctx: MapContext) -> UnifiedRecord:
    fields = {
        "name": raw["name"],
        "index": raw["index"],
        "status": "ACTIVE",
        "job_id": ctx.ref("jobs", job_id),
        "custom_fields": {"status": raw["status"], "subStatus": raw["subStatus"]},
    }
    return ctx.record("application_stages", raw["id"], fields)


def _employment_type(raw: Raw) -> str | None:
    kind = raw.get("typeOfEmployment") or {}
    key = str(kind.get("id") or kind.get("label") or "").lower().replace("-", "_").replace(" ", "_")
    return EMPLOYMENT_TYPES.get(key)


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job (``/jobs/{id}`` details) with its stages: the stream fills both models."""
    location = raw.get("location") or {}
    fields = {
        "name": raw.get("title"),
        "job_code": raw.get("refNumber"),
        "status": JOB_STATUSES.get(str(raw.get("status"))),
        "visibility": VISIBILITIES.get(str(raw.get("postingStatus"))),
        "department": _label(raw.get("department")),
        "category": _label(raw.get("function")),
        "experience_level": _label(raw.get("experienceLevel")),
        "employment_type": _employment_type(raw),
        "remote_work_status": "REMOTE" if location.get("remote") else None,
        "location": _location(location),
        "remote_url": ((raw.get("actions") or {}).get("details") or {}).get("url"),
        "remote_created_at": ctx.dt(raw.get("createdOn")),
        "remote_updated_at": ctx.dt(raw.get("updatedOn")),
        "custom_fields": {"status": raw.get("status"), "postingStatus": raw.get("postingStatus")},
    }
    postings = [posting(p, ctx) for p in raw.get("_postings") or []]
    nested = {"job_postings": postings, "hiring_team": _hiring_team(raw.get("_hiring_team"), ctx)}
    if postings:
        fields["post_url"] = postings[0]["url"]
    yield ctx.record("jobs", raw["id"], fields, nested)
    for stage in raw.get("_stages") or []:
        yield map_stage(stage, str(raw["id"]), ctx)


# ------------------------------------------------------------------- candidates, applications, files
def _social(web: Any) -> list[Json]:
    return [{"type": kind, "link": link} for kind, link in (web or {}).items() if isinstance(link, str) and link]


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A candidate (details) -> its tags, its per-job applications, itself and its files."""
    tags = [t for t in raw.get("tags") or [] if isinstance(t, str) and t]
    for tag in tags:
        yield ctx.record("tags", tag, {"name": tag})
    email, phone = raw.get("email"), raw.get("phoneNumber")
    fields = {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": _social(raw.get("web")),
        "location": _location(raw.get("location")),
        "title": ((raw.get("experience") or [{}])[0] or {}).get("title"),
        "company": ((raw.get("experience") or [{}])[0] or {}).get("company"),
        "remote_url": ((raw.get("actions") or {}).get("details") or {}).get("url"),
        "remote_created_at": ctx.dt(raw.get("createdOn")),
        "remote_updated_at": ctx.dt(raw.get("updatedOn")),
        "custom_fields": {"internal": raw.get("internal"), "averageRating": raw.get("averageRating")},
    }
    cand = ctx.record("candidates", raw["id"], fields, {"tag_ids": [ctx.ref("tags", t) for t in tags]})
    for app in raw.get("_applications") or []:  # before the candidate: tracking learns it from them
        yield map_application(app, str(raw["id"]), cand.id, ctx)
    yield cand
    for file in raw.get("_attachments") or []:
        yield map_attachment(file, str(raw["id"]), ctx)


#: The default rule; an integration's ``status_map`` may name a rejection/withdrawal reason (label or id) or a status.
OUTCOMES = OutcomeRule(statuses={"HIRED": "HIRED", **dict.fromkeys(DECLINED, "DECLINED")}, default="PENDING")


def outcome(app: Raw, ctx: MapContext | None = None) -> tuple[str, str | None]:
    """(outcome, rejection reason name): the reason only for a declined application."""
    status = app.get("status")
    reason = app.get("reasonOfRejection") or app.get("reasonOfWithdrawal")
    names = (_label(reason), reason.get("id") if isinstance(reason, dict) else None)
    result = (ctx or MapContext("")).outcome(OUTCOMES, status, names=names)
    return result, (_label(reason) or str(status).capitalize()) if result == "DECLINED" else None


def map_application(app: Raw, candidate_id: str, candidate_ref: str, ctx: MapContext) -> UnifiedRecord:
    """``/candidates/{id}/jobs/{jobId}`` (``jobId`` attached as ``_job_id``)."""
    job_id = str(app["_job_id"])
    status = str(app.get("status"))
    result, reason = outcome(app, ctx)
    stage = None if status in DECLINED else stage_remote_id(job_id, status, app.get("subStatus"))
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "current_stage_id": ctx.ref("application_stages", stage),
        "job_id": ctx.ref("jobs", job_id),
        "candidate_id": candidate_ref,
        "remote_created_at": ctx.dt(app.get("createdOn")),
        "remote_updated_at": ctx.dt(app.get("lastUpdatedOn")),
        "custom_fields": {
            "source": app.get("source"),
            "startsOn": app.get("startsOn"),
            "applicationId": app.get("applicationId"),
        },  # fmt: skip
    }
    return ctx.record("applications", application_remote_id(candidate_id, job_id), fields)


def attachment_remote_id(candidate_id: str, attachment_id: str) -> str:
    """Downloads need the candidate too (``/candidates/{id}/attachments/{attachmentId}``)."""
    return f"{candidate_id}/{attachment_id}"


def map_attachment(raw: Raw, candidate_id: str, ctx: MapContext) -> UnifiedRecord:
    job_id = raw.get("jobId")
    fields = {
        "candidate_id": ctx.ref("candidates", candidate_id),
        "application_id": ctx.ref("applications", application_remote_id(candidate_id, job_id)) if job_id else None,
        "type": ATTACHMENT_TYPES.get(str(raw.get("type")), "OTHER"),
        "file_name": raw.get("name"),
        "content_type": raw.get("contentType"),
        "remote_created_at": ctx.dt(raw.get("createdOn")),
    }
    return ctx.record("attachments", attachment_remote_id(candidate_id, str(raw["id"])), fields)
