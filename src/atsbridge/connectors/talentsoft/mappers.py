"""FrontOffice records -> unified records. Pure functions: no network, no database.

No Talentsoft payload was ever recorded: the shapes are the fields named by the docs and one client script
[conn] (``offersummaries`` -> ``data[].reference``; ``getoffer`` -> ``title``, ``offerUrl``,
``organisation{name}``, ``customFields{offer{...}}``), the rest [gap]. The offer detail is attached under
``_offer`` (``None`` when the offer vanished between the summary and the detail: the summary is mapped alone).

An application row embeds its ``applicant``; the applicant is the candidate (the FrontOffice reuses an
applicant by mail across offers). Its ``status`` is the customer's referential value ``{clientCode, label}``:
it is the current stage (by client code) and, through ``common.OUTCOMES`` and the status map, the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj
from atsbridge.connectors.talentsoft import common
from atsbridge.connectors.talentsoft.common import OUTCOMES
from atsbridge.model.record import UnifiedRecord

__all__ = ["OUTCOMES", "map_application", "map_offer", "map_status"]

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    """The FrontOffice lists published offers only: each is OPEN and PUBLIC."""
    full = {**raw, **obj(raw.get("_offer"))}
    fields = common.offer_fields(full, ctx)
    fields.update(status="OPEN", visibility="PUBLIC", job_code=full.get("reference"),
                  opened_at=ctx.dt(full.get("startPublicationDate")))  # fmt: skip
    yield ctx.record("jobs", full["reference"], fields)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    applicant = obj(raw.get("applicant"))
    if applicant.get("id") is not None:
        yield ctx.record("candidates", applicant["id"], common.person_fields(applicant, ctx), {"tag_ids": []})
    fields = common.application_fields(raw, raw.get("status"), raw.get("offerReference"), applicant.get("id"), ctx)
    yield ctx.record("applications", raw["id"], fields)


def map_status(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("application_stages", raw["clientCode"], {"name": raw.get("label"), "status": "ACTIVE"})
