"""Workable SPI v3 payloads -> unified records. Pure functions: no network, no database.

What a mapper needs beyond the vendor record, the source attaches under an underscore key:

* jobs: ``_questions`` (``/jobs/{shortcode}/questions``), ``_members`` (``/jobs/{shortcode}/members``) and
  ``_stages`` (``/jobs/{shortcode}/stages``); the job itself is the list record merged with its detail.
* candidates: the list record merged with ``/candidates/{id}`` (tags, answers, ``disqualified_at``...) and
  ``_stage_slugs``, the job's stage name -> slug table (a candidate names its stage, moves need the slug).
* activities: ``_candidate_id`` (candidate activity lists do not repeat the candidate).
* offers: ``_candidate_id``.

Identity choices: a job is keyed by its ``shortcode`` (candidates and events name only that); a stage by
``<shortcode>:<slug>`` (stages are per job, and ``move`` takes the slug); a Workable candidate is per job, so
it is both the unified candidate and its one application (same remote id in both models).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import split_name, text
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def slugify(name: object) -> str:
    """Workable's stage slug rule for its own stages ("Phone Screen" -> "phone-screen")."""
    return re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")


def stage_remote_id(shortcode: str, slug: str) -> str:
    return f"{shortcode}:{slug}"


def split_stage_remote_id(remote_id: str) -> tuple[str, str]:
    shortcode, _, slug = remote_id.partition(":")
    return shortcode, slug


# ------------------------------------------------------------------------------------------ users and roles

#: Account roles (``members[].roles``): remote id -> (label, unified type). Unknown ones pass with no type.
SYSTEM_ROLES: dict[str, tuple[str, str | None]] = {
    "workable.superadmin": ("Super Admin", "ADMIN"),
    "ats.admin": ("Admin", "ADMIN"),
    "ats.simple": ("Standard", None),
    "ats.reviewer": ("Reviewer", "INTERVIEWER"),
    "ats.recruiter": ("Recruiter", "RECRUITER"),
    "hris.admin": ("HR Admin", None),
    "hris.employee": ("Employee", None),
}
#: Hiring-team roles (``/jobs/{shortcode}/members`` ``collaboration_role``). "admin" is an access level.
JOB_ROLES: dict[str, tuple[str, str | None]] = {
    "admin": ("Job Admin", None),
    "hiring_manager": ("Hiring Manager", "HIRING_MANAGER"),
    "recruiter": ("Recruiter", "RECRUITER"),
    "reviewer": ("Reviewer", "INTERVIEWER"),
}


def _label(role: str) -> str:
    return role.rsplit(".", 1)[-1].replace("_", " ").title()


def role_rows(seen_system: set[str], seen_job: set[str]) -> list[Raw]:
    """The roles listing: the known catalog plus every role this run saw on members and hiring teams."""
    system = {**SYSTEM_ROLES, **{r: (_label(r), None) for r in seen_system if r not in SYSTEM_ROLES}}
    job = {**JOB_ROLES, **{r: (_label(r), None) for r in seen_job if r not in JOB_ROLES}}
    rows = [{"id": k, "label": v[0], "type": v[1], "scope": "SYSTEM"} for k, v in sorted(system.items())]
    return rows + [{"id": f"job:{k}", "label": v[0], "type": v[1], "scope": "JOB"} for k, v in sorted(job.items())]


def map_role(raw: Raw, ctx: MapContext) -> Records:
    fields = {"remote_label": raw["label"], "scope": raw["scope"], "unified_type": raw["type"]}
    yield ctx.record("roles", raw["id"], fields)


def member_roles(raw: Raw) -> list[str]:
    """``roles`` lists the member's account roles; older payloads only have ``role`` (admin / simple)."""
    roles = [r for r in raw.get("roles") or [] if isinstance(r, str)]
    return roles or ([f"ats.{raw['role']}"] if text(raw.get("role")) else [])


def map_member(raw: Raw, ctx: MapContext) -> Records:
    first, last = split_name(raw.get("name"))
    roles = [
        {"remote_id": r, "remote_label": SYSTEM_ROLES.get(r, (_label(r), None))[0],
         "unified_type": SYSTEM_ROLES.get(r, (None, None))[1]}
        for r in member_roles(raw)
    ]  # fmt: skip
    fields = {
        "first_name": first,
        "last_name": last,
        "email": text(raw.get("email")),
        "status": "INACTIVE" if raw.get("active") is False else "ACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_disqualification_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": text(raw.get("description"))})


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """Workable tags are plain strings on candidates: the text is the identity."""
    if text(raw.get("name")):
        yield ctx.record("tags", raw["name"], {"name": raw["name"]})


