"""Homerun v2 payloads -> unified records. Pure functions: no network, no database.

Shapes: the Redoc samples of Homerun's own OpenAPI document (``tests/connectors/payloads/homerun/``, reference
§1.6). Homerun has **no candidate resource**: the person lives in each application's ``personal_info``, so a
candidate's remote id is its application's id (``ap_...``), one candidate per application. Stages have no id,
only a ``name`` unique within a vacancy: a stage's remote id is ``"<vacancy id>:<name>"``. Notes have no id
either: a note's remote id is ``"<application id>:<its position in notes[]>"`` (notes are append-only).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: ``hired_at`` set -> "hired", ``disqualified`` -> "disqualified" (the two facts Homerun states); otherwise the
#: stage name, which customers name themselves: the integration's status map decides those, else PENDING.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "disqualified": "DECLINED"}, default="PENDING")

_STATUS = {"public": "OPEN", "private": "OPEN", "closed": "CLOSED", "draft": "DRAFT"}
_VISIBILITY = {"public": "PUBLIC", "private": "UNLISTED"}
_POSTING = {"public": "ACTIVE", "private": "ACTIVE", "closed": "INACTIVE", "draft": "DRAFT"}
_EMPLOYMENT = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contracted": "CONTRACT", "internship": "INTERNSHIP",
               "traineeship": "INTERNSHIP", "seasonal": "SEASONAL", "temporary": "SEASONAL"}  # fmt: skip


def _name(value: Any) -> str | None:
    return text(obj(value).get("name"))


def stage_remote_id(vacancy_id: object, name: object) -> str | None:
    return f"{vacancy_id}:{name}" if vacancy_id and isinstance(name, str) and name else None


def note_remote_id(application_id: object, index: int) -> str:
    return f"{application_id}:{index}"


def _location(raw: Raw) -> Raw | None:
    loc = obj(raw.get("location"))
    parts = [text(loc.get(k)) for k in ("address", "postal_code", "city", "region", "country")]
    if not any(parts):
        return None
    return {"city": text(loc.get("city")), "country": text(loc.get("country")), "state": text(loc.get("region")),
            "zip_code": text(loc.get("postal_code")), "street_1": text(loc.get("address")),
            "raw": text(loc.get("name")) or ", ".join(p for p in parts if p)}  # fmt: skip


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    """A vacancy and its stages (``include[]=stages``): the stream fills both models."""
    status = str(raw.get("status") or "")
    kind = str(raw.get("type") or "").lower()
    remote = raw.get("location_type") == "remote" or raw.get("is_remote") is True
    fields = {
        "name": text(raw.get("title")),
        "description": raw.get("description") if isinstance(raw.get("description"), str) else None,
        "department": _name(raw.get("department")),
        "post_url": text(raw.get("job_url")),
        "status": _STATUS.get(status, text(status)),
        "visibility": _VISIBILITY.get(status),
        "employment_type": _EMPLOYMENT.get(kind.split(" /")[0]),
        "remote_work_status": "REMOTE" if remote else ("ON_SITE" if raw.get("location_type") == "on-site" else None),
        "location": _location(raw),
        "closed_at": ctx.dt(raw.get("expires_at")) if status == "closed" else None,
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {
            "type": raw.get("type"),
            "expires_at": raw.get("expires_at"),
            "application_form_url": raw.get("application_form_url"),
            "total_candidate_count": raw.get("total_candidate_count"),
        },  # fmt: skip
    }
    posting = {"id": ctx.ref("job_postings", raw["id"]), "remote_id": str(raw["id"]), "title": fields["name"],
               "description_html": fields["description"], "status": _POSTING.get(status, "DRAFT"),
               "visibility": fields["visibility"], "url": fields["post_url"]}  # fmt: skip
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": [], "job_postings": [posting]})
    for index, stage in enumerate(raw.get("stages") or []):
        rid = stage_remote_id(raw["id"], obj(stage).get("name"))
        if rid:
            row = {"name": stage["name"], "index": index, "status": "ACTIVE", "job_id": ctx.ref("jobs", raw["id"])}
            yield ctx.record("application_stages", rid, row)


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    """HIRED when ``hired_at`` is set, DECLINED when ``disqualified``; the integration's map first (by stage name
    or the disqualification reason: both are named by the customer)."""
    status = "hired" if raw.get("hired_at") else "disqualified" if raw.get("disqualified") is True else None
    names = (_name(raw.get("disqualification_reason")), _name(raw.get("stage")))
    if ctx is None:
        return OUTCOMES.decide(status, names=names)
    return ctx.outcome(OUTCOMES, status, names=names)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """One application -> its candidate (same remote id), the application and its notes."""
    app_id, person, vacancy = raw["id"], obj(raw.get("personal_info")), raw.get("vacancy_id")
    email, phone = text(person.get("email")), text(person.get("phone_number"))
    city, country = text(person.get("city")), text(person.get("country"))
    sources = [s for s in (_name(x) for x in raw.get("sources") or []) if s]
    candidate = {
        "first_name": text(person.get("first_name")),
        "last_name": text(person.get("last_name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": {"city": city, "country": country, "raw": ", ".join(p for p in (city, country) if p)}
        if city or country else None,
        "source": sources[0] if sources else None,
        "remote_url": text(raw.get("homerun_url")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {"date_of_birth": person.get("date_of_birth"), "photo": person.get("photo")},
    }  # fmt: skip
    yield ctx.record("candidates", app_id, candidate, {"tag_ids": []})
    result = outcome(raw, ctx)
    stage = stage_remote_id(vacancy, obj(raw.get("stage")).get("name"))
    fields = {
        "outcome": result,
        "rejection_reason_name": _name(raw.get("disqualification_reason")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", stage) if stage else None,
        "job_id": ctx.ref("jobs", vacancy or None),
        "candidate_id": ctx.ref("candidates", app_id),
        "remote_url": text(raw.get("homerun_url")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {k: raw.get(k) for k in ("rating", "total_votes", "sourced", "hired_at", "first_reply_at",
                                                  "retention_period_ends_at")},
    }  # fmt: skip
    yield ctx.record("applications", app_id, fields)
    for index, note in enumerate(raw.get("notes") or []):
        yield from _note(obj(note), app_id, index, ctx)


def _note(note: Raw, app_id: str, index: int, ctx: MapContext) -> Records:
    body = text(note.get("note"))
    fields = {
        "candidate_id": ctx.ref("candidates", app_id),
        "application_id": ctx.ref("applications", app_id),
        "content_html": "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None,
        "remote_created_at": ctx.dt(note.get("created_at")),
        "title": text(note.get("display_name")),
        "is_private": note.get("is_sensitive") if isinstance(note.get("is_sensitive"), bool) else None,
        "remote_updated_at": ctx.dt(note.get("updated_at")),
    }
    yield ctx.record("notes", note_remote_id(app_id, index), fields)
