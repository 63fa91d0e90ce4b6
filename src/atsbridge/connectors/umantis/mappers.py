"""Umantis JSON:API resources -> unified records. Pure functions: no network, no database.

Every row is a JSON:API resource (``id``, ``type``, ``attributes``, ``relationships``) with ``_linked``
attached by the source (``kit.jsonapi``): relationship name -> the resource side-loaded with ``include=``.

**Shapes are [gap]**: the Umantis help confirms JSON:API, sparse fieldsets and ``#filterable`` attributes, but
its per-tenant OpenAPI (``/openapi``) was never stored and no payload was ever recorded. The resource types
and attributes read here are the most defensible reading of what Kombo lists for Umantis (users; jobs with
employment type, status and visibility; persons; applications; stages and job-specific stages) [3p], named
the JSON:API way (snake_case attributes, one resource type per collection). Every attribute is read in exactly
one place below, so a real tenant's names change one line each.
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

#: By the application's ``status`` [gap: the enum is not published]; the statuses and stages are customer
#: configured in Umantis, so the integration's status map (stage name, stage id, then status) comes first.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "rejected": "DECLINED", "withdrawn": "DECLINED"})

_STATUS = {"open": "OPEN", "closed": "CLOSED", "draft": "DRAFT", "archived": "ARCHIVED"}
_VISIBILITY = {"public": "PUBLIC", "internal": "INTERNAL", "confidential": "CONFIDENTIAL"}
_EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACT",
    "temporary": "SEASONAL",
    "internship": "INTERNSHIP",
}


def _code(table: Mapping[str, str], value: Any) -> str | None:
    return table.get(value.strip().lower()) if isinstance(value, str) else None


def map_user(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    fields = {
        "first_name": text(a.get("first_name")),
        "last_name": text(a.get("last_name")),
        "email": text(a.get("email")),
        "status": "INACTIVE" if a.get("active") is False else "ACTIVE",
    }
    yield ctx.record("users", raw["id"], fields, {"system_roles": []})


def map_job(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    visibility = _code(_VISIBILITY, a.get("visibility"))
    status = _code(_STATUS, a.get("status"))
    fields = {
        "name": text(a.get("title")),
        "job_code": text(a.get("reference")),
        "description": text(a.get("description")),
        "department": text(a.get("department")),
        "employment_type": _code(_EMPLOYMENT, a.get("employment_type")),
        "status": status,
        "visibility": visibility,
        "confidential": visibility == "CONFIDENTIAL" if visibility else None,
        "post_url": text(a.get("url")),
        "location": {"raw": text(a.get("location"))} if text(a.get("location")) else None,
        "opened_at": ctx.dt(a.get("published_at")),
        "closed_at": ctx.dt(a.get("closed_at")) if status == "CLOSED" else None,
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
    }
    yield ctx.record("jobs", raw["id"], fields, {})


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """A stage of the tenant's default pipeline (no ``job``) or a job-specific stage (``job`` set)."""
    a = attrs(raw)
    position = a.get("position")
    fields = {
        "name": text(a.get("name")),
        "index": position if isinstance(position, int) else None,
        "status": "INACTIVE" if a.get("active") is False else "ACTIVE",
        "job_id": ctx.ref("jobs", linked_id(raw, "job")),
        "custom_fields": {"category": a.get("category")},
    }
    yield ctx.record("application_stages", raw["id"], fields)


def _contact(a: Raw) -> dict[str, Any]:
    email = text(a.get("email"))
    phones = [(text(a.get(k)), kind) for k, kind in (("phone", None), ("mobile", "MOBILE"))]
    parts = {k: text(a.get(k)) for k in ("street", "zip_code", "city", "country")}
    return {
        "first_name": text(a.get("first_name")),
        "last_name": text(a.get("last_name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": p, "type": kind} for p, kind in phones if p],
        "location": {
            "raw": ", ".join(v for v in parts.values() if v),
            "street_1": parts["street"],
            "zip_code": parts["zip_code"],
            "city": parts["city"],
            "country": parts["country"],
        }
        if any(parts.values())
        else None,
    }


def map_person(raw: Raw, ctx: MapContext) -> Records:
    """An Umantis person is the unified candidate (one person, many applications)."""
    a = attrs(raw)
    fields = {
        **_contact(a),
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def outcome(app: Raw, stage: Raw | None, ctx: MapContext | None = None) -> str:
    """The integration's map first (stage name, stage id, then status), then the status rule."""
    status = text(attrs(app).get("status"))
    names = (attrs(stage).get("name"), (stage or {}).get("id"))
    return ctx.outcome(OUTCOMES, status, names=names) if ctx is not None else OUTCOMES.decide(status, names=names)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    a = attrs(raw)
    stage = linked(raw, "stage")
    result = outcome(raw, stage if isinstance(stage, Mapping) else None, ctx)
    fields = {
        "outcome": result,
        "rejected_at": ctx.dt(a.get("rejected_at")) if result == "DECLINED" else None,
        "rejection_reason_name": text(a.get("rejection_reason")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", linked_id(raw, "stage")),
        "job_id": ctx.ref("jobs", linked_id(raw, "job")),
        "candidate_id": ctx.ref("candidates", linked_id(raw, "person")),
        "remote_created_at": ctx.dt(a.get("created_at")),
        "remote_updated_at": ctx.dt(a.get("updated_at")),
        "custom_fields": {"status": a.get("status"), "source": a.get("source")},
    }
    yield ctx.record("applications", raw["id"], fields)