# ---------------------------------------------------------------------------------------------------- jobs

_STATUS = {"draft": "DRAFT", "published": "OPEN", "closed": "CLOSED", "archived": "ARCHIVED"}
_POSTING_STATUS = {"published": "ACTIVE", "closed": "INACTIVE", "archived": "INACTIVE", "draft": "DRAFT"}
_WORKPLACE = {"on_site": "ON_SITE", "remote": "REMOTE", "hybrid": "HYBRID"}
_EMPLOYMENT = {
    "full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACT", "temporary": "SEASONAL",
    "internship": "INTERNSHIP", "seasonal": "SEASONAL",
}  # fmt: skip


def _employment(value: object) -> str | None:
    found = text(value)
    return _EMPLOYMENT.get(found.lower(), found) if found else None


def _job_location(raw: Raw) -> Raw | None:
    loc = raw.get("location") or {}
    if not isinstance(loc, dict) or not any(loc.get(k) for k in ("location_str", "city", "country")):
        return None
    parts = [loc.get("city"), loc.get("region") or loc.get("region_code"), loc.get("country")]
    return {
        "raw": text(loc.get("location_str")) or ", ".join(p for p in parts if p) or None,
        "city": text(loc.get("city")),
        "state": text(loc.get("region")) or text(loc.get("region_code")),
        "country": text(loc.get("country_code")) or text(loc.get("country")),
        "zip_code": text(loc.get("zip_code")),
    }


def _department(raw: Raw) -> str | None:
    hierarchy = [d for d in raw.get("department_hierarchy") or [] if isinstance(d, dict)]
    return text(raw.get("department")) or (text(hierarchy[-1].get("name")) if hierarchy else None)


def _custom_fields(raw: Raw) -> Raw | None:
    found = {k: raw[k] for k in ("industry", "function", "education", "keywords") if raw.get(k)}
    return found or None


_QUESTION_FORMATS: dict[str, Raw] = {
    "free_text": {"type": "TEXT", "display_type": "MULTI_LINE"}, "short_text": {"type": "TEXT"},
    "boolean": {"type": "BOOLEAN"}, "date": {"type": "DATE"}, "numeric": {"type": "NUMBER"},
}  # fmt: skip
_MIME = {
    "pdf": "application/pdf", "doc": "application/msword", "rtf": "application/rtf", "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "odt":
    "application/vnd.oasis.opendocument.text", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif",
}  # fmt: skip


def _question(shortcode: str, raw: Raw, index: int, ctx: MapContext) -> Raw:
    kind = raw.get("type") or ""
    fmt: Raw = dict(_QUESTION_FORMATS.get(kind) or {"type": "UNKNOWN", "raw_question": raw})
    qid = str(raw.get("id") or raw.get("key") or index)
    if kind in ("dropdown", "multiple_choice"):
        options = [
            {"id": ctx.ref("question_options", f"{shortcode}:{qid}:{c.get('id')}"), "name": c.get("body") or "",
             "remote_id": c.get("id")}
            for c in raw.get("choices") or []
        ]  # fmt: skip
        if raw.get("single_answer", True):
            fmt = {"type": "SINGLE_SELECT", "options": options, "display_type": "DROPDOWN" if kind == "dropdown"
                   else "RADIO"}  # fmt: skip
        else:
            fmt = {"type": "MULTI_SELECT", "options": options}
    elif kind == "file":
        types = [_MIME.get(str(t).lower(), f"application/{t}") for t in raw.get("supported_file_types") or []]
        fmt = {"type": "FILE", "accepted_mime_types": types or None, "max_file_size_bytes": raw.get("max_file_size")}
    return {
        "id": ctx.ref("screening_questions", f"{shortcode}:{qid}"),
        "remote_id": qid,
        "title": text(raw.get("body")),
        "required": raw.get("required"),
        "format": fmt,
        "index": index,
    }


def _hiring_team(members: list[Raw], ctx: MapContext) -> list[Raw]:
    team = []
    for member in members:
        role = text(member.get("collaboration_role"))
        label, unified = JOB_ROLES.get(role, (_label(role), None)) if role else (None, None)
        job_roles = [{"remote_id": f"job:{role}", "remote_label": label, "unified_type": unified}] if role else []
        team.append({"user_id": ctx.ref("users", member["id"]), "hiring_team_roles": [unified] if unified else [],
                     "job_roles": job_roles})  # fmt: skip
    return team


