"""SmartRecruiters' streams as data; candidates and jobs are escape hatches (nested per-record reads)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.smartrecruiters import api
from atsbridge.connectors.smartrecruiters import mappers as m
from atsbridge.core.timeutil import format_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]


def _params(since: datetime | None) -> dict[str, Any]:
    """``updatedAfter`` on ``/candidates`` and ``/jobs`` (a candidate moves when any application does)."""
    return {"updatedAfter": format_ts(since)} if since is not None else {}


async def _jobs(source: kit.KitSource, since: datetime | None) -> Pages:
    async for page in source.listing("jobs", "/jobs", _params(since)):
        found = await api.fan_out(page, lambda job: api.enrich_job(source, job))
        yield [job for job in found if job is not None]


async def _candidates(source: kit.KitSource, since: datetime | None) -> Pages:
    async for page in source.listing("candidates", "/candidates", _params(since)):
        yield await api.candidates(source, page)


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/user-api/v201804/users")),
    kit.stream("roles", "roles", m.map_role, kit.Static(m.role_rows)),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_rejection_reason,
               kit.Listed("/configuration/rejection-reasons", pager=kit.Single())),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job, kit.Custom(
        _jobs, reason="details, hiring team, a shared hiring-process read and postings per job", incremental=True)),
    kit.stream("candidates", ("tags", "candidates", "applications", "attachments"), m.map_candidate, kit.Custom(
        _candidates, reason="details, then one read per assignment, then files: chained per-row reads",
        incremental=True)),
)  # fmt: skip
