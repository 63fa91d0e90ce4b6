"""Welcome to the Jungle streams.

1. ``jobs``: ``GET /jobs?organization_reference=`` for each configured organization, every status, in full on
   every run (a delta must know every job: candidates are listed per job), each with its stages from
   ``GET /jobs/:reference?stages=true`` and its office and department (``/offices``, ``/departments``, also
   per organization, read once per run); publishes ``JOBS``.
2. ``candidates`` (candidates and applications): ``GET /candidates?job_reference=`` for every job (the filter
   is required), ``stage=true&tags=true``; a delta adds ``updated_after`` (a **date**, so the day before the
   last run's start is sent: re-read rows are unchanged and rewrite nothing). Publishes the tags in use.
3. ``tags`` (the distinct names in use) and ``rejection_reasons`` (the one ``refused`` stage).

No deletion feed: deletions are found by the full sync's listing (jobs are never deleted, only archived).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.welcometothejungle import mappers as m
from atsbridge.connectors.welcometothejungle.api import DEPARTMENTS, JOBS, OFFICES, TAGS, organizations

Pages = AsyncIterator[list[dict[str, Any]]]
Fetch = Callable[[kit.KitSource, datetime | None], Pages]


def updated_after(since: datetime) -> str:
    """WTTJ filters by date only (``YYYY-MM-DD``): one day of overlap covers any reading of "after"."""
    return (since - timedelta(days=1)).date().isoformat()


def per_organization(path: str, key: str) -> Fetch:
    """``GET path?organization_reference=`` for each configured organization (rows without ``key`` dropped)."""

    async def fetch(source: kit.KitSource, since: datetime | None) -> Pages:
        for org in organizations(source.config):
            async for page in source.listing(path.strip("/"), path, {"organization_reference": org}):
                yield [row for row in page if isinstance(row, dict) and row.get(key) is not None]

    return fetch


def _id(field: str) -> Any:
    return lambda job: job.get(field)


async def read_candidates(source: kit.KitSource, since: datetime | None) -> Pages:
    params = {"stage": "true", "tags": "true"}
    if since is not None:
        params["updated_after"] = updated_after(since)
    for ref in list(await source.lookup(JOBS)):
        async for page in source.listing("candidates", "/candidates", {**params, "job_reference": ref}):
            rows = [c for c in page if isinstance(c, dict) and c.get("reference")]
            for row in rows:  # the job is the one listed, whatever the row says
                row.setdefault("job_reference", ref)
            if rows:
                yield rows


async def read_tags(source: kit.KitSource, since: datetime | None) -> Pages:
    names = sorted(await source.lookup(TAGS, since))
    if names:
        yield [{"name": name} for name in names]


def _job_ref(job: dict[str, Any]) -> dict[str, Any]:
    return {"reference": job["reference"]}


def _add_tags(table: dict[Any, Any], row: dict[str, Any]) -> None:
    for name in m.tags_of(row):
        table[name] = name


_PER_ORG = "listed per configured organization_reference"
STREAMS = (
    kit.lookup_only("offices", kit.Custom(per_organization("/offices", "id"), reason=_PER_ORG),
                    [kit.Publish(OFFICES, kit.row)]),
    kit.lookup_only("departments", kit.Custom(per_organization("/departments", "id"), reason=_PER_ORG),
                    [kit.Publish(DEPARTMENTS, kit.row)]),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job,
               kit.Custom(per_organization("/jobs", "reference"), reason=_PER_ORG),
               steps=[kit.Detail("/jobs/{reference}?stages=true", into="_detail"),
                      kit.Attach(OFFICES, _id("office_id"), into="_office"),
                      kit.Attach(DEPARTMENTS, _id("department_id"), into="_department")],
               publishes=[kit.Publish(JOBS, _job_ref, key=lambda j: j["reference"])]),
    kit.stream("candidates", ("candidates", "applications", "attachments"), m.map_candidate,
               kit.Custom(read_candidates, reads=(JOBS,), incremental=True,
                          reason="candidates are listed per job (job_reference is required), updated_after by date"),
               publishes=[kit.Publish(TAGS, fold=_add_tags)]),
    kit.stream("tags", "tags", m.map_tag, kit.Custom(read_tags, reads=(TAGS,), incremental=True,
                                                     reason="tags have no listing: the distinct names in use")),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_reason, kit.Static(lambda: [dict(m.REFUSED)])),
)  # fmt: skip
