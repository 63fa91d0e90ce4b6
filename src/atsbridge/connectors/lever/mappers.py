"""Lever v1 payloads -> unified records. Pure functions: no network, no database.

Lever timestamps are epoch milliseconds (``ctx.dt`` converts them). Whatever a mapper needs beyond the vendor
record, the source attaches to the raw dict under an underscore key, so the mappers stay pure:

* ``_archive_reason`` (opportunities): the ``/archive_reasons`` entry that ``archived.reason`` names, or None.
  The outcome depends on that reason's ``type`` (hired / non-hired), which the opportunity does not carry.
* ``_opportunity`` (per-opportunity sub-resources): ``{"id", "applications": [{"id", "posting"}]}``, to name the
  candidate and pick the application (Lever hangs interviews, notes, feedback and files on the opportunity).
* ``_kind`` (attachments): ``"resumes"`` or ``"files"``, the listing a record came from.
* ``_index`` (stages): the position in ``/stages``, which is Lever's pipeline order.
* ``_apply`` (postings): the ``/postings/{id}/apply`` form (screening questions), or None.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import split_name
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]

# --------------------------------------------------------------------------------------------- small helpers


def _text(value: object) -> str | None:
    """Lever sends "" as often as null for an empty string."""
    return value if isinstance(value, str) and value.strip() else None


def _first(values: object) -> str | None:
    if isinstance(values, list):
        for value in values:
            if _text(value):
                return str(value)
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):  # scorecard cells: {"score": 3, "comment": ...}
        return _number(value.get("score"))
    if isinstance(value, str):
        try:
            return float(value.split(" ", 1)[0])  # "4 - Strong Hire" -> 4
        except ValueError:
            return None
    return None


def _opportunity(raw: Raw) -> Raw:
    return raw.get("_opportunity") or {"id": raw.get("opportunityId"), "applications": []}


def application_for(opportunity: Raw, postings: Iterable[object]) -> str | None:
    """The application of ``opportunity`` for one of ``postings``; the only one when there is just one."""
    apps = [a for a in opportunity.get("applications") or [] if a.get("id")]
    wanted = {p for p in postings if p}
    for app in apps:
        if app.get("posting") in wanted:
            return str(app["id"])
    return str(apps[0]["id"]) if len(apps) == 1 else None


# ------------------------------------------------------------------------------------------ users and roles

#: Lever's access roles are a fixed product enum (no endpoint lists them): remote id -> (label, unified type).
ACCESS_ROLES: dict[str, tuple[str, str | None]] = {
    "super admin": ("Super Admin", "ADMIN"),
    "admin": ("Admin", "ADMIN"),
    "team member": ("Team Member", "RECRUITER"),
    "limited team member": ("Limited Team Member", "HIRING_MANAGER"),
    "interviewer": ("Interviewer", "INTERVIEWER"),
}
#: Posting-scoped roles, named after the posting fields that assign them.
JOB_ROLES: dict[str, tuple[str, str | None]] = {
    "owner": ("Owner", "RECRUITER"),
    "hiringManager": ("Hiring Manager", "HIRING_MANAGER"),
    "followers": ("Follower", None),
}


def role_rows() -> list[Raw]:
    """The records of the static roles listing (system roles first)."""
    system = [{"id": k, "label": v[0], "type": v[1], "scope": "SYSTEM"} for k, v in ACCESS_ROLES.items()]
    job = [{"id": k, "label": v[0], "type": v[1], "scope": "JOB"} for k, v in JOB_ROLES.items()]
    return system + job


def map_role(raw: Raw, ctx: MapContext) -> Records:
    fields = {"remote_label": raw["label"], "scope": raw["scope"], "unified_type": raw["type"]}
    yield ctx.record("roles", raw["id"], fields)


def map_user(raw: Raw, ctx: MapContext) -> Records:
    first, last = split_name(raw.get("name"))
    role = raw.get("accessRole")
    label, unified = ACCESS_ROLES.get(role, (role, None)) if role else (None, None)
    roles = [{"remote_id": role, "remote_label": label, "unified_type": unified}] if role else []
    fields = {
        "first_name": first,
        "last_name": last,
        "email": _text(raw.get("email")),
        "status": "INACTIVE" if raw.get("deactivatedAt") else "ACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


# -------------------------------------------------------------------------------- tags, reasons and stages


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """Tags have no id in Lever: the text is the identity (opportunities reference tags by text)."""
    if _text(raw.get("text")):
        yield ctx.record("tags", raw["text"], {"name": raw["text"]})


def map_archive_reason(raw: Raw, ctx: MapContext) -> Records:
    """Archive reasons of type ``non-hired`` are the rejection reasons; ``hired`` ones mark a hire."""
    if raw.get("type") != "hired":
        yield ctx.record("rejection_reasons", raw["id"], {"name": _text(raw.get("text"))})


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """Stages are org-wide in Lever: one global pipeline, so ``job_id`` is None."""
    fields = {"name": _text(raw.get("text")), "status": "ACTIVE", "index": raw.get("_index"), "job_id": None}
    yield ctx.record("application_stages", raw["id"], fields)


# ---------------------------------------------------------------------------------------- jobs (postings)

_JOB_STATUS = {
    "published": "OPEN", "internal": "OPEN", "closed": "CLOSED", "draft": "DRAFT", "pending": "DRAFT",
    "rejected": "ARCHIVED",  # turned down in approval: never opened
}  # fmt: skip
_POSTING_STATUS = {"published": "ACTIVE", "internal": "ACTIVE", "closed": "INACTIVE"}
_VISIBILITY = {"published": "PUBLIC", "internal": "INTERNAL"}
_WORKPLACE = {"remote": "REMOTE", "hybrid": "HYBRID", "onsite": "ON_SITE", "on-site": "ON_SITE"}
_SALARY_PERIOD = {
    "per-year-salary": "YEAR", "per-month-salary": "MONTH", "per-week-salary": "WEEK", "per-day-wage": "DAY",
    "per-hour-wage": "HOUR",
}  # fmt: skip
_EMPLOYMENT = {
    "full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACT", "contractor": "CONTRACT",
    "intern": "INTERNSHIP", "internship": "INTERNSHIP", "seasonal": "SEASONAL", "temporary": "SEASONAL",
}  # fmt: skip


def _employment_type(commitment: object) -> str | None:
    """``categories.commitment`` is free text ("Full-time", "Full-Time"); unknown values pass through raw."""
    text = _text(commitment)
    return _EMPLOYMENT.get(text.lower(), text) if text else None


def _description(content: object) -> str | None:
    """The posting body as HTML: description, the titled lists, then the closing text."""
    if not isinstance(content, dict):
        return None
    parts = [content.get("descriptionHtml") or ""]
    for item in content.get("lists") or []:
        parts.append(f"<h3>{html.escape(item.get('text') or '')}</h3>{item.get('content') or ''}")
    parts.append(content.get("closingHtml") or "")
    joined = "".join(p for p in parts if p)
    return joined or None


def _hiring_team(raw: Raw, ctx: MapContext) -> list[Raw]:
    """Owner, hiring manager and followers, one entry per user with all of that user's posting roles."""
    roles: dict[str, list[str]] = {}
    for key in ("owner", "hiringManager"):
        if raw.get(key):
            roles.setdefault(raw[key], []).append(key)
    for follower in raw.get("followers") or []:
        roles.setdefault(follower, []).append("followers")
    team = []
    for user, keys in roles.items():
        job_roles = [{"remote_id": k, "remote_label": JOB_ROLES[k][0], "unified_type": JOB_ROLES[k][1]} for k in keys]
        unified = [JOB_ROLES[k][1] for k in keys if JOB_ROLES[k][1]]
        team.append({"user_id": ctx.ref("users", user), "hiring_team_roles": unified, "job_roles": job_roles})
    return team


