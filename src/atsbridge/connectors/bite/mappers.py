"""BITE payloads -> unified records. Pure functions: no network, no database.

**No BITE payload was recorded.** The job posting is the shape a maintained client reads (``rrze-jobs``,
``Provider/BITE.php`` [conn]): ``id``, ``hash``, ``active``, ``title``, ``identification``, ``locale``,
``location``, ``assignees``, ``content``, ``seo.employmentType[]`` (schema.org values), ``channels.channel0``
(public) / ``channel1`` (internal) with ``from``/``to``/``route{application,email,posting}``, ``custom{...}``.
Everything else (candidates, statuses, users, notes, documents) follows the objects unified.to and Kombo name
for BITE [3p]; their field names are this connector's reading [gap], kept in this one module.

What the source attaches: ``_posting`` (jobs: the ``GET /jobpostings/{id}`` answer; None when gone since the
search), ``_index`` (statuses: position in the list), ``_candidate`` (notes, documents: ``{"id"}``).

Modelling: a BITE **candidate is one application** (unified.to maps ATS application -> BITE candidate [3p]): it
yields a candidate and an application with the same remote id. Statuses are **global** (every status applies
to every posting [3p]): stages without a job. A candidate may have **no status** (``status: null``):
``current_stage_id`` is then null [3p].
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

#: Statuses are the customer's own names: no fixed enum is known [gap]. The default knows the usual German and
#: English names; every other name goes through the integration's status map (by status name or id).
OUTCOMES = OutcomeRule(
    statuses={"eingestellt": "HIRED", "einstellung": "HIRED", "hired": "HIRED", "abgesagt": "DECLINED",
              "absage": "DECLINED", "abgelehnt": "DECLINED", "rejected": "DECLINED", "zurückgezogen": "DECLINED",
              "withdrawn": "DECLINED"},
    default="PENDING",
)  # fmt: skip
#: schema.org ``employmentType`` values [conn] -> the unified employment type.
_EMPLOYMENT = {"FULL_TIME": "FULL_TIME", "PART_TIME": "PART_TIME", "TEMPORARY": "TEMPORARY",
               "CONTRACTOR": "CONTRACT", "INTERN": "INTERNSHIP", "PER_DIEM": "TEMPORARY"}  # fmt: skip
_DOCUMENT_TYPES = {"cv": "CV", "resume": "CV", "coverletter": "COVER_LETTER", "cover_letter": "COVER_LETTER"}


def _id(value: Any) -> str | None:
    """An id given bare or as ``{"id": ...}``."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and str(value) else None


def _channel(raw: Raw, name: str) -> Raw:
    return obj(obj(raw.get("channels")).get(name))


def _location(value: Any) -> Raw | None:
    if isinstance(value, str):
        return {"raw": value} if value.strip() else None
    loc = obj(value)
    parts = {"city": text(loc.get("city")), "zip_code": text(loc.get("postalCode") or loc.get("zip")),
             "country": text(loc.get("country")), "street_1": text(loc.get("street")),
             "state": text(loc.get("region") or loc.get("state"))}  # fmt: skip
    if not any(parts.values()):
        return None
    return {**parts, "raw": text(loc.get("name")) or ", ".join(v for v in parts.values() if v)}


def _content(value: Any) -> str | None:
    """``content`` is HTML, or sections of HTML keyed by name (tenant templates) [conn: read as opaque]."""
    if isinstance(value, str):
        return value or None
    sections = [v for v in obj(value).values() if isinstance(v, str) and v.strip()]
    return "".join(sections) or None


def map_job(raw: Raw, ctx: MapContext) -> Records:
    """A search entry and its posting (``_posting``). A posting gone between search and read yields nothing."""
    posting = raw.get("_posting")
    if not isinstance(posting, Mapping) or _id(posting) is None:
        return
    p = posting
    public, internal = _channel(p, "channel0"), _channel(p, "channel1")
    kinds = [str(k).upper() for k in obj(p.get("seo")).get("employmentType") or [] if isinstance(k, str)]
    active = p.get("active") is True
    url = text(obj(public.get("route")).get("posting")) or text(obj(internal.get("route")).get("posting"))
    fields: dict[str, Any] = {
        "name": text(p.get("title")),
        "job_code": text(p.get("identification")),
        "description": _content(p.get("content")),
        "status": "OPEN" if active else "CLOSED",
        # channel0 is the public channel, channel1 the internal one [conn]
        "visibility": "PUBLIC" if public.get("from") else "INTERNAL" if internal.get("from") else None,
        "employment_type": next((_EMPLOYMENT[k] for k in kinds if k in _EMPLOYMENT), None),
        "location": _location(p.get("location")),
        "post_url": url,
        "opened_at": ctx.dt(public.get("from") or internal.get("from")),
        "closed_at": None if active else ctx.dt(public.get("to") or internal.get("to")),
        "custom_fields": {
            "hash": p.get("hash"),
            "locale": p.get("locale"),
            "keywords": p.get("keywords"),
            "subsidiary": p.get("subsidiary"),
            "employment_types": kinds or None,
            "apply_url": text(obj(public.get("route")).get("application")),
            "custom": dict(obj(p.get("custom"))) or None,
        },  # fmt: skip
    }
    team: list[dict[str, Any]] = [{"user_id": ctx.ref("users", uid), "hiring_team_roles": [], "job_roles": []}
            for uid in dict.fromkeys(_id(a) for a in p.get("assignees") or []) if uid]  # fmt: skip
    fields["contact_id"] = team[0]["user_id"] if team else None
    posting_row = {"id": ctx.ref("job_postings", _id(p)), "remote_id": _id(p), "title": fields["name"],
                   "description_html": fields["description"], "status": "ACTIVE" if active else "INACTIVE",
                   "visibility": fields["visibility"], "url": url}  # fmt: skip
    yield ctx.record("jobs", _id(p), fields, {"screening_questions": [], "job_postings": [posting_row],
                                              "hiring_team": team})  # fmt: skip


