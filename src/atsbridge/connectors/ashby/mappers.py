"""Ashby payloads -> unified users, roles, tags, rejection reasons, jobs and stages. Pure functions.

What a mapper needs beyond the record, the source attaches under an underscore key:

* jobs: ``_postings`` (``jobPosting.info`` of each of the job's postings, listed ones first), ``_department``
  (its ``department.list`` entry) and ``_stages`` (``interviewStage.list`` of the interview plans it owns).

Stages belong to interview plans, and a job names its plans (``interviewPlanIds``); a plan's stages are given
the job that owns the plan (its default plan, else the first job naming it), so each stage has one ``job_id``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import text
from atsbridge.core.richtext import html_or_text
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]


def custom_fields(items: object) -> Raw | None:
    """``customFields: [{"id", "title", "value"}]`` -> ``{title: value}``."""
    rows = items if isinstance(items, list) else []
    found = {str(f.get("title") or f.get("id")): f.get("value") for f in rows if isinstance(f, dict)}
    return found or None


def as_html(content: object) -> str | None:
    """Ashby note content is HTML when it was created as HTML, else plain text; Ashby does not say which.
    Kept only when it is formatting markup, else escaped (plain text starting with ``<`` is still text)."""
    value = text(content)
    return html_or_text(value) if value is not None else None


# ------------------------------------------------------------------------------------------- users and roles

#: ``globalRole`` values: label -> unified type. Ashby adds roles rarely; unknown ones pass with no type.
GLOBAL_ROLES: dict[str, str | None] = {
    "Organization Admin": "ADMIN",
    "Elevated Access": "RECRUITER",
    "Limited Access": "HIRING_MANAGER",
    "External Recruiter": "RECRUITER",
}
#: ``hiringTeam[].role`` values: label -> unified hiring-team role.
TEAM_ROLES: dict[str, str | None] = {
    "Hiring Manager": "HIRING_MANAGER",
    "Recruiter": "RECRUITER",
    "Recruiting Coordinator": "COORDINATOR",
    "Coordinator": "COORDINATOR",
    "Sourcer": "SOURCER",
    "Interviewer": "INTERVIEWER",
}


def global_role_id(label: str) -> str:
    return f"global:{label}"


def team_role_id(label: str) -> str:
    return f"team:{label}"


def role_rows(seen_global: set[str], seen_team: set[str]) -> list[Raw]:
    """Ashby has no roles listing: the known catalog plus every role this run saw."""
    rows = [{"id": global_role_id(k), "label": k, "type": GLOBAL_ROLES.get(k), "scope": "SYSTEM"}
            for k in sorted(set(GLOBAL_ROLES) | seen_global)]  # fmt: skip
    rows += [{"id": team_role_id(k), "label": k, "type": TEAM_ROLES.get(k), "scope": "JOB"}
             for k in sorted(set(TEAM_ROLES) | seen_team)]  # fmt: skip
    return rows


def map_role(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("roles", raw["id"], {"remote_label": raw["label"], "scope": raw["scope"],
                                          "unified_type": raw["type"]})  # fmt: skip


def map_user(raw: Raw, ctx: MapContext) -> Records:
    role = text(raw.get("globalRole"))
    roles = [{"remote_id": global_role_id(role), "remote_label": role, "unified_type": GLOBAL_ROLES.get(role)}
             ] if role else []  # fmt: skip
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "email": text(raw.get("email")),
        "status": "ACTIVE" if raw.get("isEnabled", True) else "INACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("tags", raw["id"], {"name": text(raw.get("title"))})


def map_archive_reason(raw: Raw, ctx: MapContext) -> Records:
    """Every archive reason (rejected by the organisation or by the candidate, or other) rejects."""
    yield ctx.record("rejection_reasons", raw["id"], {"name": text(raw.get("text"))})


# ------------------------------------------------------------------------------------------------------ jobs

_STATUS = {"Open": "OPEN", "Closed": "CLOSED", "Archived": "ARCHIVED", "Draft": "DRAFT"}
_EMPLOYMENT = {"FullTime": "FULL_TIME", "PartTime": "PART_TIME", "Intern": "INTERNSHIP", "Contract": "CONTRACT",
               "Temporary": "SEASONAL"}  # fmt: skip
_WORKPLACE = {"OnSite": "ON_SITE", "Remote": "REMOTE", "Hybrid": "HYBRID"}
_INTERVAL = {"1 YEAR": "YEAR", "1 MONTH": "MONTH", "1 WEEK": "WEEK", "1 DAY": "DAY", "1 HOUR": "HOUR"}
_FORMATS: dict[str, Raw] = {
    "String": {"type": "TEXT", "display_type": "SINGLE_LINE"},
    "LongText": {"type": "TEXT", "display_type": "MULTI_LINE"},
    "RichText": {"type": "TEXT", "display_type": "MULTI_LINE"}, "Email": {"type": "TEXT", "display_type": "EMAIL"},
    "Url": {"type": "TEXT", "display_type": "URL"}, "Phone": {"type": "TEXT", "display_type": "SINGLE_LINE"},
    "Location": {"type": "TEXT", "display_type": "SINGLE_LINE"}, "Boolean": {"type": "BOOLEAN"},
    "Date": {"type": "DATE"}, "Number": {"type": "NUMBER"}, "File": {"type": "FILE"},
}  # fmt: skip


def _question(job_id: str, item: Raw, index: int, ctx: MapContext) -> Raw:
    field = item.get("field") or {}
    kind, fid = field.get("type") or "", str(field.get("id") or field.get("path"))
    fmt: Raw = dict(_FORMATS.get(kind) or {"type": "UNKNOWN", "raw_question": field})
    if kind in ("ValueSelect", "MultiValueSelect"):
        options = [
            {"id": ctx.ref("question_options", f"{job_id}:{fid}:{o.get('value')}"), "name": str(o.get("label") or ""),
             "remote_id": o.get("value")}
            for o in field.get("selectableValues") or []
        ]  # fmt: skip
        fmt = (
            {"type": "SINGLE_SELECT", "options": options}
            if kind == "ValueSelect"
            else {"type": "MULTI_SELECT", "options": options}
        )
    return {
        "id": ctx.ref("screening_questions", f"{job_id}:{fid}"),
        "remote_id": fid,
        "title": text(field.get("title")),
        "description": text(item.get("descriptionPlain")),
        "required": item.get("isRequired"),
        "format": fmt,
        "index": index,
    }


def screening_questions(job_id: str, posting: Raw | None, ctx: MapContext) -> list[Raw]:
    """The custom fields of the primary posting's application form; ``_systemfield_*`` ones (name, email,
    phone, resume, location...) are the standard candidate fields, not screening questions."""
    form = (posting or {}).get("applicationFormDefinition") or {}
    items = [
        item for section in form.get("sections") or [] for item in section.get("fields") or []
        if not str((item.get("field") or {}).get("path") or "").startswith("_systemfield_")
    ]  # fmt: skip
    return [_question(job_id, item, i, ctx) for i, item in enumerate(items)]


def _posting(raw: Raw, ctx: MapContext) -> Raw:
    listed = bool(raw.get("isListed"))
    return {
        "id": ctx.ref("job_postings", raw["id"]),
        "remote_id": raw["id"],
        "title": text(raw.get("title")),
        "description_html": text(raw.get("descriptionHtml")),
        "status": "ACTIVE" if listed else "INACTIVE",
        "visibility": "PUBLIC" if listed else "UNLISTED",
        "url": text(raw.get("externalLink")),
    }


def _salary(posting: Raw) -> Raw:
    parts = (posting.get("compensation") or {}).get("summaryComponents") or []
    salary = next((p for p in parts if p.get("compensationType") == "Salary"), None)
    if not salary:
        return {}
    interval = salary.get("interval")
    return {
        "salary_amount_from": salary.get("minValue"),
        "salary_amount_to": salary.get("maxValue"),
        "salary_currency": salary.get("currencyCode"),
        "salary_period": _INTERVAL.get(interval, interval),
    }


def _location(posting: Raw) -> Raw | None:
    address = ((posting.get("address") or {}).get("postalAddress")) or {}
    raw = text(posting.get("locationName"))
    if not raw and not address:
        return None
    return {"raw": raw, "city": text(address.get("addressLocality")), "state": text(address.get("addressRegion")),
            "country": text(address.get("addressCountry"))}  # fmt: skip


def _hiring_team(raw: Raw, ctx: MapContext) -> list[Raw]:
    roles: dict[str, list[str]] = {}
    for member in raw.get("hiringTeam") or []:
        if member.get("userId") and text(member.get("role")):
            roles.setdefault(member["userId"], []).append(member["role"].strip())
    return [
        {"user_id": ctx.ref("users", user),
         "hiring_team_roles": [t for t in (TEAM_ROLES.get(r) for r in labels) if t],
         "job_roles": [{"remote_id": team_role_id(r), "remote_label": r, "unified_type": TEAM_ROLES.get(r)}
                       for r in labels]}
        for user, labels in roles.items()
    ]  # fmt: skip


def _visibility(raw: Raw, posting: Raw) -> str | None:
    if raw.get("confidential"):
        return "CONFIDENTIAL"
    if not posting:
        return None
    return "PUBLIC" if posting.get("isListed") else "UNLISTED"


def map_stage(job_id: str, raw: Raw, ctx: MapContext) -> UnifiedRecord:
    """Stage ``type`` (PreInterviewScreen, Active, Offer, Hired, Archived, Lead) is kept: Archived is where
    rejected applications sit, Hired where hires do."""
    fields = {
        "name": text(raw.get("title")),
        "status": "ACTIVE",
        "index": raw.get("orderInInterviewPlan"),
        "job_id": ctx.ref("jobs", job_id),
        "custom_fields": {"type": raw.get("type")} if raw.get("type") else None,
    }
    return ctx.record("application_stages", raw["id"], fields)


def map_job(raw: Raw, ctx: MapContext) -> Records:
    postings = [p for p in raw.get("_postings") or [] if isinstance(p, dict) and p.get("id")]
    primary = postings[0] if postings else {}
    manager = next((m.get("userId") for m in raw.get("hiringTeam") or [] if m.get("role") == "Hiring Manager"), None)
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("customRequisitionId")),
        "description": text(primary.get("descriptionHtml")),
        "confidential": raw.get("confidential"),
        "department": text((raw.get("_department") or {}).get("name")) or text(primary.get("departmentName")),
        "post_url": text(primary.get("externalLink")),
        "custom_fields": custom_fields(raw.get("customFields")),
        "opened_at": ctx.dt(raw.get("openedAt")),
        "closed_at": ctx.dt(raw.get("closedAt")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "contact_id": ctx.ref("users", manager),
        "employment_type": _EMPLOYMENT.get(raw.get("employmentType") or "", raw.get("employmentType")),
        "status": _STATUS.get(raw.get("status") or "", raw.get("status")),
        "visibility": _visibility(raw, primary),
        "remote_work_status": _WORKPLACE.get(primary.get("workplaceType") or ""),
        "location": _location(primary) if primary else None,
        **_salary(primary),
    }
    nested = {
        "screening_questions": screening_questions(raw["id"], primary or None, ctx),
        "job_postings": [_posting(p, ctx) for p in postings],
        "hiring_team": _hiring_team(raw, ctx),
    }
    yield ctx.record("jobs", raw["id"], fields, nested)
    for stage in raw.get("_stages") or []:
        if stage.get("id"):
            yield map_stage(raw["id"], stage, ctx)
