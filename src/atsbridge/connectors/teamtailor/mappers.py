"""Teamtailor JSON:API resources -> unified records. Pure functions: no network, no database.

Attributes are kebab-case, ids are strings, timestamps carry offsets (``2020-03-25T13:45:48.855+01:00``).
What a mapper needs beyond the resource, the source attaches under an underscore key:

* ``_included`` (every resource): the compound document's included resources (see ``jsonapi``).
* ``_job_questions`` (job applications): ids of the questions the application's job asks, or absent when
  unknown. Teamtailor keeps answers on the *candidate*, so an application shows the candidate's answers to
  exactly its job's questions.
* ``_index`` (stages): the stage's position in its job's pipeline (``row-order`` sorted).
* Synthetic rows the source builds: ``{"name"}`` (tags: candidate tags are bare strings with no id),
  ``{"id", "label", "type", "scope"}`` (roles), ``{"type": "resumes", "id", "_candidate"}`` (a candidate's
  ``resume``, served as its CV attachment).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import guess_content_type, number, split_name, text
from atsbridge.connectors.teamtailor.jsonapi import attributes, rel_id, related, related_many
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]


# ------------------------------------------------------------------------------------------ users and roles

#: Job-scoped role: the job's ``user`` relationship is its recruiter (Teamtailor's only per-job user field).
RECRUITER_ROLE = {"id": "recruiter", "label": "Recruiter", "type": "RECRUITER", "scope": "JOB"}
_SYSTEM_TYPES = {"admin": "ADMIN", "recruitment_admin": "ADMIN", "recruiter": "RECRUITER", "hiring_manager":
                 "HIRING_MANAGER", "interviewer": "INTERVIEWER"}  # fmt: skip


def role_row(role: str) -> Raw:
    """The roles listing row of a user ``role`` value (``admin``, ``user``, ...)."""
    label = role.replace("_", " ").replace("-", " ").title()
    return {"id": role, "label": label, "type": _SYSTEM_TYPES.get(role), "scope": "SYSTEM"}


def map_role(raw: Raw, ctx: MapContext) -> Records:
    fields = {"remote_label": raw["label"], "scope": raw["scope"], "unified_type": raw["type"]}
    yield ctx.record("roles", raw["id"], fields)


def map_user(raw: Raw, ctx: MapContext) -> Records:
    attrs = attributes(raw)
    first, last = split_name(attrs.get("name"))
    role = text(attrs.get("role"))
    system = [] if role is None else [role_row(role)]
    fields = {
        "first_name": first,
        "last_name": last,
        "email": text(attrs.get("email")) or text(attrs.get("login-email")),
        "status": None,  # Teamtailor exposes no active/deactivated state for users
    }
    roles = [{"remote_id": r["id"], "remote_label": r["label"], "unified_type": r["type"]} for r in system]
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


# ------------------------------------------------------------------------------- tags, reasons, stages


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """Candidate tags are plain strings: the text is the tag's identity."""
    name = text(raw.get("name"))
    if name:
        yield ctx.record("tags", name, {"name": name})


def map_reject_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": text(attributes(raw).get("reason"))})


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """Every job has its own pipeline (``/stages?include=job`` names it)."""
    attrs = attributes(raw)
    fields = {
        "name": text(attrs.get("name")),
        "status": None,
        "index": raw.get("_index"),
        "job_id": ctx.ref("jobs", rel_id(raw, "job")),
    }
    yield ctx.record("application_stages", raw["id"], fields)


# ---------------------------------------------------------------------------------------------------- jobs

_HUMAN_STATUS = {"published": "OPEN", "unlisted": "OPEN", "scheduled": "DRAFT", "draft": "DRAFT", "unsaved": "DRAFT",
                 "archived": "ARCHIVED", "expired": "CLOSED"}  # fmt: skip
_STATUS = {"open": "OPEN", "unlisted": "OPEN", "draft": "DRAFT", "temp": "DRAFT", "archived": "ARCHIVED"}
_POSTING_STATUS = {"OPEN": "ACTIVE", "DRAFT": "DRAFT", "ARCHIVED": "INACTIVE", "CLOSED": "INACTIVE"}
_REMOTE = {"none": "ON_SITE", "hybrid": "HYBRID", "fully": "REMOTE", "temporary": "TEMPORARY"}
_PERIOD = {"hourly": "HOUR", "daily": "DAY", "weekly": "WEEK", "monthly": "MONTH", "yearly": "YEAR", "annually": "YEAR"}
_EMPLOYMENT = {"fulltime": "FULL_TIME", "full_time": "FULL_TIME", "full-time": "FULL_TIME", "parttime": "PART_TIME",
               "part_time": "PART_TIME", "part-time": "PART_TIME", "contract": "CONTRACT", "temporary": "SEASONAL",
               "seasonal": "SEASONAL", "internship": "INTERNSHIP", "intern": "INTERNSHIP"}  # fmt: skip


