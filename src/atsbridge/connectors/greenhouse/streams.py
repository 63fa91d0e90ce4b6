"""Greenhouse's streams as data.

Small reference lists (tags, rejection reasons, stages, job posts) are read in full on every run: they double
as the lookup tables later streams need, and a partial table would silently blank those fields on records a
delta re-reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import Mapper
from atsbridge.connectors.greenhouse import mappers
from atsbridge.connectors.greenhouse.api import (
    POSTS,
    REASONS,
    STAGES,
    TAGS,
    Page,
    fold_post,
    fold_reason,
    fold_stage,
    fold_tag,
    with_reason,
    with_stage,
    with_tags,
)
from atsbridge.core.timeutil import format_ts, parse_ts

#: v3 ``*_ids`` filters accept at most 50 ids.
MAX_IDS = 50


def _gte(since: datetime) -> str:
    """v3 filter syntax: operator and value joined by ``|`` (``updated_at=gte|2024-01-01T00:00:00.000Z``)."""
    return f"gte|{format_ts(since)}"


UPDATED_SINCE = kit.Since("updated_at", _gte)


def _changed_since(rec: dict[str, Any], since: datetime) -> bool:
    value = rec.get("updated_at")
    return value is not None and parse_ts(str(value)) >= since


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    return (items[i : i + size] for i in range(0, len(items), size))


async def _jobs(source: kit.KitSource, since: datetime | None) -> AsyncIterator[Page]:
    """Jobs with their posts attached. The hiring team and department are read from the job itself (v1
    shape); a v3 job that only names ``department_id`` and leaves the team to ``/job_owners`` would need
    those lookups added here."""
    posts = await source.lookup(POSTS)
    listed: set[Any] = set()
    params = UPDATED_SINCE.params(since) if since is not None else {}
    async for page in source.listing("jobs", "/jobs", params):
        listed.update(job["id"] for job in page)
        yield [{**job, "_job_posts": posts.get(job["id"], [])} for job in page]
    if since is None:
        return
    touched = {p.get("job_id") for group in posts.values() for p in group if _changed_since(p, since)}
    for chunk in _chunks(sorted(touched - listed - {None}), MAX_IDS):
        async for page in source.listing("jobs", "/jobs", {"ids": ",".join(map(str, chunk))}):
            yield [{**job, "_job_posts": posts.get(job["id"], [])} for job in page]


def _delta(name: str, path: str, mapper: Mapper, *steps: kit.Step, by_id: bool = False) -> kit.KitStream:
    """A listing filtered by ``updated_at``; ``by_id``: one record is read by the ``ids`` filter (v3 has no
    single-record GET; an empty answer means the record is gone)."""
    one = kit.ById(path, param="ids") if by_id else None
    return kit.stream(name, name, mapper, kit.Listed(path, since=UPDATED_SINCE), steps=steps, by_id=one)


STREAMS = (
    _delta("users", "/users", mappers.user),
    # Greenhouse has no roles listing: the catalog is fixed (see ``mappers.ROLE_CATALOG``)
    kit.stream("roles", "roles", mappers.role, kit.Static(mappers.role_catalog)),
    kit.stream("tags", "tags", mappers.tag, kit.Listed("/candidate_tags"),
               publishes=[kit.Publish(TAGS, fold=fold_tag)]),
    # org-specific reasons only unless ``include_defaults`` (then Greenhouse's built-in ones too)
    kit.stream("rejection_reasons", "rejection_reasons", mappers.rejection_reason,
               kit.Listed("/rejection_reasons", {"include_defaults": "true"}),
               publishes=[kit.Publish(REASONS, fold=fold_reason)]),
    # v3 lists active posts only by default; deleted posts (``active=false``) are rightly left out
    kit.lookup_only("job_posts", kit.Listed("/job_posts"), [kit.Publish(POSTS, fold=fold_post)]),
    kit.stream("jobs", "jobs", mappers.job, kit.Custom(
        _jobs, reads=(POSTS,), incremental=True,
        reason="a delta also re-reads, by id, the jobs whose posts changed (a post edit leaves its job as is)",
    )),
    kit.stream("application_stages", "application_stages", mappers.stage, kit.Listed("/job_interview_stages"),
               publishes=[kit.Publish(STAGES, fold=fold_stage)]),
    _delta("candidates", "/candidates", mappers.candidate, kit.Enrich(TAGS, with_tags), by_id=True),
    _delta("applications", "/applications", mappers.application, kit.Enrich(REASONS, with_reason), by_id=True),
    _delta("interviews", "/interviews", mappers.interview, kit.Enrich(STAGES, with_stage)),
    _delta("offers", "/offers", mappers.offer),
    _delta("notes", "/notes", mappers.note),
    _delta("scorecards", "/scorecards", mappers.scorecard),
    _delta("attachments", "/attachments", mappers.attachment),
)  # fmt: skip