_QUESTION_FORMATS: dict[str, Raw] = {
    "text": {"type": "TEXT", "display_type": "SINGLE_LINE"}, "textarea": {"type": "TEXT", "display_type": "MULTI_LINE"},
    "yes-no": {"type": "BOOLEAN"}, "date": {"type": "DATE"}, "file-upload": {"type": "FILE"},
}  # fmt: skip
_SELECTS = {"dropdown": ("SINGLE_SELECT", "DROPDOWN"), "multiple-choice": ("SINGLE_SELECT", "RADIO")}


def _question(posting_id: str, remote_id: str, field: Raw, index: int, category: str | None, ctx: MapContext) -> Raw:
    kind = field.get("type") or ""
    fmt: Raw = dict(_QUESTION_FORMATS.get(kind) or {"type": "UNKNOWN", "raw_question": field})
    if kind in _SELECTS or kind == "multiple-select":
        key = f"{posting_id}:{remote_id}"
        options = [
            {"id": ctx.ref("question_options", f"{key}:{o.get('optionId') or o.get('text')}"),
             "name": o.get("text") or "", "remote_id": o.get("optionId")}
            for o in field.get("options") or []
        ]  # fmt: skip
        unified, display = _SELECTS.get(kind, ("MULTI_SELECT", None))
        fmt = {"type": unified, "options": options} | ({"display_type": display} if display else {})
    return {
        "id": ctx.ref("screening_questions", f"{posting_id}:{remote_id}"),
        "remote_id": remote_id,
        "title": _text(field.get("text")),
        "description": _text(field.get("description")),
        "category": category,
        "required": field.get("required"),
        "format": fmt,
        "index": index,
    }


