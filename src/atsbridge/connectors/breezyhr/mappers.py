"""Breezy HR v3 records -> unified records. Pure functions: no network, no database.

The only recorded candidate payload is the vendor's **type template** (``String``/``Date`` placeholders, see
``tests/connectors/payloads/breezyhr/``): field names and nesting are the documented ones, values are ours.
Positions and pipelines have no recording: their fields are the documented/Airbyte ones (reference §3.6).

* A position is a job; its pipeline's stages (attached by the source under ``_stages``) are the job's stages,
  with remote ids ``"<position id>:<stage id>"`` so an application names its stage without a lookup (stage
  ids ``applied``/``hired``/``disqualified``... are shared by every pipeline, custom ones are per pipeline).
* A Breezy candidate exists **per position**: it is both the unified candidate (remote id ``_id``) and its one
  application (remote id ``"<position id>:<candidate id>"``, the pair every candidate URL needs). The source
  attaches the position under ``_position``.
* The candidate's ``resume`` (``{file_name, url, pdf_url}``) is its one attachment, remote id
  ``"<position id>/candidate/<candidate id>/resume"``: the path of ``GET .../resume`` under ``/position/``.
* Tags are plain strings: the text is the tag's identity.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: By the stage id Breezy fixes for its built-in stages [doc]; custom stages are PENDING unless the
#: integration's status map names them (by stage name or id: customers name their own stages).
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "disqualified": "DECLINED"})
#: Breezy position ``state`` -> the unified job status.
_STATUS = {"published": "OPEN", "draft": "DRAFT", "pending": "DRAFT", "closed": "CLOSED", "archived": "ARCHIVED"}
_EMPLOYMENT = {"fullTime": "FULL_TIME", "partTime": "PART_TIME", "contract": "CONTRACT", "temporary": "SEASONAL",
               "internship": "INTERNSHIP", "other": None}  # fmt: skip


def text(value: Any) -> str | None:
    """A non-empty string (Breezy sends ids as strings or numbers), else None."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    found = str(value).strip()
    return found or None


def _name(value: Any) -> str | None:
    return text(value.get("name")) if isinstance(value, dict) else text(value)


def stage_remote_id(position_id: object, stage_id: object) -> str:
    return f"{position_id}:{stage_id}"


def application_remote_id(raw: Raw) -> str:
    return f"{dict_obj(raw.get('_position')).get('_id')}:{raw['_id']}"


def _location(raw: Any) -> dict[str, str | None] | None:
    loc = dict_obj(raw)
    found = {"city": text(loc.get("city")), "country": _name(loc.get("country")), "state": _name(loc.get("state")),
             "zip_code": text(loc.get("zip")), "raw": text(loc.get("name"))}  # fmt: skip
    return found if any(found.values()) else None


def map_position(raw: Raw, ctx: MapContext) -> Records:
    """A position with its pipeline's stages: the stream fills both models."""
    state = text(raw.get("state")) or ""
    kind = dict_obj(raw.get("type"))
    employment = text(kind.get("id")) or ""
    fields = {
        "name": text(raw.get("name")),
        "description": text(raw.get("description")),
        "department": _name(raw.get("department")),
        "category": _name(raw.get("category")),
        "experience_level": _name(raw.get("experience")),
        "job_code": text(raw.get("requisition_id")),
        "employment_type": _EMPLOYMENT.get(employment, employment or None) if employment else _name(kind),
        "status": _STATUS.get(state, state.upper() or None),
        "remote_work_status": "REMOTE" if dict_obj(raw.get("location")).get("is_remote") is True else None,
        "location": _location(raw.get("location")),
        "remote_created_at": ctx.dt(raw.get("creation_date")),
        "remote_updated_at": ctx.dt(raw.get("updated_date")),
        "custom_fields": {
            "org_type": raw.get("org_type"),
            "pipeline_id": raw.get("pipeline_id"),
            "tags": raw.get("tags") or [],
        },  # fmt: skip
    }
    yield ctx.record("jobs", raw["_id"], fields, {})
    for index, stage in enumerate(raw.get("_stages") or []):
        sid = text(dict_obj(stage).get("id"))
        if sid is None:
            continue
        stage_fields = {"name": text(stage.get("name")) or sid, "index": index, "status": "ACTIVE",
                        "job_id": ctx.ref("jobs", raw["_id"]), "custom_fields": {"id": sid}}  # fmt: skip
        yield ctx.record("application_stages", stage_remote_id(raw["_id"], sid), stage_fields)