def job_status(attrs: Raw) -> str | None:
    """``human-status`` is the precise state (published, expired, ...); ``status`` the coarse one."""
    human, coarse = attrs.get("human-status") or "", attrs.get("status") or ""
    return _HUMAN_STATUS.get(human) or _STATUS.get(coarse) or text(human) or text(coarse)


def _visibility(attrs: Raw) -> str:
    if attrs.get("internal"):
        return "INTERNAL"
    return "UNLISTED" if attrs.get("human-status") == "unlisted" or attrs.get("status") == "unlisted" else "PUBLIC"


def _location(raw: Raw) -> Raw | None:
    """The job's first location (``include=locations``): Teamtailor gives the country as a name."""
    found = related_many(raw, "locations") or [r for r in [related(raw, "location")] if r]
    if not found:
        return None
    attrs = attributes(found[0])
    return {"city": text(attrs.get("city")), "country": text(attrs.get("country")), "raw": text(attrs.get("name")),
            "street_1": text(attrs.get("address")), "zip_code": text(attrs.get("zip"))}  # fmt: skip


def _choice_options(job_id: str, question: Raw, ctx: MapContext) -> list[Raw]:
    """``alternatives`` of a Choice question: strings, or objects with ``id``/``title``."""
    out = []
    for alt in attributes(question).get("alternatives") or []:
        label = alt if isinstance(alt, str) else str(alt.get("title") or alt.get("text") or alt.get("id"))
        remote = label if isinstance(alt, str) else str(alt.get("id") or label)
        out.append({"id": ctx.ref("question_options", f"{job_id}:{question['id']}:{remote}"), "name": label,
                    "remote_id": remote})  # fmt: skip
    return out


def question_format(job_id: str, question: Raw, ctx: MapContext) -> Raw:
    attrs = attributes(question)
    kind = attrs.get("question-type") or ""
    if kind == "Boolean":
        return {"type": "BOOLEAN"}
    if kind == "Choice":
        options = _choice_options(job_id, question, ctx)
        return (
            {"type": "MULTI_SELECT", "options": options}
            if attrs.get("multiple")
            else {"type": "SINGLE_SELECT", "options": options}
        )
    if kind == "Text":
        return {"type": "TEXT", "display_type": "SINGLE_LINE" if attrs.get("single-line") else "MULTI_LINE"}
    if kind in ("Range", "Number"):
        return {"type": "NUMBER", "display_type": "SLIDER" if kind == "Range" else "FIELD",
                "min": number(attrs.get("start-with")), "max": number(attrs.get("end-with"))}  # fmt: skip
    if kind == "Date":
        return {"type": "DATE"}
    if kind == "File":
        return {"type": "FILE"}
    return {"type": "UNKNOWN", "raw_question": attrs}  # Video and anything newer


def screening_questions(raw: Raw, ctx: MapContext) -> list[Raw]:
    """``picked-questions`` (with their ``question``) in the job's order; ``mandatory`` is per job."""
    out = []
    for index, picked in enumerate(related_many(raw, "picked-questions")):
        question = related({**picked, "_included": raw.get("_included")}, "question")
        if question is None:
            continue
        out.append({
            "id": ctx.ref("screening_questions", f"{raw['id']}:{question['id']}"),
            "remote_id": str(question["id"]),
            "title": text(attributes(question).get("title")),
            "required": bool(attributes(picked).get("mandatory")),
            "format": question_format(str(raw["id"]), question, ctx),
            "index": index,
        })  # fmt: skip
    return out


def job_question_ids(raw: Raw) -> list[str]:
    """Ids of the questions a job (fetched with ``include=picked-questions.question``) asks."""
    ids = []
    for picked in related_many(raw, "picked-questions"):
        qid = rel_id(picked, "question")
        if qid:
            ids.append(qid)
    return ids


def _hiring_team(raw: Raw, ctx: MapContext) -> list[Raw]:
    recruiter = rel_id(raw, "user")
    if recruiter is None:
        return []
    role = {"remote_id": "recruiter", "remote_label": "Recruiter", "unified_type": "RECRUITER"}
    return [{"user_id": ctx.ref("users", recruiter), "hiring_team_roles": ["RECRUITER"], "job_roles": [role]}]