def screening_questions(posting_id: str, form: Raw | None, ctx: MapContext) -> list[Raw]:
    """Custom questions and EEO questions of the apply form. ``personalInformation`` and ``urls`` are the
    standard candidate fields (name, email, phone, resume, links), not screening questions."""
    if not form:
        return []
    found: list[tuple[str, Raw, str | None]] = []
    for n, item in enumerate(form.get("customQuestions") or []):
        fields = item.get("fields") if isinstance(item.get("fields"), list) else [item]
        for m, field in enumerate(fields):
            found.append((str(field.get("id") or f"{item.get('id') or n}:{m}"), field, None))
    for key, field in (form.get("eeoQuestions") or {}).items():
        if isinstance(field, dict):
            found.append((f"eeo:{key}", field, "EEO"))
    return [_question(posting_id, rid, field, i, cat, ctx) for i, (rid, field, cat) in enumerate(found)]


def _job_posting(raw: Raw, ctx: MapContext) -> Raw:
    """A Lever posting is itself the published ad: one job posting per job, carrying the posting's state."""
    state = raw.get("state") or ""
    return {
        "id": ctx.ref("job_postings", raw["id"]),
        "remote_id": raw["id"],
        "title": _text(raw.get("text")),
        "description_html": _description(raw.get("content")),
        "status": _POSTING_STATUS.get(state, "DRAFT"),
        "visibility": _VISIBILITY.get(state),
        "url": (raw.get("urls") or {}).get("show"),
    }


def _visibility(raw: Raw) -> str | None:
    if raw.get("confidentiality") == "confidential":
        return "CONFIDENTIAL"
    return _VISIBILITY.get(raw.get("state") or "")


def map_posting(raw: Raw, ctx: MapContext) -> Records:
    cats = raw.get("categories") or {}
    salary = raw.get("salaryRange") or {}
    location = _text(cats.get("location"))
    interval = salary.get("interval")
    fields = {
        "name": _text(raw.get("text")),
        "job_code": _text(raw.get("reqCode")) or _first(raw.get("requisitionCodes")),
        "description": _description(raw.get("content")),
        "confidential": raw.get("confidentiality") == "confidential",
        "category": _text(cats.get("team")),
        "department": _text(cats.get("department")),
        "post_url": (raw.get("urls") or {}).get("show"),
        "experience_level": _text(cats.get("level")),
        "salary_amount_from": _number(salary.get("min")),
        "salary_amount_to": _number(salary.get("max")),
        "salary_currency": _text(salary.get("currency")),
        "salary_period": _SALARY_PERIOD.get(interval, interval) if interval else None,
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "contact_id": ctx.ref("users", raw.get("hiringManager")),
        "employment_type": _employment_type(cats.get("commitment")),
        "status": _JOB_STATUS.get(raw.get("state") or "", raw.get("state")),
        "visibility": _visibility(raw),
        "remote_work_status": _WORKPLACE.get(raw.get("workplaceType") or ""),
        "location": {"raw": location, "country": _text(raw.get("country"))} if location else None,
    }
    nested = {
        "screening_questions": screening_questions(raw["id"], raw.get("_apply"), ctx),
        "job_postings": [_job_posting(raw, ctx)],
        "hiring_team": _hiring_team(raw, ctx),
    }
    yield ctx.record("jobs", raw["id"], fields, nested)


# ----------------------------------------------------------------------- candidates and applications

_SOCIAL = ("linkedin", "github", "twitter", "x.com", "facebook", "xing", "dribbble", "behance", "stackoverflow")


def _link_type(link: str) -> str | None:
    lowered = link.lower()
    for name in _SOCIAL:
        if name in lowered:
            return "TWITTER" if name == "x.com" else name.upper()
    return None


#: Archive reasons are named by each customer; their ``type`` gives the default. An integration's status map
#: may name a reason (its text or id) to override it.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "non-hired": "DECLINED"}, default="DECLINED")


