"""Cornerstone OnDemand's streams as data. There is no deletion feed [conn]: deletions show on full syncs."""

from __future__ import annotations

from datetime import datetime, timedelta

from atsbridge.connectors import kit
from atsbridge.connectors.cornerstoneondemand import mappers as m
from atsbridge.connectors.cornerstoneondemand.api import APPLICANTS, REQUISITIONS, statuses
from atsbridge.connectors.kit.reads import Pages

#: UTC ``yyyy-mm-ddThh:mm:ss`` [conn]. It ignores posting (career site) changes: those wait for a full sync.
MODIFIED_SINCE = kit.Since("lastModifiedSince", kit.template("%Y-%m-%dT%H:%M:%S"))


async def status_rows(source: kit.KitSource, since: datetime | None) -> Pages:
    """The configured applicant statuses as rows (no request): the tenant's stage list."""
    yield [{"Name": name, "_index": i} for i, name in enumerate(statuses(source.config))]


async def applicants(source: kit.KitSource, since: datetime | None) -> Pages:
    """One listing per configured status (``CurrentStatus`` is required [conn]). A delta adds ``StatusDate``,
    a *local* date [conn]: one day earlier than ``since`` covers any portal time zone, and the rows re-read
    that way hash the same and change nothing."""
    extra = {"StatusDate": (since - timedelta(days=1)).strftime("%Y-%m-%d")} if since is not None else {}
    for status in statuses(source.config):
        async for page in source.listing("applicants", APPLICANTS, {"CurrentStatus": status, **extra}):
            yield page


STREAMS = (
    kit.stream("statuses", ("application_stages", "rejection_reasons"), m.map_status,
               kit.Custom(status_rows, reason="the stage list is the tenant's configured applicant statuses")),
    kit.stream("requisitions", "jobs", m.map_requisition, kit.Listed(REQUISITIONS, since=MODIFIED_SINCE)),
    kit.stream("applicants", ("candidates", "applications"), m.map_applicant,
               kit.Custom(applicants, reason="CurrentStatus is required: one listing per configured status",
                          incremental=True)),
)  # fmt: skip