def _posting(raw: Raw, ctx: MapContext) -> Raw:
    """The job is its own ad on Workable's careers page (no separate posting object)."""
    state = raw.get("state") or ""
    return {
        "id": ctx.ref("job_postings", raw["shortcode"]),
        "remote_id": raw["shortcode"],
        "title": text(raw.get("title")),
        "description_html": text(raw.get("full_description")) or text(raw.get("description")),
        "status": _POSTING_STATUS.get(state, "DRAFT"),
        "visibility": "PUBLIC" if state == "published" else None,
        "url": text(raw.get("shortlink")) or text(raw.get("application_url")),
    }


def _visibility(raw: Raw) -> str | None:
    if raw.get("confidential"):
        return "CONFIDENTIAL"
    return "PUBLIC" if raw.get("state") == "published" else None


def map_stage(shortcode: str, raw: Raw, ctx: MapContext) -> UnifiedRecord:
    position = raw.get("position")
    fields = {
        "name": text(raw.get("name")),
        "status": "ACTIVE",
        "index": position - 1 if isinstance(position, int) else None,
        "job_id": ctx.ref("jobs", shortcode),
        "custom_fields": {"kind": raw.get("kind")} if raw.get("kind") else None,
    }
    return ctx.record("application_stages", stage_remote_id(shortcode, str(raw["slug"])), fields)


def map_job(raw: Raw, ctx: MapContext) -> Records:
    """A job (list record merged with its detail) and its pipeline stages."""
    shortcode = str(raw["shortcode"])
    salary = raw.get("salary") or {}
    currency = text(salary.get("salary_currency"))
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("code")),
        "description": text(raw.get("full_description")) or text(raw.get("description")),
        "confidential": raw.get("confidential"),
        "category": text(raw.get("function")),
        "department": _department(raw),
        "post_url": text(raw.get("shortlink")),
        "remote_url": text(raw.get("url")),
        "experience_level": text(raw.get("experience")),
        "salary_amount_from": _number(salary.get("salary_from")),
        "salary_amount_to": _number(salary.get("salary_to")),
        "salary_currency": currency.upper() if currency else None,
        "custom_fields": _custom_fields(raw),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "employment_type": _employment(raw.get("employment_type")),
        "status": _STATUS.get(raw.get("state") or "", raw.get("state")),
        "visibility": _visibility(raw),
        "remote_work_status": _WORKPLACE.get(raw.get("workplace_type") or ""),
        "location": _job_location(raw),
    }
    questions = [q for q in raw.get("_questions") or [] if isinstance(q, dict)]
    nested = {
        "screening_questions": [_question(shortcode, q, i, ctx) for i, q in enumerate(questions)],
        "job_postings": [_posting(raw, ctx)],
        "hiring_team": _hiring_team([m for m in raw.get("_members") or [] if m.get("id")], ctx),
    }
    yield ctx.record("jobs", shortcode, fields, nested)
    for stage in raw.get("_stages") or []:
        if stage.get("slug"):
            yield map_stage(shortcode, stage, ctx)


# ---------------------------------------------------------------------------------------------------- events


def map_event(raw: Raw, ctx: MapContext) -> Records:
    """Events are Workable's scheduled interviews, calls and meetings. One without a candidate (a plain
    team meeting) is no interview and is skipped."""
    candidate = (raw.get("candidate") or {}).get("id")
    if not candidate:
        return
    users = [ctx.ref("users", m["id"]) for m in raw.get("members") or [] if m.get("id") and m.get("type") == "Member"]
    fields = {
        "title": text(raw.get("title")),
        "starting_at": ctx.dt(raw.get("starts_at")),
        "ending_at": ctx.dt(raw.get("ends_at")),
        "application_id": ctx.ref("applications", candidate),
        "canceled": bool(raw.get("cancelled")),
    }
    yield ctx.record("interviews", raw["id"], fields, {"user_ids": users})


# ------------------------------------------------------------------------------------- activities (notes...)


def comment_html(body: object) -> str | None:
    """Comments are plain text (with @mentions): escaped, line breaks kept."""
    found = text(body)
    return f"<p>{html.escape(found).replace(chr(10), '<br>')}</p>" if found else None


#: The thumbs scale of ratings as activities report it (thumbs down, up, two up).
THUMBS = ("negative", "positive", "definite")


