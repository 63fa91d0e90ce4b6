"""Greenhouse Harvest records -> unified records. Pure functions: no network, no database.

Shapes: the only public example payloads are Harvest **v1** (nested objects: ``jobs[]``, ``current_stage``,
``rejection_reason`` ...), while live tenants speak **v3** (flattened to ids: ``job_id``, ``stage_id``,
``rejection_reason_id``, renamed statuses). Every mapper reads the v1 shape first and falls back to the
documented v3 key where that is cheap, so both work unchanged.

Keys starting with ``_`` are lookups the connector's fetch attached (tag ids, job posts, the interview's
stage): a pure mapper cannot resolve a tag *name* or a job's posts by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import guess_content_type
from atsbridge.core.richtext import text_to_html
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

APP_URL = "https://app.greenhouse.io"

#: §1.9: v1 ``active`` and v3 ``in_process`` are the same state. ``converted`` is handled in application().
OUTCOMES: dict[str, str] = {"active": "PENDING", "in_process": "PENDING", "rejected": "DECLINED", "hired": "HIRED"}
#: v1 lowercase and v3 capitalised offer statuses (lowercased before lookup). Unresolved: see offer_status().
OFFER_STATUSES: dict[str, str] = {"accepted": "ACCEPTED", "rejected": "DECLINED", "deprecated": "ABANDONED"}
JOB_STATUSES: dict[str, str] = {"open": "OPEN", "closed": "CLOSED", "draft": "DRAFT"}
ATTACHMENT_TYPES: dict[str, str] = {"resume": "CV", "cover_letter": "COVER_LETTER"}
EMPLOYMENT_TYPES: dict[str, str] = {
    "full-time": "FULL_TIME", "full time": "FULL_TIME", "part-time": "PART_TIME", "part time": "PART_TIME",
    "contract": "CONTRACT", "contractor": "CONTRACT", "temporary": "SEASONAL", "seasonal": "SEASONAL",
    "intern": "INTERNSHIP", "internship": "INTERNSHIP",
}  # fmt: skip

#: Greenhouse has no roles listing: permission levels are a fixed catalog (users carry ``site_admin``)
#: and job roles are the four hiring-team slots. (key, label, scope, unified type)
ROLE_CATALOG: tuple[tuple[str, str, str, str | None], ...] = (
    ("site_admin", "Site Admin", "SYSTEM", "ADMIN"),
    ("basic", "Basic", "SYSTEM", None),
    ("hiring_managers", "Hiring Manager", "JOB", "HIRING_MANAGER"),
    ("recruiters", "Recruiter", "JOB", "RECRUITER"),
    ("coordinators", "Coordinator", "JOB", "COORDINATOR"),
    ("sourcers", "Sourcer", "JOB", "SOURCER"),
)
_ROLES = {key: (label, unified) for key, label, _, unified in ROLE_CATALOG}
_HIRING_TEAM_KEYS = ("hiring_managers", "recruiters", "coordinators", "sourcers")

#: Built-in application form fields of a job post: contact details, not screening questions.
BUILTIN_QUESTIONS = frozenset({"first_name", "last_name", "email", "phone", "resume", "cover_letter"})
#: Scorecard scales, worst to best. v3's ``candidate_rating`` says ``strong_no``: an unknown value is added
#: as an option of its own rather than dropped.
RECOMMENDATIONS = ("definitely_not", "no", "no_decision", "yes", "strong_yes")
ATTRIBUTE_RATINGS = ("definitely_not", "no", "mixed", "yes", "strong_yes")


# ------------------------------------------------------------------------------------------- helpers
def _first(items: Any) -> Json:
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _id(value: Any) -> Any:
    """An id given either bare (v3) or as an object with ``id`` (v1)."""
    return value.get("id") if isinstance(value, dict) else value


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _location(text: Any) -> Json | None:
    return {"raw": str(text)} if text else None


# --------------------------------------------------------------------------------- users and roles
def system_role(site_admin: bool) -> Json:
    key = "site_admin" if site_admin else "basic"
    label, unified = _ROLES[key]
    return {"remote_id": key, "remote_label": label, "unified_type": unified}


def user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    emails = raw.get("emails") or []
    disabled = raw.get("disabled", raw.get("deactivated"))  # v1 ``disabled``, v3 ``deactivated``
    fields = {
        "first_name": raw.get("first_name"),
        "last_name": raw.get("last_name"),
        "email": raw.get("primary_email_address") or (emails[0] if emails else None),
        "status": "INACTIVE" if disabled else "ACTIVE",
    }
    nested = {"system_roles": [system_role(bool(raw.get("site_admin")))]}
    yield ctx.record("users", raw["id"], fields, nested)


def role(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """One entry of :data:`ROLE_CATALOG`, as the connector lists it (``id``, ``name``, ``scope``, ``type``)."""
    fields = {"remote_label": raw["name"], "scope": raw["scope"], "unified_type": raw.get("type")}
    yield ctx.record("roles", raw["id"], fields)


def role_catalog() -> list[Json]:
    return [{"id": k, "name": label, "scope": scope, "type": t} for k, label, scope, t in ROLE_CATALOG]


def tag(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("tags", raw["id"], {"name": raw.get("name")})


def rejection_reason(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("rejection_reasons", raw["id"], {"name": raw.get("name")})


# -------------------------------------------------------------------------------------------- jobs
def hiring_team(team: Raw | None, ctx: MapContext) -> list[Json]:
    """Either shape: embedded in a v1 job (user objects with ``id``) or ``/jobs/{id}/hiring_team``
    (``user_id`` + ``active``; inactive members are former members and are left out)."""
    members: dict[Any, Json] = {}
    for key in _HIRING_TEAM_KEYS:
        label, unified = _ROLES[key]
        for member in (team or {}).get(key) or []:
            if member.get("active") is False:
                continue
            uid = member.get("user_id", member.get("id"))
            if uid is None:
                continue
            entry = members.setdefault(uid, {"user_id": ctx.ref("users", uid), "hiring_team_roles": []})
            entry.setdefault("job_roles", [])
            entry["hiring_team_roles"].append(unified)
            entry["job_roles"].append({"remote_id": key, "remote_label": label, "unified_type": unified})
    return list(members.values())


def question_format(q: Raw, ctx: MapContext, key: str) -> Json:
    kind = q.get("type")
    if kind in ("short_text", "long_text"):
        return {"type": "TEXT", "display_type": "SINGLE_LINE" if kind == "short_text" else "MULTI_LINE"}
    if kind == "attachment":
        return {"type": "FILE"}
    if kind == "boolean":
        return {"type": "BOOLEAN"}
    if kind in ("multi_select", "single_select"):
        options = [
            {"id": ctx.ref("question_options", f"{key}:{v.get('value')}"), "name": str(v.get("label")),
             "remote_id": str(v.get("value"))}
            for v in q.get("values") or []
        ]  # fmt: skip
        return {"type": "MULTI_SELECT" if kind == "multi_select" else "SINGLE_SELECT", "options": options}
    return {"type": "UNKNOWN", "raw_question": dict(q)}


def screening_questions(job_id: Any, posts: Iterable[Raw], ctx: MapContext) -> list[Json]:
    """The application form questions of the job's posts, deduplicated by field name (posts of one job
    usually share the form). ``question_1[]`` names a multi-value form field; the id is without ``[]``."""
    out: list[Json] = []
    seen: set[str] = set()
    for post in posts:
        for q in post.get("questions") or []:
            name = str(q.get("name") or "").removesuffix("[]")
            if not name or name in BUILTIN_QUESTIONS or name in seen:
                continue
            seen.add(name)
            key = f"{job_id}:{name}"
            out.append(
                {
                    "id": ctx.ref("screening_questions", key),
                    "remote_id": name,
                    "title": q.get("label"),
                    "description": q.get("description"),
                    "required": q.get("required"),
                    "format": question_format(q, ctx, key),
                    "index": len(out),
                }
            )
    return out


def job_posting(post: Raw, ctx: MapContext) -> Json:
    visibility = "PUBLIC" if post.get("external") else "INTERNAL" if post.get("internal") else "UNLISTED"
    return {
        "id": ctx.ref("job_postings", post["id"]),
        "remote_id": str(post["id"]),
        "title": post.get("title"),
        "description_html": post.get("content"),
        "status": "ACTIVE" if post.get("live") else "INACTIVE",
        "visibility": visibility,
        "url": post.get("absolute_url"),
    }


def _primary_post(posts: list[Raw]) -> Raw:
    """The post candidates see: live and external first, then any live one, then any."""
    for wanted in (lambda p: p.get("live") and p.get("external"), lambda p: p.get("live"), lambda p: True):
        for post in posts:
            if wanted(post):
                return post
    return {}


def _job_visibility(raw: Raw, posts: list[Raw]) -> str | None:
    if raw.get("confidential"):
        return "CONFIDENTIAL"
    live = [p for p in posts if p.get("live")]
    if any(p.get("external") for p in live):
        return "PUBLIC"
    return "INTERNAL" if live else None


def _salary(custom: Raw) -> Json:
    """The common ``salary_range`` currency-range custom field (v1 job example), when present."""
    rng = custom.get("salary_range")
    if not isinstance(rng, dict):
        return {}
    return {
        "salary_amount_from": rng.get("min_value"),
        "salary_amount_to": rng.get("max_value"),
        "salary_currency": rng.get("unit"),
    }


def _office_location(office: Raw) -> Any:
    """``{"name": ...}`` in Harvest, a bare string in webhook payloads."""
    location = office.get("location")
    return location.get("name") if isinstance(location, dict) else location


def job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    posts = sorted(raw.get("_job_posts") or [], key=lambda p: p["id"])
    custom = raw.get("custom_fields") or {}
    employment = custom.get("employment_type")
    fields = {
        "name": raw.get("name"),
        "job_code": raw.get("requisition_id"),
        "description": _primary_post(posts).get("content"),
        "confidential": raw.get("confidential"),
        "status": JOB_STATUSES.get(str(raw.get("status") or "").lower()),
        "department": _first(raw.get("departments")).get("name"),
        "location": _location(_office_location(_first(raw.get("offices")))),
        "custom_fields": custom or None,
        "employment_type": EMPLOYMENT_TYPES.get(employment.lower()) if isinstance(employment, str) else None,
        "remote_url": f"{APP_URL}/sdash/{raw['id']}",
        "opened_at": ctx.dt(raw.get("opened_at")),
        "closed_at": ctx.dt(raw.get("closed_at")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "visibility": _job_visibility(raw, posts),
        **_salary(custom),
    }
    nested = {
        "screening_questions": screening_questions(raw["id"], posts, ctx),
        "job_postings": [job_posting(p, ctx) for p in posts],
        "hiring_team": hiring_team(raw.get("hiring_team"), ctx),
    }
    yield ctx.record("jobs", raw["id"], fields, nested)


def stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job interview stage (v1 ``job_stages``, v3 ``job_interview_stages``): stages are per job."""
    fields = {
        "name": raw.get("name"),
        "status": "INACTIVE" if raw.get("active") is False else "ACTIVE",
        "index": raw.get("priority"),
        "job_id": ctx.ref("jobs", raw.get("job_id")),
    }
    yield ctx.record("application_stages", raw["id"], fields)