def outcome(opportunity: Raw, ctx: MapContext) -> tuple[str, str | None, datetime | None]:
    """(outcome, rejection reason name, rejected at) from ``archived`` and its archive reason's type.

    Not archived: PENDING. Archived with a ``hired`` reason: HIRED. Any other archive (a ``non-hired`` reason,
    or one Lever no longer lists): DECLINED, since the opportunity has left the pipeline without a hire.
    """
    archived = opportunity.get("archived")
    if not archived:
        return "PENDING", None, None
    reason = opportunity.get("_archive_reason") or {}
    result = ctx.outcome(OUTCOMES, reason.get("type"), names=(reason.get("text"), reason.get("id")))
    if result != "DECLINED":
        return result, None, None
    return "DECLINED", _text(reason.get("text")), ctx.dt(archived.get("archivedAt"))


def _app_updated_ms(opportunity: Raw, app: Raw) -> int | None:
    """What changes an application lives partly on the opportunity: its creation, stage moves, archiving.
    The opportunity's ``updatedAt`` would also move on name or tag edits, which are not the application's."""
    times = [
        app.get("createdAt"),
        opportunity.get("lastAdvancedAt"),
        (opportunity.get("archived") or {}).get("archivedAt"),
        (app.get("archived") or {}).get("archivedAt"),
    ]
    numbers = [int(t) for t in times if isinstance(t, int | float)]
    return max(numbers) if numbers else None


def _answer(field: Raw, ctx: MapContext) -> Raw:
    """One answered apply-form field -> a unified screening answer (unknown kinds keep the raw value)."""
    kind, value = field.get("type") or "", field.get("value")
    answer: Raw
    if kind in ("text", "textarea"):
        unified, answer = "TEXT", {"content": None if value is None else str(value)}
    elif kind in _SELECTS:
        unified, answer = "SINGLE_SELECT", {"choice": _text(value)}
    elif kind == "multiple-select":
        unified, answer = "MULTI_SELECT", {"choices": [str(v) for v in value] if isinstance(value, list) else None}
    elif kind == "yes-no":
        unified, answer = "BOOLEAN", {"checked": yes_no(value)}
    elif kind == "date":
        unified, answer = "DATE", {"date": ctx.dt(value)}
    else:
        unified, answer = "UNKNOWN", {"raw": value}
    return {"question": {"remote_id": field.get("id"), "title": field.get("text") or "", "type": unified},
            "answer": answer}  # fmt: skip


def screening_answers(forms: object, ctx: MapContext) -> list[Raw]:
    """``customQuestions`` of an application: forms whose ``fields`` carry the candidate's ``value``."""
    answers = []
    for form in forms if isinstance(forms, list) else []:
        for field in form.get("fields") or []:
            answers.append(_answer(field, ctx))
    return answers


def _candidate(raw: Raw, apps: list[Raw], ctx: MapContext) -> UnifiedRecord:
    first, last = split_name(raw.get("name"))
    location = _text(raw.get("location"))
    fields = {
        "first_name": first,
        "last_name": last,
        "company": next((_text(a.get("company")) for a in apps if _text(a.get("company"))), None),
        "title": _text(raw.get("headline")),
        "confidential": raw.get("confidentiality") == "confidential",
        "source": _first(raw.get("sources")),
        "remote_url": (raw.get("urls") or {}).get("show"),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "phone_numbers": [
            {"phone_number": p["value"], "type": _text(p.get("type"))}
            for p in raw.get("phones") or []
            if p.get("value")
        ],
        "email_addresses": [{"email_address": e, "type": None} for e in raw.get("emails") or [] if _text(e)],
        "social_media": [{"link": link, "type": _link_type(link)} for link in raw.get("links") or [] if _text(link)],
        "location": {"raw": location} if location else None,
    }
    tags = list(dict.fromkeys(t for t in raw.get("tags") or [] if _text(t)))
    return ctx.record("candidates", raw["id"], fields, {"tag_ids": [ctx.ref("tags", t) for t in tags]})


def _application(raw: Raw, app: Raw, ctx: MapContext) -> UnifiedRecord:
    result, reason, rejected_at = outcome(raw, ctx)
    questions = app.get("customQuestions")
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "rejected_at": rejected_at,
        "current_stage_id": ctx.ref("application_stages", raw.get("stage")),
        "job_id": ctx.ref("jobs", app.get("posting")),
        "candidate_id": ctx.ref("candidates", raw["id"]),
        "remote_url": (raw.get("urls") or {}).get("show"),
        "remote_created_at": ctx.dt(app.get("createdAt") or raw.get("createdAt")),
        "remote_updated_at": ctx.dt(_app_updated_ms(raw, app)),
        "screening_question_answers": screening_answers(questions, ctx) if questions is not None else None,
    }
    return ctx.record("applications", app["id"], fields)