def _rating_responses(raw: Raw) -> list[Raw]:
    score = (raw.get("rating") or {}).get("score")
    responses: list[Raw] = []
    if score in THUMBS:
        options = [{"remote_id": t, "label": t} for t in THUMBS]
        responses.append({"remote_id": "rating", "label": "Rating", "type": "SINGLE_SELECT", "options": options,
                          "answer": {"remote_id": score, "label": score}})  # fmt: skip
    elif score is not None:
        responses.append({"remote_id": "rating", "label": "Rating", "type": "TEXT", "answer": str(score)})
    if text(raw.get("body")):
        responses.append({"remote_id": "comment", "label": "Comment", "type": "TEXT", "answer": raw["body"]})
    return responses


def activity_candidate(raw: Raw) -> str | None:
    return (raw.get("candidate") or {}).get("id") or raw.get("_candidate_id")


def map_activity(raw: Raw, ctx: MapContext) -> Records:
    """Comments are notes and ratings are scorecards; other activities (moves, emails...) are history."""
    candidate = activity_candidate(raw)
    if not candidate:
        return
    author = ctx.ref("users", (raw.get("member") or {}).get("id"))
    common = {
        "candidate_id": ctx.ref("candidates", candidate),
        "application_id": ctx.ref("applications", candidate),
        "author_id": author,
        "remote_created_at": ctx.dt(raw.get("created_at")),
    }
    if raw.get("action") == "comment":
        yield ctx.record("notes", raw["id"], {**common, "content_html": comment_html(raw.get("body"))})
    elif raw.get("action") == "rating":
        yield ctx.record("scorecards", raw["id"], {**common, "responses": _rating_responses(raw)})


# ---------------------------------------------------------------------------------------------------- offers

OFFER_STATUS = {
    "draft": "DRAFT", "pending": "DRAFT", "pending_approval": "DRAFT", "approved": "APPROVED", "sent": "SENT",
    "accepted": "ACCEPTED", "rejected": "DECLINED", "declined": "DECLINED", "withdrawn": "ABANDONED",
    "cancelled": "ABANDONED", "canceled": "ABANDONED",
}  # fmt: skip


def _variable(item: Raw) -> object:
    value = item.get("value") or {}
    data = value.get("data")
    return data.get("cached_value") if isinstance(data, dict) else value.get("body")


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    """``/candidates/{id}/offer`` is the candidate's latest offer (no offer: only the candidate stub, skipped).
    It has no id of its own, so the candidate id keys it: one offer per candidate."""
    if not raw.get("created_at") and not raw.get("state"):
        return
    candidate = raw.get("_candidate_id") or (raw.get("candidate") or {}).get("id")
    variables = {
        str((v.get("document_variable") or {}).get("slug")): _variable(v)
        for v in raw.get("document_variables") or []
        if (v.get("document_variable") or {}).get("slug")
    }
    start = next((v for k, v in variables.items() if "start_date" in k and v), None)
    fields = {
        "status": OFFER_STATUS.get(str(raw.get("state") or "").lower()),
        "employment_start_date": ctx.dt(start) if isinstance(start, str) else None,
        "application_id": ctx.ref("applications", candidate),
        "custom_fields": variables or None,
        "remote_created_at": ctx.dt(raw.get("created_at")),
    }
    yield ctx.record("offers", candidate, fields)


# ------------------------------------------------------------------------------------------------ attachments


def resume_remote_id(candidate_id: str) -> str:
    """A candidate has at most one resume; ``<candidate>:resume`` names it (and lets download find it)."""
    return f"{candidate_id}:resume"


def map_resume(raw: Raw, ctx: MapContext) -> Records:
    """The resume a candidate list record describes in ``resume_metadata`` (the file comes via ``resume_url``)."""
    meta = raw.get("resume_metadata")
    if not isinstance(meta, dict) or not meta.get("filename"):
        return
    kind = str(meta.get("filetype") or str(meta["filename"]).rsplit(".", 1)[-1]).lower()
    fields = {
        "candidate_id": ctx.ref("candidates", raw["id"]),
        "application_id": ctx.ref("applications", raw["id"]),
        "type": "CV",
        "file_name": meta["filename"],
        "content_type": _MIME.get(kind, "application/octet-stream"),
        "remote_created_at": ctx.dt(meta.get("created_at")),
        "remote_updated_at": ctx.dt(meta.get("updated_at")),
    }
    yield ctx.record("attachments", resume_remote_id(str(raw["id"])), fields)


def content_type(file_name: str) -> str:
    return _MIME.get(file_name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
