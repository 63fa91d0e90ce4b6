"""UKG Pro Recruiting payloads -> unified records. Pure functions: no network, no database.

**No UKG traffic was ever recorded**: the shapes are the reference's field-by-field description (§5.6) and the
vendor's documented create/comment bodies (§5.7); fields beyond those (opportunity ``status``/``location``,
application ``status``/``opportunity``, offer fields) are [gap] readings, each read defensively (a missing or
mistyped field maps to None, never a crash). Payload templates: ``atsbridge/fakes/ukgpro/payloads/``.

What a mapper needs beyond the vendor record, the source attaches under an underscore key:

* ``_detail`` (candidates): ``GET /candidates/{id}`` (None when the candidate is gone: nothing is mapped);
* ``_application`` (documents): ``{"id", "candidate_id"}`` of the application the document hangs off.
"""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: Application status names are the customer's own [gap: no public status list]; these defaults cover the
#: names UKG ships, and each integration's status map (by status name or id) decides the rest, else PENDING.
OUTCOMES = OutcomeRule(
    statuses={"hired": "HIRED", "rejected": "DECLINED", "not selected": "DECLINED", "withdrawn": "DECLINED",
              "declined": "DECLINED"},
    default="PENDING",
)  # fmt: skip

_JOB_STATUS = {"open": "OPEN", "draft": "DRAFT", "closed": "CLOSED", "filled": "CLOSED", "cancelled": "ARCHIVED",
               "on hold": "CLOSED"}  # fmt: skip
_EMPLOYMENT = {"fulltime": "FULL_TIME", "parttime": "PART_TIME", "contract": "CONTRACT", "temporary": "SEASONAL",
               "seasonal": "SEASONAL", "internship": "INTERNSHIP"}  # fmt: skip
_OFFER = {"draft": "DRAFT", "pending approval": "DRAFT", "approved": "APPROVED", "extended": "SENT",
          "sent": "SENT", "accepted": "ACCEPTED", "declined": "DECLINED", "rescinded": "ABANDONED",
          "withdrawn": "ABANDONED"}  # fmt: skip
_DOCUMENT = {"resume": "CV", "cv": "CV", "coverletter": "COVER_LETTER", "cover letter": "COVER_LETTER"}


def _id(value: Any) -> str | None:
    rid = obj(value).get("id")
    return str(rid) if rid not in (None, "") else None


def _location(value: Any) -> Raw | None:
    loc = obj(value)
    parts = {k: text(loc.get(k)) for k in ("city", "state", "country", "postal_code")}
    if not any(parts.values()):
        return None
    raw = ", ".join(p for p in (parts["city"], parts["state"], parts["country"]) if p)
    return {"city": parts["city"], "state": parts["state"], "country": parts["country"],
            "zip_code": parts["postal_code"], "raw": raw or parts["postal_code"]}  # fmt: skip


def link(raw: Raw, rel: str) -> str | None:
    """The ``href`` of ``links[rel=...]`` (documents are reachable only this way [doc])."""
    for entry in raw.get("links") or []:
        if isinstance(entry, Mapping) and entry.get("rel") == rel and isinstance(entry.get("href"), str):
            return str(entry["href"])
    return None