def _split(name: str | None) -> tuple[str | None, str | None]:
    if not name:
        return None, None
    first, _, last = name.partition(" ")
    return first, last.strip() or None


def tags_of(raw: Raw) -> list[str]:
    return [t for t in (text(x) for x in raw.get("tags") or []) if t]


def outcome(stage: Raw, ctx: MapContext | None = None) -> str:
    """The outcome of an application in this stage (by stage id; the integration's map first)."""
    sid, names = text(stage.get("id")), (text(stage.get("name")), text(stage.get("id")))
    return ctx.outcome(OUTCOMES, sid, names=names) if ctx is not None else OUTCOMES.decide(sid, names=names)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    """One Breezy candidate (per position): the unified candidate and its application."""
    first, last = _split(text(raw.get("name")))
    email, phone = text(raw.get("email_address")), text(raw.get("phone_number"))
    source, stage = dict_obj(raw.get("source")), dict_obj(raw.get("stage"))
    position = dict_obj(raw.get("_position"))
    fields = {
        "first_name": first,
        "last_name": last,
        "title": text(raw.get("headline")),
        "source": text(source.get("name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "remote_created_at": ctx.dt(raw.get("creation_date")),
        "remote_updated_at": ctx.dt(raw.get("updated_date")),
        "custom_fields": {
            "origin": raw.get("origin"),
            "meta_id": raw.get("meta_id"),
            "profile_photo_url": raw.get("profile_photo_url"),
        },  # fmt: skip
    }
    yield ctx.record("candidates", raw["_id"], fields, {"tag_ids": [ctx.ref("tags", t) for t in tags_of(raw)]})
    sid = text(stage.get("id"))
    result = outcome(stage, ctx)
    app_fields = {
        "outcome": result,
        # Breezy's disqualification carries no reason in the documented payloads [gap]
        "rejection_reason_name": None,
        "current_stage_id": ctx.ref("application_stages", stage_remote_id(position.get("_id"), sid)) if sid else None,
        "job_id": ctx.ref("jobs", text(position.get("_id"))),
        "candidate_id": ctx.ref("candidates", raw["_id"]),
        "remote_created_at": ctx.dt(raw.get("creation_date")),
        "remote_updated_at": ctx.dt(raw.get("updated_date")),
        "custom_fields": {
            "origin": raw.get("origin"),
            "source_type": source.get("type"),
            "stage_type": _name(stage.get("type")),
            "overall_score": raw.get("overall_score"),
        },  # fmt: skip
    }
    yield ctx.record("applications", application_remote_id(raw), app_fields)
    resume = dict_obj(raw.get("resume"))
    name = text(resume.get("file_name"))
    if name and (resume.get("url") or resume.get("pdf_url")):
        file_fields = {"candidate_id": ctx.ref("candidates", raw["_id"]), "type": "CV", "file_name": name,
                       "application_id": ctx.ref("applications", application_remote_id(raw)),
                       "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream"}  # fmt: skip
        yield ctx.record("attachments", resume_remote_id(position.get("_id"), raw["_id"]), file_fields)


def resume_remote_id(position_id: object, candidate_id: object) -> str:
    return f"{position_id}/candidate/{candidate_id}/resume"


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    name = text(raw.get("name"))
    if name:
        yield ctx.record("tags", name, {"name": name})


def map_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": raw.get("name")})