def expanded_applications(raw: Raw) -> list[Raw]:
    """``applications`` holds ids, or application objects with ``expand=applications`` (what the source asks)."""
    return [a if isinstance(a, dict) else {"id": a} for a in raw.get("applications") or [] if a]


def map_opportunity(raw: Raw, ctx: MapContext) -> Records:
    """An opportunity is the unified candidate; each of its applications (one per posting) an application."""
    apps = expanded_applications(raw)
    yield _candidate(raw, apps, ctx)
    for app in apps:
        yield _application(raw, app, ctx)


# ------------------------------------------------------------------------- per-opportunity sub-resources


def map_interview(raw: Raw, ctx: MapContext) -> Records:
    opp = _opportunity(raw)
    start, minutes = raw.get("date"), raw.get("duration")
    end = start + int(minutes) * 60_000 if isinstance(start, int) and isinstance(minutes, int | float) else None
    where = _text(raw.get("location"))
    video = where if where and where.startswith(("http://", "https://")) else None
    fields = {
        "title": _text(raw.get("subject")),
        "starting_at": ctx.dt(start),
        "ending_at": ctx.dt(end),
        "video_conferencing_url": video,
        "application_id": ctx.ref("applications", application_for(opp, raw.get("postings") or [])),
        "stage_id": ctx.ref("application_stages", raw.get("stage")),
        "canceled": raw.get("canceledAt") is not None,
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "location": {"raw": where} if where and not video else None,
    }
    users = [ctx.ref("users", i.get("id")) for i in raw.get("interviewers") or [] if i.get("id")]
    yield ctx.record("interviews", raw["id"], fields, {"user_ids": users})


def yes_no(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return value.strip().lower() in ("yes", "true")
    return None


def _pick(options: list[Raw], value: object) -> Raw | None:
    """The chosen option: by its text, or by the leading score of texts like "3 - Hire"."""
    if value is None or value == "":
        return None
    for option in options:
        if option["label"] == value or (isinstance(value, int | float) and option["label"].startswith(f"{value} ")):
            return option
    return {"remote_id": None, "label": str(value)}


def _date_answer(value: object) -> str | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, UTC).date().isoformat()
    return _text(value)


def _responses_for(field: Raw) -> list[Raw]:
    """One feedback field -> unified responses; a ``scorecard`` field is one NUMBER per scored skill."""
    kind, value = field.get("type"), field.get("value")
    base = {
        "remote_id": field.get("id"),
        "label": field.get("text") or "",
        "description": _text(field.get("description")),
        "required": field.get("required"),
    }
    options = [{"remote_id": None, "label": o.get("text") or ""} for o in field.get("options") or []]
    if kind in ("dropdown", "multiple-choice", "score-system"):
        return [{**base, "type": "SINGLE_SELECT", "options": options, "answer": _pick(options, value)}]
    if kind == "multiple-select":
        picked = [o for o in (_pick(options, v) for v in value) if o] if isinstance(value, list) else None
        return [{**base, "type": "MULTI_SELECT", "options": options, "answer": picked}]
    if kind == "yes-no":
        return [{**base, "type": "BOOLEAN", "answer": yes_no(value)}]
    if kind == "score":
        return [{**base, "type": "NUMBER", "answer": _number(value)}]
    if kind == "date":
        return [{**base, "type": "DATE", "answer": _date_answer(value)}]
    if kind == "scorecard":
        cells = value if isinstance(value, list) else []
        return [
            {**base, "remote_id": f"{field.get('id')}:{i}", "label": score.get("text") or "", "type": "NUMBER",
             "description": _text(score.get("description")), "answer": _number(cells[i]) if i < len(cells) else None}
            for i, score in enumerate(field.get("scores") or [])
        ]  # fmt: skip
    # text, textarea, code and anything new: the answer as text
    return [{**base, "type": "TEXT", "answer": None if value is None else str(value)}]


def scorecard_responses(fields: object) -> list[Raw]:
    return [r for f in fields if isinstance(f, dict) for r in _responses_for(f)] if isinstance(fields, list) else []


