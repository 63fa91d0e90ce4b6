"""Sandbox vendor records -> unified records. Pure functions: no I/O, no clock, one mapper per stream.

The vendor speaks its own dialect (``published``, ``approval_pending``, ``withdrawn``, epoch millis); every
translation into the unified vocabulary lives here, exactly as it would for a real ATS connector.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.model.record import UnifiedRecord

Record = dict[str, Any]

ROLE_TYPES = {"admin": "ADMIN", "recruiter": "RECRUITER", "hiring_manager": "HIRING_MANAGER",
              "coordinator": "COORDINATOR", "sourcer": "SOURCER", "interviewer": "INTERVIEWER"}  # fmt: skip
HIRING_TEAM_TYPES = frozenset(ROLE_TYPES.values()) - {"ADMIN"}
JOB_STATUS = {"published": "OPEN", "on_hold": "CLOSED", "closed": "CLOSED", "filled": "CLOSED",
              "draft": "DRAFT", "archived": "ARCHIVED"}  # fmt: skip
EMPLOYMENT = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACT", "seasonal": "SEASONAL",
              "internship": "INTERNSHIP"}  # fmt: skip
WORKPLACE = {"onsite": "ON_SITE", "hybrid": "HYBRID", "remote": "REMOTE", "temporary-remote": "TEMPORARY"}
PERIODS = {"yearly": "YEAR", "monthly": "MONTH", "biweekly": "TWO_WEEKS", "weekly": "WEEK", "daily": "DAY",
           "hourly": "HOUR"}  # fmt: skip
POSTING_STATUS = {"live": "ACTIVE", "paused": "INACTIVE", "closed": "INACTIVE", "draft": "DRAFT"}
POSTING_VISIBILITY = {"careers": "PUBLIC", "intranet": "INTERNAL", "direct-link": "UNLISTED"}
OFFER_STATUS = {"draft": "DRAFT", "approval_pending": "DRAFT", "approved": "APPROVED", "sent": "SENT",
                "accepted": "ACCEPTED", "declined": "DECLINED", "rescinded": "ABANDONED",
                "superseded": "ABANDONED", "expired": "ABANDONED"}  # fmt: skip
ATTACHMENT_TYPES = {"resume": "CV", "cover_letter": "COVER_LETTER"}
_TEXT_KINDS = {"short_text": "SINGLE_LINE", "long_text": "MULTI_LINE", "email": "EMAIL", "url": "URL"}
_SCORE_TYPES = {"single": "SINGLE_SELECT", "multi": "MULTI_SELECT", "paragraph": "TEXT", "yes_no": "BOOLEAN",
                "rating": "NUMBER", "date": "DATE"}  # fmt: skip


def _stamps(rec: Record, ctx: MapContext) -> Record:
    return {"remote_created_at": ctx.dt(rec.get("created_at")), "remote_updated_at": ctx.dt(rec.get("updated_at"))}


def _location(addr: Record | None, name: str | None = None) -> Record | None:
    """Vendor address -> unified location; ``raw`` is the one-line address people would write."""
    if not addr:
        return None
    street, city, region = addr.get("street"), addr.get("city"), addr.get("region")
    postal, country = addr.get("postalCode"), addr.get("country")
    town = " ".join(p for p in (postal, city) if p)
    raw = ", ".join(p for p in (name, street, town, region, country) if p)
    return {"city": city, "country": country, "state": region, "street_1": street, "zip_code": postal,
            "raw": raw or None}  # fmt: skip


def _role(ref: Record) -> Record:
    return {"remote_id": ref["id"], "remote_label": ref.get("name"), "unified_type": ROLE_TYPES.get(ref.get("key", ""))}


# ----------------------------------------------------------------------------------- small fixed kinds
def map_user(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"first_name": rec.get("firstName"), "last_name": rec.get("lastName"), "email": rec.get("email"),
              "status": "ACTIVE" if rec.get("status") == "active" else "INACTIVE"}  # fmt: skip
    nested = {"system_roles": [_role(r) for r in rec.get("accountRoles") or []]}
    return [ctx.record("users", rec["id"], fields, nested)]


def map_role(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"remote_label": rec.get("name"), "scope": "SYSTEM" if rec.get("level") == "account" else "JOB",
              "unified_type": ROLE_TYPES.get(rec.get("key", ""))}  # fmt: skip
    return [ctx.record("roles", rec["id"], fields)]


def map_tag(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    return [ctx.record("tags", rec["id"], {"name": rec.get("label")})]


def map_rejection_reason(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    return [ctx.record("rejection_reasons", rec["id"], {"name": rec.get("text")})]


# ------------------------------------------------------------------------------------------------ jobs
def _option_id(ctx: MapContext, job: str, question: str, option: str) -> str | None:
    return ctx.ref("screening_question_options", f"{job}:{question}:{option}")


def _format(ctx: MapContext, job: str, q: Record) -> Record:
    kind = q.get("kind", "")
    options = [{"id": _option_id(ctx, job, q["id"], o["id"]), "name": o["label"], "remote_id": o["id"]}
               for o in q.get("options") or []]  # fmt: skip
    if kind in _TEXT_KINDS:
        return {"type": "TEXT", "display_type": _TEXT_KINDS[kind], "max_length": q.get("maxLength")}
    if kind in ("number", "slider"):
        return {"type": "NUMBER", "display_type": "SLIDER" if kind == "slider" else "FIELD",
                "min": q.get("min"), "max": q.get("max")}  # fmt: skip
    if kind == "file":
        return {"type": "FILE", "accepted_mime_types": q.get("accept"), "max_file_size_bytes": q.get("maxBytes")}
    if kind in ("dropdown", "radio"):
        return {"type": "SINGLE_SELECT", "options": options, "display_type": kind.upper()}
    if kind == "checkboxes":
        return {"type": "MULTI_SELECT", "options": options}
    simple = {"yes_no": "BOOLEAN", "date": "DATE", "info": "INFORMATION"}
    if kind in simple:
        return {"type": simple[kind]}
    return {"type": "UNKNOWN", "raw_question": q}


def _question(ctx: MapContext, job: str, q: Record) -> Record:
    cond = q.get("showIf")
    pre_id = pre_opts = None
    if cond:
        pre_id = ctx.ref("screening_questions", f"{job}:{cond['questionId']}")
        pre_opts = [v if isinstance(v, bool) else _option_id(ctx, job, cond["questionId"], v) for v in cond["values"]]
    return {
        "id": ctx.ref("screening_questions", f"{job}:{q['id']}"), "remote_id": q["id"], "title": q.get("label"),
        "description": q.get("description"),
        "category": {"eeo": "EEO", "demographic": "DEMOGRAPHIC"}.get(q.get("eeoCategory") or ""),
        "required": q.get("required"), "format": _format(ctx, job, q), "index": q.get("position"),
        "precondition_question_id": pre_id, "precondition_options": pre_opts,
    }  # fmt: skip


def _posting(ctx: MapContext, job: str, p: Record) -> Record:
    return {"id": ctx.ref("job_postings", f"{job}:{p['id']}"), "remote_id": p["id"], "title": p.get("title"),
            "status": POSTING_STATUS.get(p.get("status", "")), "visibility": POSTING_VISIBILITY.get(p.get("board", "")),
            "url": p.get("url")}  # fmt: skip


def _team_member(ctx: MapContext, m: Record) -> Record:
    roles = [_role(r) for r in m.get("roles") or []]
    team_roles = [t for t in dict.fromkeys(r["unified_type"] for r in roles) if t in HIRING_TEAM_TYPES]
    return {"user_id": ctx.ref("users", m["userId"]), "hiring_team_roles": team_roles, "job_roles": roles}


def map_job(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    rid, salary = rec["id"], rec.get("salary") or {}
    fields = {
        "name": rec.get("title"), "job_code": rec.get("code"), "description": rec.get("descriptionHtml"),
        "confidential": rec.get("visibility") == "confidential", "weekly_hours": rec.get("hoursPerWeek"),
        "category": rec.get("category"), "department": rec.get("department"), "post_url": rec.get("careersUrl"),
        "experience_level": rec.get("level"), "salary_amount_from": salary.get("min"),
        "salary_amount_to": salary.get("max"), "salary_currency": salary.get("currency"),
        "salary_period": PERIODS.get(salary.get("interval", "")), "custom_fields": rec.get("customFields"),
        "remote_url": rec.get("url"), "opened_at": ctx.dt(rec.get("openedAt")),
        "closed_at": ctx.dt(rec.get("closedAt")),
        **_stamps(rec, ctx), "contact_id": ctx.ref("users", rec.get("contactUserId")),
        "employment_type": EMPLOYMENT.get(rec.get("employmentType", "")),
        "status": JOB_STATUS.get(rec.get("state", "")),
        "visibility": (rec.get("visibility") or "").upper() or None,
        "remote_work_status": WORKPLACE.get(rec.get("workplace", "")), "location": _location(rec.get("location")),
    }  # fmt: skip
    nested = {
        "screening_questions": [_question(ctx, rid, q) for q in rec.get("questions") or []],
        "job_postings": [_posting(ctx, rid, p) for p in rec.get("postings") or []],
        "hiring_team": [_team_member(ctx, m) for m in rec.get("hiringTeam") or []],
    }
    return [ctx.record("jobs", rid, fields, nested)]


def map_stage(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"name": rec.get("name"), "status": "INACTIVE" if rec.get("archived") else "ACTIVE",
              "custom_fields": {"type": rec.get("type")}, "index": rec.get("position"),
              "job_id": ctx.ref("jobs", rec.get("jobId"))}  # fmt: skip
    return [ctx.record("application_stages", rec["id"], fields)]


# ------------------------------------------------------------------------------ candidates, applications
def map_candidate(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    addr = rec.get("address")
    fields = {
        "first_name": rec.get("firstName"), "last_name": rec.get("lastName"), "company": rec.get("currentCompany"),
        "title": rec.get("headline"), "confidential": rec.get("confidential"), "source": rec.get("source"),
        "custom_fields": rec.get("customFields"), "remote_url": rec.get("url"), **_stamps(rec, ctx),
        "phone_numbers": [{"phone_number": p["number"], "type": (p.get("kind") or "").upper() or None}
                          for p in rec.get("phones") or []],
        "email_addresses": [{"email_address": e["address"], "type": (e.get("kind") or "").upper() or None}
                            for e in rec.get("emails") or []],
        "social_media": [{"link": s.get("url"), "type": (s.get("network") or "").upper() or None, "username": None}
                         for s in rec.get("links") or []],
        "location": _location(addr),
    }  # fmt: skip
    tag_ids = sorted({ctx.ref("tags", t) or "" for t in rec.get("tags") or []} - {""})
    return [ctx.record("candidates", rec["id"], fields, {"tag_ids": tag_ids})]


def _outcome(rec: Record, ctx: MapContext) -> Record:
    """hired -> HIRED; rejected or withdrawn -> DECLINED with a reason and date; anything else PENDING."""
    state = rec.get("state")
    if state == "hired":
        return {"outcome": "HIRED", "rejection_reason_name": None, "rejected_at": None}
    if state == "rejected":
        rejection = rec.get("rejection") or {}
        return {"outcome": "DECLINED", "rejection_reason_name": rejection.get("reason"),
                "rejected_at": ctx.dt(rejection.get("rejectedAt"))}  # fmt: skip
    if state == "withdrawn":
        withdrawal = rec.get("withdrawal") or {}
        reason = withdrawal.get("reason")
        return {"outcome": "DECLINED", "rejection_reason_name": f"Candidate withdrew ({reason})" if reason
                else "Candidate withdrew", "rejected_at": ctx.dt(withdrawal.get("withdrawnAt"))}  # fmt: skip
    return {"outcome": "PENDING", "rejection_reason_name": None, "rejected_at": None}


def _answer(ctx: MapContext, a: Record) -> Record:
    kind, value = a.get("kind", ""), a.get("value")
    q = {"remote_id": a.get("questionId"), "title": a.get("question") or ""}
    if kind in _TEXT_KINDS:
        return {"question": {**q, "type": "TEXT"}, "answer": {"content": value}}
    if kind in ("number", "slider"):
        return {"question": {**q, "type": "NUMBER"}, "answer": {"number": None if value is None else float(value)}}
    if kind in ("dropdown", "radio"):
        choice = value.get("label") if isinstance(value, dict) else value
        return {"question": {**q, "type": "SINGLE_SELECT"}, "answer": {"choice": choice}}
    if kind == "checkboxes":
        return {"question": {**q, "type": "MULTI_SELECT"}, "answer": {"choices": [o["label"] for o in value or []]}}
    if kind == "yes_no":
        return {"question": {**q, "type": "BOOLEAN"}, "answer": {"checked": value}}
    if kind == "date":
        return {"question": {**q, "type": "DATE"}, "answer": {"date": ctx.dt(value)}}
    return {"question": {**q, "type": "UNKNOWN"}, "answer": {"raw": value}}


def map_application(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    stage = rec.get("stage") or {}
    fields = {
        **_outcome(rec, ctx), "current_stage_id": ctx.ref("application_stages", stage.get("id")),
        "job_id": ctx.ref("jobs", rec.get("jobId")), "candidate_id": ctx.ref("candidates", rec.get("candidateId")),
        "custom_fields": rec.get("customFields"), "remote_url": rec.get("url"), **_stamps(rec, ctx),
        "screening_question_answers": [_answer(ctx, a) for a in rec.get("answers") or []],
    }  # fmt: skip
    return [ctx.record("applications", rec["id"], fields)]


# --------------------------------------------------------------------------------- application children
def map_interview(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    room = rec.get("room")
    fields = {
        "title": rec.get("title"), "starting_at": ctx.dt(rec.get("startsAt")), "ending_at": ctx.dt(rec.get("endsAt")),
        "video_conferencing_url": rec.get("meetingUrl"),
        "application_id": ctx.ref("applications", rec.get("applicationId")),
        "stage_id": ctx.ref("application_stages", rec.get("stageId")), "canceled": rec.get("status") == "cancelled",
        **_stamps(rec, ctx), "location": _location(room.get("address"), room.get("name")) if room else None,
    }  # fmt: skip
    users = sorted({ctx.ref("users", u) or "" for u in rec.get("interviewerIds") or []} - {""})
    return [ctx.record("interviews", rec["id"], fields, {"user_ids": users})]


def map_offer(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    pay = rec.get("compensation")
    custom = None
    if pay:
        custom = {"base_salary": pay.get("base"), "currency": pay.get("currency"),
                  "pay_interval": pay.get("interval"), "sign_on_bonus": pay.get("signOnBonus")}  # fmt: skip
    fields = {"status": OFFER_STATUS.get(rec.get("status", "")), "employment_start_date": ctx.dt(rec.get("startDate")),
              "application_id": ctx.ref("applications", rec.get("applicationId")), "custom_fields": custom,
              **_stamps(rec, ctx)}  # fmt: skip
    return [ctx.record("offers", rec["id"], fields)]


def map_note(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"candidate_id": ctx.ref("candidates", rec.get("candidateId")),
              "application_id": ctx.ref("applications", rec.get("applicationId")),
              "author_id": ctx.ref("users", rec.get("authorId")), "title": rec.get("subject"),
              "content_html": rec.get("body"), "is_private": rec.get("visibility") == "private",
              **_stamps(rec, ctx)}  # fmt: skip
    return [ctx.record("notes", rec["id"], fields)]


def _response(a: Record) -> Record:
    qtype, value = _SCORE_TYPES.get(a.get("type", ""), "TEXT"), a.get("value")
    out: Record = {"type": qtype, "remote_id": a.get("id"), "label": a.get("label") or "",
                   "required": a.get("required")}  # fmt: skip
    if qtype in ("SINGLE_SELECT", "MULTI_SELECT"):
        out["options"] = [{"remote_id": o["id"], "label": o["label"]} for o in a.get("options") or []]
        if qtype == "SINGLE_SELECT":
            out["answer"] = {"remote_id": value["id"], "label": value["label"]} if value else None
        else:
            out["answer"] = [{"remote_id": o["id"], "label": o["label"]} for o in value] if value is not None else None
    elif qtype == "NUMBER":
        out["answer"] = None if value is None else float(value)
    else:
        out["answer"] = value
    return out


def map_scorecard(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"candidate_id": ctx.ref("candidates", rec.get("candidateId")),
              "application_id": ctx.ref("applications", rec.get("applicationId")),
              "interview_id": ctx.ref("interviews", rec.get("interviewId")),
              "author_id": ctx.ref("users", rec.get("submittedBy")), **_stamps(rec, ctx),
              "responses": [_response(a) for a in rec.get("answers") or []]}  # fmt: skip
    return [ctx.record("scorecards", rec["id"], fields)]


def map_attachment(rec: Record, ctx: MapContext) -> list[UnifiedRecord]:
    fields = {"candidate_id": ctx.ref("candidates", rec.get("candidateId")),
              "application_id": ctx.ref("applications", rec.get("applicationId")),
              "type": ATTACHMENT_TYPES.get(rec.get("category", ""), "OTHER"), "file_name": rec.get("fileName"),
              "content_type": rec.get("mimeType"), **_stamps(rec, ctx)}  # fmt: skip
    return [ctx.record("attachments", rec["id"], fields)]


MAPPERS = {
    "users": map_user, "roles": map_role, "tags": map_tag, "rejection_reasons": map_rejection_reason,
    "jobs": map_job, "application_stages": map_stage, "candidates": map_candidate,
    "applications": map_application, "interviews": map_interview, "offers": map_offer, "notes": map_note,
    "scorecards": map_scorecard, "attachments": map_attachment,
}  # fmt: skip