def map_opportunity(raw: Raw, ctx: MapContext) -> Records:
    status = (text(raw.get("status")) or "").lower()
    kind = (text(raw.get("employee_type")) or "").lower().replace("-", "").replace(" ", "")
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("requisition_number")),
        "description": raw.get("description") if isinstance(raw.get("description"), str) else None,
        "status": _JOB_STATUS.get(status),
        "employment_type": _EMPLOYMENT.get(kind),
        "remote_work_status": "REMOTE" if raw.get("is_remote") is True else None,
        "location": _location(raw.get("location")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {"status": raw.get("status"), "employee_type": raw.get("employee_type")},
    }
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": [], "job_postings": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str | None:
    """The status name decides (the tenant's map first, then :data:`OUTCOMES`); a missing status is PENDING."""
    status = obj(raw.get("status"))
    name, sid = text(status.get("name")), text(str(status.get("id") or ""))
    if ctx is None:
        return OUTCOMES.decide(name.lower() if name else None, names=(name, sid))
    return ctx.outcome(OUTCOMES, name.lower() if name else None, names=(name, sid))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """One application; its candidate is filled by the ``candidates`` stream (``GET /candidates/{id}``)."""
    cand, status = _id(raw.get("candidate")), obj(raw.get("status"))
    result = outcome(raw, ctx)
    source = obj(raw.get("application_source"))
    fields = {
        "outcome": result,
        "rejection_reason_name": text(status.get("name")) if result == "DECLINED" else None,
        "job_id": ctx.ref("jobs", _id(raw.get("opportunity"))),
        "candidate_id": ctx.ref("candidates", cand),
        "remote_created_at": ctx.dt(raw.get("applied_date")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "status": text(status.get("name")),
            "status_id": status.get("id"),
            "creation_method": raw.get("creation_method"),
            "origin": raw.get("origin"),
            "application_source": text(source.get("name")) or source.get("id"),
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["id"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    """``GET /candidates/{id}`` -> the candidate and its comments (notes; UKG comments hang off candidates)."""
    detail = raw.get("_detail")
    if not isinstance(detail, Mapping) or not detail.get("id"):
        return  # gone since its application was listed
    name, contact = obj(detail.get("name")), obj(detail.get("contact_info"))
    email, phone = text(contact.get("email")), text(contact.get("phone"))
    fields = {
        "first_name": text(name.get("first")),
        "last_name": text(name.get("last")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": _location(contact.get("address")),
        "remote_created_at": ctx.dt(detail.get("created_at")),
        "remote_updated_at": ctx.dt(detail.get("updated_at")),
        "custom_fields": {
            "middle_name": name.get("middle"),
            "preferred_name": name.get("preferred"),
            "skills": detail.get("skills"),
        },  # fmt: skip
    }
    cid = str(detail["id"])
    yield ctx.record("candidates", cid, fields, {"tag_ids": []})
    for comment in detail.get("comments") or []:
        yield from map_comment(obj(comment), cid, ctx)


def map_comment(comment: Raw, candidate: str, ctx: MapContext) -> Records:
    if not comment.get("id"):
        return
    body = text(comment.get("comment"))
    fields = {
        "candidate_id": ctx.ref("candidates", candidate),
        "content_html": "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None,
        "title": text(comment.get("author")),
        "remote_created_at": ctx.dt(comment.get("created_at")),
    }
    yield ctx.record("notes", comment["id"], fields)


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    status = (text(raw.get("status")) or "").lower()
    fields = {
        "status": _OFFER.get(status),
        "application_id": ctx.ref("applications", _id(raw.get("application"))),
        "employment_start_date": ctx.dt(raw.get("start_date")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {"status": raw.get("status")},
    }
    yield ctx.record("offers", raw["id"], fields)


def document_remote_id(application: object, document: object) -> str:
    """``<application id>/documents/<document id>``: the download path is ``/applications/{this}/download``."""
    return f"{application}/documents/{document}"


def map_document(raw: Raw, ctx: MapContext) -> Records:
    app = obj(raw.get("_application"))
    if not app.get("id") or not app.get("candidate_id") or not raw.get("id"):
        return
    name = text(raw.get("file_name"))
    kind = (text(raw.get("document_type")) or "").lower()
    fields = {
        "candidate_id": ctx.ref("candidates", app["candidate_id"]),
        "application_id": ctx.ref("applications", app["id"]),
        "type": _DOCUMENT.get(kind, "OTHER"),
        "file_name": name,
        "content_type": (mimetypes.guess_type(name)[0] if name else None) or "application/octet-stream",
        "remote_created_at": ctx.dt(raw.get("created_at")),
    }
    yield ctx.record("attachments", document_remote_id(app["id"], raw["id"]), fields)
