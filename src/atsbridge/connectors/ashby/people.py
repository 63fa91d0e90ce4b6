"""Ashby candidates, applications and what hangs off them -> unified records. Pure functions.

Underscore keys the source attaches: notes carry ``_candidate_id`` and ``_application_ids`` (the candidate's
``applicationIds``; ``candidate.listNotes`` does not repeat them); interview schedules carry ``_titles``
(``interview.list``: interview id -> title); attachments are ``{"id": <candidate>, "applicationIds",
"resumeFileHandle", "fileHandles"}`` rows cut from the candidate listing.

Notes and files live on the Ashby candidate: they name an application only when the candidate has exactly one.
Outcome (reference §4.7): ``status`` Hired -> HIRED; Archived -> DECLINED with the archive reason's text (its
``reasonType`` tells RejectedByOrg from RejectedByCandidate) and ``archivedAt``; Active and Lead -> PENDING.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.ashby.mappers import Records, as_html, custom_fields
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import split_name, text

Raw = dict[str, Any]


def _contact_type(value: object) -> str | None:
    return str(value).upper() if text(value) else None


def _contacts(primary: object, others: object, key: str) -> list[Raw]:
    """The primary address or number first, then the others, without repeats."""
    items = [primary] if isinstance(primary, dict) else []
    items += [x for x in others or [] if isinstance(x, dict)] if isinstance(others, list) else []
    seen: set[str] = set()
    out = []
    for item in items:
        value = text(item.get("value"))
        if value and value not in seen:
            seen.add(value)
            out.append({key: value, "type": _contact_type(item.get("type"))})
    return out


def _location(raw: Raw) -> Raw | None:
    loc = raw.get("location")
    if not isinstance(loc, dict):
        return None
    parts = {c.get("type"): text(c.get("name")) for c in loc.get("locationComponents") or [] if isinstance(c, dict)}
    summary = text(loc.get("locationSummary"))
    if not summary and not any(parts.values()):
        return None
    return {"raw": summary, "city": parts.get("City"), "state": parts.get("Region"), "country": parts.get("Country")}


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    first, last = split_name(raw.get("name"))
    fields = {
        "first_name": first,
        "last_name": last,
        "company": text(raw.get("company")),
        "title": text(raw.get("position")),
        "source": text((raw.get("source") or {}).get("title")),
        "custom_fields": custom_fields(raw.get("customFields")),
        "remote_url": text(raw.get("profileUrl")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "phone_numbers": _contacts(raw.get("primaryPhoneNumber"), raw.get("phoneNumbers"), "phone_number"),
        "email_addresses": _contacts(raw.get("primaryEmailAddress"), raw.get("emailAddresses"), "email_address"),
        "social_media": [
            {"link": text(s.get("url")), "type": _contact_type(s.get("type"))}
            for s in raw.get("socialLinks") or []
            if isinstance(s, dict) and text(s.get("url"))
        ],  # fmt: skip
        "location": _location(raw),
    }
    tags = [ctx.ref("tags", t["id"]) for t in raw.get("tags") or [] if isinstance(t, dict) and t.get("id")]
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": list(dict.fromkeys(tags))})


def outcome(raw: Raw) -> str:
    status = raw.get("status") or ""
    stage_type = (raw.get("currentInterviewStage") or {}).get("type")
    if status == "Hired" or (not status and stage_type == "Hired"):
        return "HIRED"
    if status == "Archived" or (not status and stage_type == "Archived"):
        return "DECLINED"
    return "PENDING"


def map_application(raw: Raw, ctx: MapContext) -> Records:
    result = outcome(raw)
    declined = result == "DECLINED"
    fields = {
        "outcome": result,
        "rejection_reason_name": text((raw.get("archiveReason") or {}).get("text")) if declined else None,
        "rejected_at": ctx.dt(raw.get("archivedAt")) if declined else None,
        "current_stage_id": ctx.ref("application_stages", (raw.get("currentInterviewStage") or {}).get("id")),
        "job_id": ctx.ref("jobs", (raw.get("job") or {}).get("id")),
        "candidate_id": ctx.ref("candidates", (raw.get("candidate") or {}).get("id")),
        "custom_fields": custom_fields(raw.get("customFields")),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
    }
    yield ctx.record("applications", raw["id"], fields)


def only_application(ids: object) -> str | None:
    apps = [a for a in ids or [] if a] if isinstance(ids, list) else []
    return str(apps[0]) if len(apps) == 1 else None


def map_note(raw: Raw, ctx: MapContext) -> Records:
    candidate = raw.get("_candidate_id")
    fields = {
        "candidate_id": ctx.ref("candidates", candidate),
        "application_id": ctx.ref("applications", only_application(raw.get("_application_ids"))),
        "author_id": ctx.ref("users", (raw.get("author") or {}).get("id")),
        "content_html": as_html(raw.get("content")),
        "is_private": raw.get("isPrivate"),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
    }
    yield ctx.record("notes", raw["id"], fields)


_MIME = {
    "pdf": "application/pdf", "doc": "application/msword", "txt": "text/plain", "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "jpg": "image/jpeg",
}  # fmt: skip


def content_type(name: str) -> str:
    return _MIME.get(name.rsplit(".", 1)[-1].lower() if "." in name else "", "application/octet-stream")


def attachment_remote_id(candidate_id: str, file_id: str) -> str:
    """``<candidate>/<file handle id>``: downloading needs the candidate (its handles carry the file token)."""
    return f"{candidate_id}/{file_id}"


def map_files(raw: Raw, ctx: MapContext) -> Records:
    """The resume (CV) and the other files of one candidate, without repeats (the resume is in both lists)."""
    resume = raw.get("resumeFileHandle") or {}
    handles = ([resume] if resume.get("id") else []) + [h for h in raw.get("fileHandles") or [] if h.get("id")]
    seen: set[str] = set()
    for handle in handles:
        if handle["id"] in seen:
            continue
        seen.add(handle["id"])
        name = text(handle.get("name")) or handle["id"]
        fields = {
            "candidate_id": ctx.ref("candidates", raw["id"]),
            "application_id": ctx.ref("applications", only_application(raw.get("applicationIds"))),
            "type": "CV" if handle["id"] == resume.get("id") else "OTHER",
            "file_name": name,
            "content_type": content_type(name),
        }
        yield ctx.record("attachments", attachment_remote_id(raw["id"], handle["id"]), fields)


def map_schedule(raw: Raw, ctx: MapContext) -> Records:
    """An interview schedule holds one event per interview: each event is a unified interview."""
    titles = raw.get("_titles") or {}
    for event in raw.get("interviewEvents") or []:
        where = text(event.get("location"))
        users = event.get("interviewerUserIds") or [i.get("id") for i in event.get("interviewers") or []]
        fields = {
            "title": titles.get(event.get("interviewId")),
            "starting_at": ctx.dt(event.get("startTime")),
            "ending_at": ctx.dt(event.get("endTime")),
            "video_conferencing_url": text(event.get("meetingLink")),
            "application_id": ctx.ref("applications", raw.get("applicationId")),
            "stage_id": ctx.ref("application_stages", raw.get("interviewStageId")),
            "canceled": raw.get("status") == "Cancelled",
            "remote_created_at": ctx.dt(event.get("createdAt")),
            "remote_updated_at": ctx.dt(event.get("updatedAt")),
            "location": {"raw": where} if where else None,
        }
        yield ctx.record("interviews", event["id"], fields, {"user_ids": [ctx.ref("users", u) for u in users if u]})


#: ``acceptanceStatus`` values (documented; no recorded offer exists). Approval decides DRAFT vs APPROVED.
ACCEPTANCE = {"Accepted": "ACCEPTED", "Declined": "DECLINED", "Pending": "SENT", "WaitingOnResponse": "SENT",
              "Cancelled": "ABANDONED"}  # fmt: skip


def offer_status(raw: Raw) -> str | None:
    accepted = ACCEPTANCE.get(raw.get("acceptanceStatus") or "")
    if accepted:
        return accepted
    approval = (raw.get("latestVersion") or {}).get("approvalStatus")
    return "APPROVED" if approval == "Approved" else "DRAFT"


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    version = raw.get("latestVersion") or {}
    salary = version.get("salary") or {}
    extra = custom_fields(version.get("customFields")) or {}
    if salary.get("value") is not None:
        extra = {**extra, "salary": salary.get("value"), "salary_currency": salary.get("currencyCode")}
    fields = {
        "status": offer_status(raw),
        "employment_start_date": ctx.dt(version.get("startDate")),
        "application_id": ctx.ref("applications", raw.get("applicationId")),
        "custom_fields": extra or None,
        "remote_created_at": ctx.dt(version.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("decidedAt") or version.get("createdAt")),
    }
    yield ctx.record("offers", raw["id"], fields)


def _response(field: Raw, value: object) -> Raw:
    kind = field.get("type")
    base = {"remote_id": field.get("path") or field.get("id"), "label": str(field.get("title") or "")}
    options = [{"remote_id": o.get("value"), "label": str(o.get("label") or "")}
               for o in field.get("selectableValues") or []]  # fmt: skip
    by_value = {o["remote_id"]: o for o in options}
    if kind == "ValueSelect":
        picked = by_value.get(value) or ({"remote_id": None, "label": str(value)} if value is not None else None)
        return {**base, "type": "SINGLE_SELECT", "options": options, "answer": picked}
    if kind == "MultiValueSelect":
        values = value if isinstance(value, list) else []
        return {**base, "type": "MULTI_SELECT", "options": options,
                "answer": [by_value.get(v) or {"remote_id": None, "label": str(v)} for v in values]}  # fmt: skip
    if kind == "Boolean":
        return {**base, "type": "BOOLEAN", "answer": value if isinstance(value, bool) else None}
    if kind in ("Score", "Number"):
        score = value.get("score") if isinstance(value, dict) else value
        number = float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None
        return {**base, "type": "NUMBER", "answer": number}
    if kind == "Date":
        return {**base, "type": "DATE", "answer": text(value)}
    return {**base, "type": "TEXT", "answer": None if value is None else str(value)}


def map_feedback(raw: Raw, ctx: MapContext) -> Records:
    """``applicationFeedback.list``: the form's fields and the submitted values keyed by field path."""
    values = raw.get("submittedValues") or {}
    fields_ = [
        item.get("field") or {} for section in (raw.get("formDefinition") or {}).get("sections") or []
        for item in section.get("fields") or []
    ]  # fmt: skip
    fields = {
        "application_id": ctx.ref("applications", raw.get("applicationId")),
        "author_id": ctx.ref("users", (raw.get("submittedByUser") or {}).get("id")),
        "remote_created_at": ctx.dt(raw.get("submittedAt")),
        "remote_updated_at": ctx.dt(raw.get("submittedAt")),
        "responses": [_response(f, values.get(f.get("path"))) for f in fields_ if f],
    }
    yield ctx.record("scorecards", raw["id"], fields)
