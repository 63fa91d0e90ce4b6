"""Pinpoint JSON:API resources -> unified records. Pure functions: no network, no database.

Every row is a JSON:API resource (``id``, ``type``, ``attributes``, ``relationships``) with ``_linked``
attached by the source (``kit.jsonapi``): relationship name -> the resource side-loaded with ``include=``.

Shapes: only request bodies were ever recorded (reference §4.4 [doc]); the response attributes used here are
the request attributes Pinpoint documents for applications (``first_name``, ``last_name``, ``email``,
``phone``, ``linkedin_url``, address parts) [doc], ``attachments`` under ``extra_fields`` [doc], and for the
other resources the fields a third-party unified API lists for Pinpoint (jobs: title, description,
employment type, status, visibility, opened/closed; stages as part of the job) [3p]. The stage attribute
``stage_type`` and its values are [gap]: the reference names "stage type" without the enum.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.jsonapi import attrs, linked, linked_id
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: By the stage's ``stage_type`` [gap]; customer-named stages are PENDING unless the integration's status map
#: names them (by stage name or id), e.g. a custom "Offer declined" stage -> DECLINED.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "rejected": "DECLINED", "withdrawn": "DECLINED"})

_STATUS = {"open": "OPEN", "closed": "CLOSED", "draft": "DRAFT", "archived": "ARCHIVED"}
_VISIBILITY = {"public": "PUBLIC", "internal": "INTERNAL", "confidential": "CONFIDENTIAL"}
_EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACT",
    "temporary": "SEASONAL",
    "seasonal": "SEASONAL",
    "internship": "INTERNSHIP",
}


def _code(table: Mapping[str, str], value: Any) -> str | None:
    return table.get(value.lower()) if isinstance(value, str) else None


def map_user(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    fields = {
        "first_name": text(a.get("first_name")),
        "last_name": text(a.get("last_name")),
        "email": text(a.get("email")),
        "status": "INACTIVE" if a.get("deactivated") else "ACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": []})


def map_rejection_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": text(attrs(raw).get("name"))})


def stages_of(job: Raw) -> list[Raw]:
    """The job's stages (side-loaded), in pipeline order (``position``, then id)."""
    found = [s for s in linked(job, "stages") or [] if isinstance(s, Mapping) and s.get("id") is not None]

    def order(stage: Raw) -> tuple[float, str]:
        position = attrs(stage).get("position")
        return (position if isinstance(position, int | float) else 0, str(stage["id"]))

    return sorted(found, key=order)


def map_job(raw: Raw, ctx: MapContext) -> Records:
    """A job with its stages: the stream fills both models (stages are per job in Pinpoint)."""
    a = attrs(raw)
    visibility = _code(_VISIBILITY, a.get("visibility"))
    fields = {
        "name": text(a.get("title")),
        "description": text(a.get("description")),
        "department": text(a.get("department")),
        "employment_type": _code(_EMPLOYMENT, a.get("employment_type")),
        "status": _code(_STATUS, a.get("status")),
        "visibility": visibility,
        "confidential": visibility == "CONFIDENTIAL" if visibility else None,
        "post_url": text(a.get("url")),
        "opened_at": ctx.dt(a.get("opened_at")),
        "closed_at": ctx.dt(a.get("closed_at")),
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
    }
    yield ctx.record("jobs", raw["id"], fields, {})
    for index, stage in enumerate(stages_of(raw)):
        s = attrs(stage)
        stage_fields = {
            "name": text(s.get("name")),
            "index": index,
            "status": "ACTIVE",
            "job_id": ctx.ref("jobs", raw["id"]),
            "custom_fields": {"stage_type": s.get("stage_type")},
        }
        yield ctx.record("application_stages", stage["id"], stage_fields)


def _contact(a: Raw) -> dict[str, Any]:
    email, phone, linkedin = text(a.get("email")), text(a.get("phone")), text(a.get("linkedin_url"))
    parts = [text(a.get(k)) for k in ("address1", "address2", "town", "postcode", "country")]
    return {
        "first_name": text(a.get("first_name")),
        "last_name": text(a.get("last_name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": [{"type": "linkedin", "link": linkedin}] if linkedin else [],
        "location": {
            "raw": ", ".join(p for p in parts if p),
            "city": text(a.get("town")),
            "zip_code": text(a.get("postcode")),
            "country": text(a.get("country")),
            "street_1": parts[0],
            "street_2": parts[1],
        }
        if any(parts)
        else None,
    }


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    fields = {
        **_contact(a),
        "source": text(a.get("source")),
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def outcome(stage: Raw | None, reason: Raw | None, ctx: MapContext | None = None) -> tuple[str, str | None]:
    """(outcome, rejection reason name) of an application in ``stage``: the integration's map first (stage
    name, then id), then the stage type. A rejection reason names the reason of a DECLINED application."""
    s = attrs(stage)
    kind = str(s.get("stage_type") or "").lower() or None
    names = (s.get("name"), (stage or {}).get("id"))
    result = ctx.outcome(OUTCOMES, kind, names=names) if ctx is not None else OUTCOMES.decide(kind, names=names)
    if result != "DECLINED":
        return result, None
    return result, text(attrs(reason).get("name")) or text(s.get("name"))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    stage, reason = linked(raw, "stage"), linked(raw, "rejection_reason")
    result, reason_name = outcome(
        stage if isinstance(stage, Mapping) else None, reason if isinstance(reason, Mapping) else None, ctx
    )
    tags = [{"tag": t.get("tag"), "context": t.get("context")} for t in a.get("tags") or [] if isinstance(t, Mapping)]
    fields = {
        "outcome": result,
        "rejection_reason_name": reason_name,
        "rejected_at": ctx.dt(a.get("rejected_at")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", linked_id(raw, "stage")),
        "job_id": ctx.ref("jobs", linked_id(raw, "job")),
        "candidate_id": ctx.ref("candidates", linked_id(raw, "candidate")),
        "remote_url": text(a.get("admin_url")),
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
        "custom_fields": {"source": a.get("source"), "tags": tags},
    }
    yield ctx.record("applications", raw["id"], fields)
