"""Personio Recruiting API v2 records -> unified records. Pure functions: no network, no database.

No Personio recruiting payload was ever recorded: the shapes are the documented v2 ones (reference §4, from a
third-party client that says it matches the real responses). Timestamps are objects
(``{"date-time": ..., "timezone": ...}``), not strings. A job's pipeline is its **category**'s stages: system
stages (``kind: system``; ``type`` unassigned|rejected|withdrawn|offer|accepted, no id) and custom ones
(``kind: custom`` with an id). Stage remote ids are ``"<jobId>:<stage id, or the system type>"`` so an
application's ``current_stage`` names its stage without a lookup. The fetch attaches ``_stages`` to a job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

#: By the system stage ``type``, never by names (they are translated); custom stages are PENDING unless the
#: integration's status map names them (by stage name or id: customers name their own stages).
OUTCOMES = OutcomeRule(
    statuses={"accepted": "HIRED", "hired": "HIRED", "rejected": "DECLINED", "withdrawn": "DECLINED"}
)


def ts(value: Any) -> Any:
    """``{"date-time": "...", "timezone": "..."}`` (or a plain string) -> the ISO string."""
    return value.get("date-time") if isinstance(value, dict) else value


def stage_key(stage: Raw) -> str:
    return str(stage.get("id") or stage.get("type") or "unassigned")


def stage_remote_id(job_id: str, stage: Raw) -> str:
    return f"{job_id}:{stage_key(stage)}"


def _name(value: Any) -> str | None:
    return value.get("name") if isinstance(value, dict) else value


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job with its category's stages: the stream fills both models."""
    fields = {
        "name": raw.get("name"),
        "department": _name(raw.get("department")),
        "category": _name(raw.get("category")),
        "remote_created_at": ctx.dt(ts(raw.get("created_at"))),
        "remote_updated_at": ctx.dt(ts(raw.get("updated_at"))),
        "status": str(raw["status"]).upper() if raw.get("status") else None,
    }
    yield ctx.record("jobs", raw["id"], fields, {})
    for index, stage in enumerate(raw.get("_stages") or []):
        stage_fields = {
            "name": stage.get("name") or str(stage.get("type") or "").capitalize(),
            "index": index,
            "status": "ACTIVE",
            "job_id": ctx.ref("jobs", raw["id"]),
            "custom_fields": {"kind": stage.get("kind"), "type": stage.get("type"), "id": stage.get("id")},
        }
        yield ctx.record("application_stages", stage_remote_id(str(raw["id"]), stage), stage_fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    email, phone, linkedin = raw.get("email"), raw.get("phone"), raw.get("linkedin_profile")
    fields = {
        "first_name": raw.get("first_name"),
        "last_name": raw.get("last_name"),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "social_media": [{"type": "linkedin", "link": linkedin}] if linkedin else [],
        "location": {"raw": raw["location"]} if raw.get("location") else None,
        "remote_created_at": ctx.dt(ts(raw.get("created_at"))),
        "remote_updated_at": ctx.dt(ts(raw.get("updated_at"))),
        "custom_fields": {"available_from": raw.get("available_from"), "gender": raw.get("gender")},
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def outcome(stage: Raw, ctx: MapContext | None = None) -> tuple[str, str | None]:
    """(outcome, rejection reason name) of an application in this stage, the integration's map first."""
    kind = str(stage.get("type") or "").lower()
    names = (stage.get("name"), stage.get("id"))
    result = ctx.outcome(OUTCOMES, kind, names=names) if ctx is not None else OUTCOMES.decide(kind, names=names)
    return result, (stage.get("name") or kind.capitalize()) if result == "DECLINED" else None


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    stage = raw.get("current_stage") or {}
    job_id = str((raw.get("job") or {}).get("id") or "")
    result, reason = outcome(stage, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "current_stage_id": ctx.ref("application_stages", stage_remote_id(job_id, stage)) if job_id else None,
        "job_id": ctx.ref("jobs", job_id or None),
        "candidate_id": ctx.ref("candidates", (raw.get("candidate") or {}).get("id")),
        "remote_created_at": ctx.dt(raw.get("application_date") or ts(raw.get("created_at"))),
        "remote_updated_at": ctx.dt(ts(raw.get("updated_at"))),
        "custom_fields": {"channel": _name(raw.get("channel")), "is_anonymized": raw.get("is_anonymized")},
    }
    yield ctx.record("applications", raw["id"], fields)