def map_feedback(raw: Raw, ctx: MapContext) -> Records:
    """Feedback forms are Lever's scorecards. Deleted forms (``deletedAt`` set) are not live: skipped."""
    if raw.get("deletedAt"):
        return
    opp = _opportunity(raw)
    fields = {
        "candidate_id": ctx.ref("candidates", opp.get("id")),
        "application_id": ctx.ref("applications", application_for(opp, [])),
        "interview_id": ctx.ref("interviews", raw.get("interview")),
        "author_id": ctx.ref("users", raw.get("user")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "responses": scorecard_responses(raw.get("fields")),
    }
    yield ctx.record("scorecards", raw["id"], fields)


def note_html(fields: object) -> str | None:
    """Note fields as HTML paragraphs; non-comment fields (scores, forms) keep their label."""
    parts = []
    for field in fields if isinstance(fields, list) else []:
        value = field.get("value")
        if value is None or value == "":
            continue
        body = html.escape(str(value)).replace("\n", "<br>")
        if field.get("type") != "note" and field.get("text"):
            body = f"<strong>{html.escape(field['text'])}:</strong> {body}"
        parts.append(f"<p>{body}</p>")
    return "".join(parts) or None


def map_note(raw: Raw, ctx: MapContext) -> Records:
    if raw.get("deletedAt"):
        return
    opp = _opportunity(raw)
    fields = {
        "candidate_id": ctx.ref("candidates", opp.get("id")),
        "application_id": ctx.ref("applications", application_for(opp, [])),
        "author_id": ctx.ref("users", raw.get("user")),
        "title": _text(raw.get("text")),
        "content_html": note_html(raw.get("fields")),
        "is_private": bool(raw.get("secret")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
    }
    yield ctx.record("notes", raw["id"], fields)


#: Documented Lever offer statuses (no recorded payload exists). ``denied`` = approval denied.
OFFER_STATUS = {
    "draft": "DRAFT", "approval-sent": "DRAFT", "approved": "APPROVED", "sent": "SENT", "sent-manually": "SENT",
    "opened": "SENT", "denied": "ABANDONED", "signed": "ACCEPTED",
}  # fmt: skip


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    """Offer form fields are the account's own configuration: all of them go to ``custom_fields``."""
    opp = _opportunity(raw)
    values = {f["identifier"]: f.get("value") for f in raw.get("fields") or [] if f.get("identifier")}
    documents = [raw.get("sentDocument") or {}, raw.get("signedDocument") or {}]
    times = [raw.get("createdAt"), raw.get("approvedAt")] + [d.get("uploadedAt") for d in documents]
    numbers = [t for t in times if isinstance(t, int | float)]
    fields = {
        "status": OFFER_STATUS.get(raw.get("status") or ""),
        "employment_start_date": ctx.dt(values.get("anticipated_start_date")),
        "application_id": ctx.ref("applications", application_for(opp, [raw.get("posting")])),
        "custom_fields": values or None,
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(max(numbers)) if numbers else None,
    }
    yield ctx.record("offers", raw["id"], fields)


_MIME = {
    "pdf": "application/pdf", "doc": "application/msword", "rtf": "application/rtf", "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "html": "text/html",
    "odt": "application/vnd.oasis.opendocument.text", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
}  # fmt: skip


def attachment_remote_id(opportunity_id: str, kind: str, file_id: str) -> str:
    """``<opportunity>/<resumes|files>/<id>``: the download endpoint needs the opportunity too."""
    return f"{opportunity_id}/{kind}/{file_id}"


def map_attachment(raw: Raw, ctx: MapContext) -> Records:
    """Resumes (``file`` sub-object, type CV) and other files (flat, type OTHER) of an opportunity."""
    if raw.get("deletedAt"):
        return
    opp = _opportunity(raw)
    kind = raw.get("_kind") or "files"
    meta: Raw = raw["file"] if kind == "resumes" and isinstance(raw.get("file"), dict) else raw
    ext = str(meta.get("ext") or "").lower().lstrip(".")
    fields = {
        "candidate_id": ctx.ref("candidates", opp.get("id")),
        "application_id": ctx.ref("applications", application_for(opp, [])),
        "type": "CV" if kind == "resumes" else "OTHER",
        "file_name": _text(meta.get("name")),
        "content_type": _MIME.get(ext, "application/octet-stream"),
        "remote_created_at": ctx.dt(raw.get("createdAt") or meta.get("uploadedAt")),
        "remote_updated_at": ctx.dt(meta.get("uploadedAt")),
    }
    yield ctx.record("attachments", attachment_remote_id(str(opp.get("id")), kind, raw["id"]), fields)