def map_job(raw: Raw, ctx: MapContext) -> Records:
    attrs, links = attributes(raw), raw.get("links") or {}
    status = job_status(attrs)
    department = related(raw, "department")
    unit = attrs.get("salary-time-unit")
    employment = text(attrs.get("employment-type"))
    fields = {
        "name": text(attrs.get("title")),
        "description": text(attrs.get("body")),
        "department": text(attributes(department).get("name")) if department else None,
        "post_url": text(links.get("careersite-job-url")),
        "experience_level": text(attrs.get("employment-level")),
        "salary_amount_from": number(attrs.get("min-salary")),
        "salary_amount_to": number(attrs.get("max-salary")),
        "salary_currency": text(attrs.get("currency")),
        "salary_period": _PERIOD.get(unit, unit) if isinstance(unit, str) and unit else None,
        "opened_at": ctx.dt(attrs.get("start-date")),
        "closed_at": ctx.dt(attrs.get("end-date")),
        "remote_created_at": ctx.dt(attrs.get("created-at")),
        "remote_updated_at": ctx.dt(attrs.get("updated-at")),
        "contact_id": ctx.ref("users", rel_id(raw, "user")),
        "employment_type": _EMPLOYMENT.get(employment.lower(), employment) if employment else None,
        "status": status,
        "visibility": _visibility(attrs),
        "remote_work_status": _REMOTE.get(attrs.get("remote-status") or ""),
        "location": _location(raw),
    }
    posting = {
        "id": ctx.ref("job_postings", raw["id"]),
        "remote_id": str(raw["id"]),
        "title": fields["name"],
        "description_html": fields["description"],
        "status": _POSTING_STATUS.get(status or "", "DRAFT"),
        "visibility": fields["visibility"],
        "url": fields["post_url"],
    }
    nested = {
        "screening_questions": screening_questions(raw, ctx),
        "job_postings": [posting],
        "hiring_team": _hiring_team(raw, ctx),
    }
    yield ctx.record("jobs", raw["id"], fields, nested)


# ----------------------------------------------------------------------------- candidates and applications


def _custom_fields(raw: Raw) -> dict[str, Any] | None:
    """``custom-field-values`` with their ``custom-field`` (nested include), keyed by the field's api name."""
    values = related_many(raw, "custom-field-values")
    if not values:
        return None
    out: dict[str, Any] = {}
    table = raw.get("_included")
    for value in values:
        field = related({**value, "_included": table}, "custom-field")
        name = (text(attributes(field).get("api-name")) or text(attributes(field).get("name"))) if field else None
        out[name or f"custom-field-value:{value['id']}"] = attributes(value).get("value")
    return out


def _social(attrs: Raw) -> list[Raw]:
    links = [("linkedin-url", "LINKEDIN"), ("linkedin-profile", "LINKEDIN"), ("facebook-profile", "FACEBOOK")]
    seen: dict[str, str] = {}
    for name, kind in links:
        link = text(attrs.get(name))
        if link and link not in seen:
            seen[link] = kind
    return [{"link": link, "type": kind} for link, kind in seen.items()]


def candidate_tags(raw: Raw) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in attributes(raw).get("tags") or [] if text(t)))


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    attrs = attributes(raw)
    email, phone = text(attrs.get("email")), text(attrs.get("phone"))
    fields = {
        "first_name": text(attrs.get("first-name")),
        "last_name": text(attrs.get("last-name")),
        "source": text(attrs.get("referring-site")),
        "custom_fields": _custom_fields(raw),
        "remote_created_at": ctx.dt(attrs.get("created-at")),
        "remote_updated_at": ctx.dt(attrs.get("updated-at")),
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "social_media": _social(attrs),
    }
    tags = [ctx.ref("tags", t) for t in candidate_tags(raw)]
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": tags})


def outcome(raw: Raw) -> str:
    """HIRED when the application sits in a ``Hired`` stage, else DECLINED once ``rejected-at`` is set."""
    stage = related(raw, "stage")
    if stage is not None and attributes(stage).get("stage-type") == "Hired":
        return "HIRED"
    return "DECLINED" if attributes(raw).get("rejected-at") else "PENDING"


def _label(choice: object) -> str:
    if isinstance(choice, dict):
        return str(choice.get("title") or choice.get("id"))
    return str(choice)


