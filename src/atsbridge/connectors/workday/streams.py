"""Workday's listings: SOAP ``Get_*`` operations paged by ``Response_Filter`` (``kit.soap.pages``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.workday import mappers as m
from atsbridge.connectors.workday.api import (
    AUTH,
    HUMAN_RESOURCES,
    RECRUITING,
    VERSION,
    B,
    response_filter,
    updated_between,
)

Pages = AsyncIterator[list[dict[str, Any]]]


def _listing(operation: str, records: str, group: ET.Element, service: str = RECRUITING,
             criteria: tuple[ET.Element, ...] = ()) -> Callable[[kit.KitSource, datetime | None], Pages]:  # fmt: skip
    async def fetch(source: kit.KitSource, since: datetime | None) -> Pages:
        now = datetime.now(UTC)

        def request(page: int) -> ET.Element:
            changed = updated_between(since, now)
            found = [c for c in (changed, *criteria) if c is not None]
            return B(f"{operation}_Request", B("Request_Criteria", *found) if found else None,
                     response_filter(page, now), group, attrs={"version": VERSION})  # fmt: skip

        async for page in kit.soap.pages(source.client, service, request, records, AUTH.token(source.info)):
            yield page

    return fetch


CANDIDATES = _listing("Get_Candidates", "Candidate",
                      B("Response_Group", B("Include_Reference", text="true"),
                        B("Exclude_All_Attachments", text="true")))  # fmt: skip
REQUISITIONS = _listing("Get_Job_Requisitions", "Job_Requisition",
                        B("Response_Group", B("Include_Reference", text="true")))
WORKERS = _listing("Get_Workers", "Worker", B("Response_Group", B("Include_Reference", text="true"),
                                              B("Include_Personal_Information", text="true"),
                                              B("Include_Employment_Information", text="true")),
                   HUMAN_RESOURCES, (B("Exclude_Inactive_Workers", text="true"),))  # fmt: skip
#: recruiting stage id -> its name, as the candidates listed in this run show them.
STAGES_SEEN: kit.Lookup[str] = kit.Lookup("stages_seen")


async def read_stages(source: kit.KitSource, since: datetime | None) -> Pages:
    yield m.stage_rows(await source.lookup(STAGES_SEEN))


WHY = "a SOAP operation paged by Response_Filter, changes by Transaction_Log_Criteria (kit.soap.pages)"

STREAMS = (
    kit.stream("workers", "users", m.map_worker, kit.Custom(WORKERS, reason=WHY, incremental=True)),
    kit.stream("stages", "application_stages", m.map_stage, kit.Custom(
        read_stages, reads=(STAGES_SEEN,), reason="the delivered stages and those the applications are in")),
    kit.stream("jobs", "jobs", m.map_requisition, kit.Custom(REQUISITIONS, reason=WHY, incremental=True)),
    kit.stream("candidates", ("candidates", "applications"), m.map_candidate,
               kit.Custom(CANDIDATES, reason=WHY, incremental=True),
               publishes=[kit.Publish(STAGES_SEEN, fold=m.seen_stages)]),
)  # fmt: skip
