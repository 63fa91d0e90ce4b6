"""The three customer-built GetConnectors as streams, plus AFAS's fixed action list as stages/reasons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.afas import mappers as m
from atsbridge.connectors.afas.api import ID_FIELD, MODIFIED, connector_path, filter_time, filters

Pages = AsyncIterator[list[dict[str, Any]]]
WHY = "the GetConnector's name is the customer's (integration config), so the path is known only at run time"


def get_connector(role: str) -> Any:
    """Every row of the customer's GetConnector for ``role``, ordered by its id (``orderbyfieldids`` keeps
    ``skip``/``take`` stable [doc]); a delta adds ``ModifiedAt >= since`` in Amsterdam wall time."""

    async def fetch(source: kit.KitSource, since: datetime | None) -> Pages:
        params: dict[str, Any] = {"orderbyfieldids": ID_FIELD[role]}
        if since is not None:
            params.update(filters((MODIFIED, filter_time(since), 2)))
        async for page in source.listing(role, connector_path(source.config, role), params):
            yield page

    return fetch


STREAMS = (
    kit.stream("stages", "application_stages", m.map_stage, kit.Static(m.stage_rows)),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_reason, kit.Static(m.reason_rows)),
    kit.stream("vacancies", "jobs", m.map_vacancy, kit.Custom(get_connector("vacancies"), reason=WHY,
                                                             incremental=True)),
    kit.stream("applications", "applications", m.map_application,
               kit.Custom(get_connector("applications"), reason=WHY, incremental=True)),
    kit.stream("applicants", "candidates", m.map_applicant,
               kit.Custom(get_connector("applicants"), reason=WHY, incremental=True)),
)  # fmt: skip
