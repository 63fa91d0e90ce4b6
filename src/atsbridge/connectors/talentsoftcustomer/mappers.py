"""Customer API records -> unified records. Pure functions: no network, no database.

No payload was recorded: referentials are ``{clientCode, label, active}`` (ids are client codes [doc]);
vacancies, candidates and applications are the exports' camelCase records [gap: field names follow the
FrontOffice offer fields and the referential style]. ``_index`` is the status's position in the referential.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.talentsoft import common
from atsbridge.connectors.talentsoft.common import OUTCOMES
from atsbridge.model.record import UnifiedRecord

__all__ = ["OUTCOMES", "map_application", "map_candidate", "map_event", "map_vacancy"]

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]
_STATUS = {"OPEN": "OPEN", "PUBLISHED": "OPEN", "INPROGRESS": "OPEN", "DRAFT": "DRAFT", "CLOSED": "CLOSED",
           "FILLED": "CLOSED", "CANCELLED": "ARCHIVED", "SUSPENDED": "ARCHIVED"}  # fmt: skip


def map_event(raw: Raw, ctx: MapContext) -> Records:
    fields = {"name": raw.get("label"), "status": "INACTIVE" if raw.get("active") is False else "ACTIVE",
              "index": raw.get("_index")}  # fmt: skip
    yield ctx.record("application_stages", raw["clientCode"], fields)


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    fields = common.offer_fields(raw, ctx)
    status = str(common.code(raw.get("status")) or "").upper().replace("_", "")
    fields.update(
        status=_STATUS.get(status),
        visibility="PUBLIC" if raw.get("published") is True else "INTERNAL" if raw.get("published") is False else None,
        job_code=raw.get("reference"),
        confidential=raw.get("confidential") if isinstance(raw.get("confidential"), bool) else None,
        experience_level=common.label(raw.get("experienceLevel")),
    )
    fields["custom_fields"] = {**(fields.get("custom_fields") or {}), "status": common.label(raw.get("status"))}
    yield ctx.record("jobs", raw["reference"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    fields = common.person_fields(raw, ctx)
    fields.update(
        title=raw.get("currentPosition"),
        confidential=raw.get("confidential") if isinstance(raw.get("confidential"), bool) else None,
    )
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def map_application(raw: Raw, ctx: MapContext) -> Records:
    event = raw.get("applicationEvent")
    fields = common.application_fields(raw, event, raw.get("vacancyReference"), raw.get("candidateId"), ctx)
    yield ctx.record("applications", raw["id"], fields)
