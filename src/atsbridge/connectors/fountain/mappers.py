"""Fountain payloads -> unified records. Pure functions: no network, no database.

* A **funnel** is a job (Fountain calls it an opening or position); its ``stages[]`` are the job's pipeline
  (stage ids are UUIDs, unique across funnels) and its ``fields[]`` the application form's questions.
* An **applicant** is one application to one funnel: it yields a candidate *and* an application, both with the
  applicant's id (Fountain has no person record; the same person in two funnels is two applicants, so two
  candidates — merging them by e-mail would invent an identity Fountain does not hold).
* The source attaches ``_stage`` to an applicant: ``{"type", "title", "index", "funnel_id"}`` of its current
  stage from the funnels' listing (the applicant's own ``stage`` has only ``id`` and ``title``).

Outcome by the stage ``type``: ``HiredStage`` -> HIRED [doc]; ``RejectedStage`` and ``ArchivedStage`` ->
DECLINED [gap: the stage-type names besides ``HiredStage`` were not seen in a recorded payload]; anything else
is PENDING. Stage titles are free text per tenant: the integration's ``status_map`` (by stage title or id)
wins over the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]

OUTCOMES = OutcomeRule(statuses={"HiredStage": "HIRED", "RejectedStage": "DECLINED", "ArchivedStage": "DECLINED"})

#: Fountain form field ``type`` -> the contract's question format.
_FORMATS: dict[str, Raw] = {
    "text_field": {"type": "TEXT", "display_type": "SINGLE_LINE"},
    "text_area": {"type": "TEXT", "display_type": "MULTI_LINE"},
    "email": {"type": "TEXT", "display_type": "EMAIL"},
    "phone_number": {"type": "TEXT", "display_type": "SINGLE_LINE"},
    "checkbox": {"type": "BOOLEAN"},
    "date_picker": {"type": "DATE"},
    "file": {"type": "FILE"},
    "number": {"type": "NUMBER"},
}


def split_name(name: Any) -> tuple[str | None, str | None]:
    """Fountain keeps one ``name``: the first word is the first name, the rest the last name."""
    first, _, last = (text(name) or "").partition(" ")
    return first or None, last.strip() or None


def _question(funnel_id: str, field: Raw, index: int, ctx: MapContext) -> Raw:
    key = str(field.get("key") or "")
    kind = str(field.get("type") or "")
    return {
        "id": ctx.ref("screening_questions", f"{funnel_id}:{key}"),
        "remote_id": key,
        "title": text(field.get("question")) or key,
        "format": dict(_FORMATS.get(kind) or {"type": "UNKNOWN", "raw_question": field}),
        "index": index,
    }


def _location(raw: Raw) -> Raw | None:
    place = dict_obj(raw.get("location"))
    parts = [p for p in (text(raw.get("address")), text(place.get("name"))) if p]
    return {"raw": ", ".join(parts), "street_1": text(raw.get("address"))} if parts else None


def map_funnel(raw: Raw, ctx: MapContext) -> Records:
    """A funnel with its stages: the stream fills jobs and application stages."""
    funnel_id = str(raw["id"])
    place = dict_obj(raw.get("location"))
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("custom_id")),
        "description": text(raw.get("description")),
        "confidential": raw.get("is_private") if isinstance(raw.get("is_private"), bool) else None,
        "status": "OPEN" if raw.get("active") is True else "CLOSED",
        "visibility": "UNLISTED" if raw.get("is_private") is True else "PUBLIC",
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "location": _location(raw),
        "custom_fields": {
            "requirements": raw.get("requirements"), "additional_info": raw.get("additional_info"),
            "time_zone": raw.get("time_zone"), "location_id": place.get("id"),
            "location_group": dict_obj(place.get("location_group")).get("name"),
            "owner_email": dict_obj(place.get("owner")).get("email"),
        },
    }  # fmt: skip
    questions = [f for f in raw.get("fields") or [] if isinstance(f, dict) and f.get("key")]
    nested = {"screening_questions": [_question(funnel_id, f, i, ctx) for i, f in enumerate(questions)]}
    yield ctx.record("jobs", funnel_id, fields, nested)
    for index, stage in enumerate(raw.get("stages") or []):
        if not isinstance(stage, dict) or not stage.get("id"):
            continue
        stage_fields = {
            "name": text(stage.get("title")),
            "index": index,
            "status": "ACTIVE",
            "job_id": ctx.ref("jobs", funnel_id),
            "custom_fields": {"type": stage.get("type")},
        }
        yield ctx.record("application_stages", stage["id"], stage_fields)


def outcome(raw: Raw, ctx: MapContext) -> str:
    """By the current stage's ``type`` (from the funnels), the integration's map first (stage title or id)."""
    stage, known = dict_obj(raw.get("stage")), dict_obj(raw.get("_stage"))
    kind = known.get("type") or stage.get("type")
    return ctx.outcome(OUTCOMES, kind, names=(stage.get("title") or known.get("title"), stage.get("id")))


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """One applicant -> its candidate and its application (same remote id)."""
    rid = str(raw["id"])
    first, last = split_name(raw.get("name"))
    email, phone = text(raw.get("email")), text(raw.get("phone_number"))
    created = ctx.dt(raw.get("created_at"))
    candidate = {
        "first_name": first,
        "last_name": last,
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "remote_created_at": created,
        "custom_fields": dict(dict_obj(raw.get("data"))),
    }
    yield ctx.record("candidates", rid, candidate, {"tag_ids": []})
    stage, funnel = dict_obj(raw.get("stage")), dict_obj(raw.get("funnel"))
    result = outcome(raw, ctx)
    reason = text(raw.get("rejection_reason")) or (text(stage.get("title")) if result == "DECLINED" else None)
    application = {
        "outcome": result,
        "rejection_reason_name": reason if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", stage.get("id")),
        "job_id": ctx.ref("jobs", funnel.get("id")),
        "candidate_id": ctx.ref("candidates", rid),
        "remote_created_at": created,
        "custom_fields": {
            "labels": raw.get("labels"),
            "background_checks": raw.get("background_checks"),
            "document_signatures": raw.get("document_signatures"),
        },
    }
    yield ctx.record("applications", rid, application)