def map_status(raw: Raw, ctx: MapContext) -> Records:
    """A global status: a stage of every posting (``job_id`` None)."""
    rid = _id(raw)
    if rid is None:
        return
    index = raw.get("position") if isinstance(raw.get("position"), int) else raw.get("_index")
    fields = {"name": text(raw.get("name")), "index": index, "status": "ACTIVE", "job_id": None,
              "custom_fields": {"category": raw.get("category")}}  # fmt: skip
    yield ctx.record("application_stages", rid, fields)


def outcome(raw: Raw, ctx: MapContext) -> str:
    """By the status's name (or id) through the integration's map, then the default names; no status: PENDING."""
    status = obj(raw.get("status"))
    name = text(status.get("name"))
    return ctx.outcome(OUTCOMES, name, names=(name, _id(status)))


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    """One BITE candidate -> the candidate and its application (same remote id)."""
    rid = _id(raw)
    if rid is None:
        return
    email, phone = text(raw.get("email")), text(raw.get("phone"))
    source = raw.get("source")
    candidate = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": _location(raw.get("address")),
        "source": text(obj(source).get("name")) or text(source),
        "remote_created_at": ctx.dt(raw.get("createdAt")),
        "remote_updated_at": ctx.dt(raw.get("updatedAt")),
        "custom_fields": {
            "salutation": raw.get("salutation"),
            "process_id": _id(raw.get("process")),
            "subsidiary_id": _id(raw.get("subsidiary")),
        },  # fmt: skip
    }
    yield ctx.record("candidates", rid, candidate, {"tag_ids": []})
    status_id = _id(raw.get("status"))
    fields = {
        "outcome": outcome(raw, ctx),
        "current_stage_id": ctx.ref("application_stages", status_id) if status_id else None,
        "job_id": ctx.ref("jobs", _id(raw.get("jobPosting")) or _id(raw.get("jobPostingId"))),
        "candidate_id": ctx.ref("candidates", rid),
        "remote_created_at": candidate["remote_created_at"],
        "remote_updated_at": candidate["remote_updated_at"],
        "custom_fields": {
            "status_name": text(obj(raw.get("status")).get("name")),
            "process_id": _id(raw.get("process")),
            "source": candidate["source"],
        },  # fmt: skip
    }
    yield ctx.record("applications", rid, fields)


def map_note(raw: Raw, ctx: MapContext) -> Records:
    rid, parent = _id(raw), _id(raw.get("_candidate"))
    if rid is None or parent is None:
        return
    body = text(raw.get("text"))
    fields = {
        "candidate_id": ctx.ref("candidates", parent),
        "application_id": ctx.ref("applications", parent),
        "author_id": ctx.ref("users", _id(raw.get("author"))) if _id(raw.get("author")) else None,
        "content_html": "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None,
        "remote_created_at": ctx.dt(raw.get("createdAt")),
    }
    yield ctx.record("notes", rid, fields)


def map_document(raw: Raw, ctx: MapContext) -> Records:
    rid, parent = _id(raw), _id(raw.get("_candidate"))
    if rid is None or parent is None:
        return
    kind = str(raw.get("type") or "").lower()
    fields = {
        "candidate_id": ctx.ref("candidates", parent),
        "application_id": ctx.ref("applications", parent),
        "type": _DOCUMENT_TYPES.get(kind, "OTHER"),
        "file_name": text(raw.get("name")),
        "content_type": text(raw.get("contentType")) or "application/octet-stream",
        "remote_created_at": ctx.dt(raw.get("createdAt")),
    }
    yield ctx.record("attachments", rid, fields)


def map_user(raw: Raw, ctx: MapContext) -> Records:
    rid = _id(raw)
    if rid is None:
        return
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "email": text(raw.get("email")),
        "status": "ACTIVE" if raw.get("active") is not False else "INACTIVE",
    }
    yield ctx.record("users", rid, fields, {"system_roles": []})