def screening_answer(answer: Raw, question: Raw, ctx: MapContext) -> Raw:
    kind, attrs = attributes(question).get("question-type") or "", attributes(answer)
    value: Raw
    if kind == "Boolean":
        unified, value = "BOOLEAN", {"checked": attrs.get("boolean")}
    elif kind == "Choice" and attributes(question).get("multiple"):
        unified, value = "MULTI_SELECT", {"choices": [_label(c) for c in attrs.get("choices") or []]}
    elif kind == "Choice":
        choices = attrs.get("choices") or []
        unified, value = "SINGLE_SELECT", {"choice": _label(choices[0]) if choices else None}
    elif kind == "Text":
        unified, value = "TEXT", {"content": attrs.get("text")}
    elif kind in ("Range", "Number"):
        unified, value = "NUMBER", {"number": number(attrs.get("range", attrs.get("number")))}
    elif kind == "Date":
        unified, value = "DATE", {"date": ctx.dt(attrs.get("date"))}
    else:
        unified, value = "UNKNOWN", {"raw": {k: v for k, v in attrs.items() if k != "updated-at"}}
    title = text(attributes(question).get("title")) or ""
    return {"question": {"remote_id": str(question["id"]), "title": title, "type": unified}, "answer": value}


def _answers(raw: Raw, ctx: MapContext) -> list[Raw] | None:
    """The candidate's answers (``include=candidate.answers.question``) to this application's job's questions."""
    wanted = raw.get("_job_questions")
    candidate = related(raw, "candidate")
    if wanted is None or candidate is None:
        return None
    table = raw.get("_included")
    found: dict[str, Raw] = {}
    for answer in related_many({**candidate, "_included": table}, "answers"):
        question = related({**answer, "_included": table}, "question")
        if question is not None and str(question["id"]) in wanted:
            found[str(question["id"])] = screening_answer(answer, question, ctx)
    return [found[q] for q in wanted if q in found]


def map_application(raw: Raw, ctx: MapContext) -> Records:
    attrs = attributes(raw)
    result = outcome(raw)
    reason = related(raw, "reject-reason")
    declined = result == "DECLINED"
    fields = {
        "outcome": result,
        "rejection_reason_name": text(attributes(reason).get("reason")) if reason and declined else None,
        "rejected_at": ctx.dt(attrs.get("rejected-at")) if declined else None,
        "current_stage_id": ctx.ref("application_stages", rel_id(raw, "stage")),
        "job_id": ctx.ref("jobs", rel_id(raw, "job")),
        "candidate_id": ctx.ref("candidates", rel_id(raw, "candidate")),
        "remote_created_at": ctx.dt(attrs.get("created-at")),
        "remote_updated_at": ctx.dt(attrs.get("updated-at")),
        "screening_question_answers": _answers(raw, ctx),
    }
    yield ctx.record("applications", raw["id"], fields)


# --------------------------------------------------------------------------------------- notes and files


def note_html(text: object) -> str | None:
    """Notes are plain text: escaped, paragraphs kept as line breaks."""
    if not isinstance(text, str) or not text.strip():
        return None
    return "<p>" + html.escape(text.strip()).replace("\n", "<br>") + "</p>"


def map_note(raw: Raw, ctx: MapContext) -> Records:
    """Notes belong to a candidate (``candidate-id``), not to one of its applications."""
    attrs = attributes(raw)
    candidate = attrs.get("candidate-id") or rel_id(raw, "candidate")
    if candidate is None:
        return
    fields = {
        "candidate_id": ctx.ref("candidates", candidate),
        "author_id": ctx.ref("users", attrs.get("user-id") or rel_id(raw, "user")),
        "content_html": note_html(attrs.get("note")),
        "is_private": attrs.get("private-note"),
        "remote_created_at": ctx.dt(attrs.get("created-at")),
        "remote_updated_at": ctx.dt(attrs.get("updated-at")),
    }
    yield ctx.record("notes", raw["id"], fields)


def resume_remote_id(candidate_id: str) -> str:
    return f"resume-{candidate_id}"


def map_attachment(raw: Raw, ctx: MapContext) -> Records:
    """``/uploads`` files (with ``include=candidate``) and each candidate's converted ``resume`` (a PDF)."""
    if raw.get("type") == "resumes":
        fields = {"candidate_id": ctx.ref("candidates", raw["_candidate"]), "type": "CV", "file_name": "resume.pdf",
                  "content_type": "application/pdf"}  # fmt: skip
        yield ctx.record("attachments", raw["id"], fields)
        return
    candidate = rel_id(raw, "candidate")
    if candidate is None:
        return  # a job's upload, not a candidate's file
    name = text(attributes(raw).get("file-name"))
    fields = {"candidate_id": ctx.ref("candidates", candidate), "type": "OTHER", "file_name": name,
              "content_type": guess_content_type(name)}  # fmt: skip
    yield ctx.record("attachments", raw["id"], fields)


def tag_rows(raws: list[Raw]) -> list[str]:
    """Every tag named by ``raws`` (candidate resources), once."""
    return list(dict.fromkeys(t for raw in raws for t in candidate_tags(raw)))