# -------------------------------------------------------------------------------------- candidates
def _tag_ids(raw: Raw, ctx: MapContext) -> list[str]:
    """Candidates carry tag *names*; the fetch attaches ``_tag_ids`` (name -> id). A name missing from it
    (a tag created after this run listed tags) is left out until the candidate is read again."""
    table = raw.get("_tag_ids") or {}
    ids: list[str] = []
    for entry in raw.get("tags") or []:
        ref = ctx.ref("tags", entry.get("id") if isinstance(entry, dict) else table.get(entry))
        if ref is not None:
            ids.append(ref)
    return ids


def _social(raw: Raw) -> list[Json]:
    social = raw.get("social_media_addresses") or []
    links = [{"link": s.get("value"), "type": s.get("type") or "social"} for s in social]
    links += [{"link": w.get("value"), "type": w.get("type") or "website"} for w in raw.get("website_addresses") or []]
    return links


def candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    applied = [a for a in raw.get("applications") or [] if isinstance(a, dict) and not a.get("prospect")]
    fields = {
        "first_name": raw.get("first_name"),
        "last_name": raw.get("last_name"),
        "company": raw.get("company"),
        "title": raw.get("title"),
        "confidential": raw.get("is_private", raw.get("private")),
        "source": (_first(applied).get("source") or {}).get("public_name"),
        "custom_fields": raw.get("custom_fields") or None,
        "remote_url": f"{APP_URL}/people/{raw['id']}",
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "phone_numbers": [
            {"phone_number": p["value"], "type": p.get("type")} for p in raw.get("phone_numbers") or [] if p["value"]
        ],
        "email_addresses": [
            {"email_address": e.get("value"), "type": e.get("type")} for e in raw.get("email_addresses") or []
        ],
        "social_media": _social(raw),
        "location": _location(_first(raw.get("addresses")).get("value")),
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": _tag_ids(raw, ctx)})


# ------------------------------------------------------------------------------------ applications
_TYPED_ANSWERS = {
    "multi_select": "MULTI_SELECT", "single_select": "SINGLE_SELECT", "boolean": "BOOLEAN", "yes_no": "BOOLEAN",
    "number": "NUMBER", "date": "DATE",
}  # fmt: skip


_ANSWERS: dict[str, Callable[[Any], Json]] = {
    "MULTI_SELECT": lambda v: {"choices": [str(x) for x in (v if isinstance(v, list) else [] if v is None else [v])]},
    "SINGLE_SELECT": lambda v: {"choice": None if v is None else str(v)},
    "BOOLEAN": lambda v: {"checked": v if isinstance(v, bool) else str(v).lower() in ("yes", "true", "1")},
    "NUMBER": lambda v: {"number": v},
    "DATE": lambda v: {"date": v},
    "TEXT": lambda v: {"content": None if v is None else str(v)},
}


def screening_answer(item: Raw) -> Json:
    """v1 answers are ``{question, answer}`` strings (booleans already "Yes"/"No"): TEXT. An answer that
    says its ``type`` (or is a list) is mapped to that type."""
    value = item.get("answer")
    default = "MULTI_SELECT" if isinstance(value, list) else "TEXT"
    kind = _TYPED_ANSWERS.get(str(item.get("type") or "").lower(), default)
    question = {"type": kind, "remote_id": item.get("question_id"), "title": str(item.get("question") or "")}
    answer = _ANSWERS[kind](value)
    return {"question": question, "answer": answer}


def _application_job(raw: Raw) -> Any:
    """A candidate application has one job; a prospect 0..n: only an unambiguous one is kept."""
    if raw.get("job_id") is not None:
        return raw["job_id"]
    jobs = raw.get("jobs") or []
    return _id(jobs[0]) if len(jobs) == 1 else None


def application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """§1.9 outcomes. ``converted`` prospect applications are skipped: Greenhouse turned them into a new
    candidate application, which is listed (and mapped) itself, so the old one is superseded."""
    status = str(raw.get("status") or "").lower()
    if status == "converted":
        return
    reason = raw.get("rejection_reason") or raw.get("_rejection_reason") or {}
    stage_id = _id(raw.get("current_stage")) or raw.get("stage_id") or raw.get("job_interview_stage_id")
    answers = raw.get("answers")
    candidate_id = raw.get("candidate_id") or _id(raw.get("candidate"))  # webhooks embed the candidate
    built_url = f"{APP_URL}/people/{candidate_id}/applications/{raw['id']}" if candidate_id else None
    fields = {
        "outcome": OUTCOMES.get(status),
        "rejection_reason_name": reason.get("name"),
        "rejected_at": ctx.dt(raw.get("rejected_at")),
        "current_stage_id": ctx.ref("application_stages", stage_id),
        "job_id": ctx.ref("jobs", _application_job(raw)),
        "candidate_id": ctx.ref("candidates", candidate_id),
        "custom_fields": raw.get("custom_fields") or None,
        "remote_url": raw.get("url") or built_url,
        "remote_created_at": ctx.dt(raw.get("applied_at") or raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("last_activity_at") or raw.get("updated_at")),
        "screening_question_answers": None if answers is None else [screening_answer(a) for a in answers],
    }
    yield ctx.record("applications", raw["id"], fields)


# --------------------------------------------------------------------------------------- interviews
def _when(value: Any) -> Any:
    """v1 ``{date_time}`` or ``{date}`` (all-day) objects; a bare timestamp otherwise."""
    return value.get("date_time") or value.get("date") if isinstance(value, dict) else value


def interview(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    stage_id = raw.get("_stage_id") or raw.get("job_interview_stage_id") or raw.get("stage_id")
    fields = {
        "title": (raw.get("interview") or {}).get("name") or raw.get("title"),
        "starting_at": ctx.dt(_when(raw.get("start"))),
        "ending_at": ctx.dt(_when(raw.get("end"))),
        "video_conferencing_url": raw.get("video_conferencing_url"),
        "application_id": ctx.ref("applications", raw.get("application_id")),
        "stage_id": ctx.ref("application_stages", stage_id),
        "canceled": str(raw.get("status") or "").lower() in ("canceled", "cancelled"),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "location": _location(raw.get("location")),
    }
    users = [ctx.ref("users", i.get("user_id", i.get("id"))) for i in raw.get("interviewers") or []]
    yield ctx.record("interviews", raw["id"], fields, {"user_ids": [u for u in users if u]})


# ------------------------------------------------------------------------------------------- offers
def offer_status(raw: Raw) -> str | None:
    """Resolved statuses map directly; an unresolved (v1) / ``Created`` (v3) offer is SENT once it has a
    sent date, else a DRAFT."""
    status = str(raw.get("status") or raw.get("offer_status") or "").lower()  # webhooks: ``offer_status``
    if status in OFFER_STATUSES:
        return OFFER_STATUSES[status]
    if status in ("unresolved", "created"):
        return "SENT" if raw.get("sent_at") or raw.get("sent_on") else "DRAFT"
    return None


def offer(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    fields = {
        "status": offer_status(raw),
        "employment_start_date": ctx.dt(raw.get("starts_at") or raw.get("starts_on")),
        "application_id": ctx.ref("applications", raw.get("application_id")),
        "custom_fields": raw.get("custom_fields") or None,
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
    }
    yield ctx.record("offers", raw["id"], fields)


# -------------------------------------------------------------------------------------------- notes
def _note_html(body: object) -> str | None:
    """Greenhouse note bodies are plain text: escaped (a body is never HTML to pass through)."""
    return text_to_html(body) if isinstance(body, str) and body.strip() else None


def note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A note of v3's flat ``/notes`` (the v1 activity-feed note plus ``candidate_id``). Emails and
    activities share that listing (``type``) and are not notes."""
    if str(raw.get("type") or "note").lower() != "note":
        return
    visibility = raw.get("visibility") or raw.get("visiblity")  # v1 echoes a misspelled legacy key
    fields = {
        "candidate_id": ctx.ref("candidates", raw["candidate_id"]),
        "application_id": ctx.ref("applications", raw.get("application_id")),
        "author_id": ctx.ref("users", _id(raw.get("user")) or raw.get("user_id")),
        "title": raw.get("subject"),
        "content_html": _note_html(raw.get("body")),
        "is_private": bool(raw.get("private")) or visibility in ("private", "admin_only"),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at") or raw.get("created_at")),
    }
    yield ctx.record("notes", raw["id"], fields)


def activity_feed_notes(feed: Raw, candidate_id: Any, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """v1's per-candidate ``/candidates/{id}/activity_feed``: its ``notes`` lack the candidate id."""
    for item in feed.get("notes") or []:
        yield from note({**item, "candidate_id": candidate_id}, ctx)


# --------------------------------------------------------------------------------------- scorecards
def _select(remote_id: str | None, label: str, scale: Iterable[str], value: Any, description: Any = None) -> Json:
    options = [{"remote_id": key, "label": _label(key)} for key in scale]
    if value is not None and value not in scale:
        options.append({"remote_id": str(value), "label": _label(str(value))})
    answer = next((o for o in options if o["remote_id"] == value), None)
    return {
        "type": "SINGLE_SELECT", "remote_id": remote_id, "label": label, "description": description,
        "options": options, "answer": answer,
    }  # fmt: skip


def scorecard_responses(raw: Raw) -> list[Json]:
    """Overall recommendation first, then the rated attributes (focus attributes), then the questions."""
    overall = raw.get("overall_recommendation") or raw.get("candidate_rating")
    out = [_select("overall_recommendation", "Overall recommendation", RECOMMENDATIONS, overall)]
    for attr in raw.get("attributes") or []:
        out.append(_select(None, str(attr.get("name")), ATTRIBUTE_RATINGS, attr.get("rating"), attr.get("type")))
    for q in raw.get("questions") or []:
        qid = q.get("id")
        answer = q.get("answer")
        out.append(
            {"type": "TEXT", "remote_id": None if qid is None else str(qid), "label": str(q.get("question") or ""),
             "answer": None if answer is None else str(answer)}
        )  # fmt: skip
    return out


def scorecard(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """The author is the interviewer (``submitted_by`` may be someone submitting on their behalf). v1 links
    a scorecard to the interview *step*, not the scheduled interview: ``interview_id`` only from v3."""
    author = _id(raw.get("interviewer")) or raw.get("interviewer_id") or _id(raw.get("submitted_by"))
    fields = {
        "candidate_id": ctx.ref("candidates", raw.get("candidate_id")),
        "application_id": ctx.ref("applications", raw.get("application_id")),
        "interview_id": ctx.ref("interviews", raw.get("interview_id")),
        "author_id": ctx.ref("users", author),
        "remote_created_at": ctx.dt(raw.get("created_at") or raw.get("submitted_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at") or raw.get("submitted_at")),
        "responses": scorecard_responses(raw),
    }
    yield ctx.record("scorecards", raw["id"], fields)


# -------------------------------------------------------------------------------------- attachments
def attachment_type(kind: Any) -> str:
    return ATTACHMENT_TYPES.get(str(kind or "").lower(), "OTHER")


def attachment(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A v3 ``/attachments`` row. Its ``url`` is signed and short-lived, so it is not stored: downloads
    ask the API for a fresh one (the connector's ``download`` hook)."""
    fields = {
        "candidate_id": ctx.ref("candidates", raw["candidate_id"]),
        "application_id": ctx.ref("applications", raw.get("application_id")),
        "type": attachment_type(raw.get("type")),
        "file_name": raw.get("filename"),
        "content_type": raw.get("content_type") or guess_content_type(raw.get("filename")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at") or raw.get("created_at")),
    }
    yield ctx.record("attachments", raw["id"], fields)
