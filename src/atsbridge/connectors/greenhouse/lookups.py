"""Per-run lookup tables built from small Greenhouse listings, shared by the streams and the write actions.

Candidates carry tag *names*, v3 applications a bare ``rejection_reason_id``, scheduled interviews the
planned interview (not its stage): a pure mapper cannot resolve those, so the fetch (or a write action
that returns such a record for write-through) attaches the table under a ``_`` key first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from atsbridge.connectors.http.paginators import LinkHeader, PageRequest
from atsbridge.connectors.http.source import HttpSource

#: Cursor-only follow-ups; per_page 500 (the maximum) on the first request.
PAGER = LinkHeader(page_size=500, cursor_only=True)

Page = list[dict[str, Any]]


def list_pages(
    source: HttpSource, name: str, path: str, params: Mapping[str, Any] | None = None
) -> AsyncIterator[Page]:
    return source.pages(name, PageRequest("GET", path, dict(params) if params else None), PAGER, None)


async def list_all(source: HttpSource, path: str, params: Mapping[str, Any] | None = None) -> Page:
    """Every record of a (filtered) listing; for the small, targeted reads of write actions."""
    out: Page = []
    async for page in list_pages(source, path.strip("/"), path, params):
        out.extend(page)
    return out


@dataclass(frozen=True)
class Lookup:
    """A per-run table built from one full listing and kept in ``HttpSource.state[key]``."""

    key: str
    path: str
    params: Mapping[str, Any]
    fold: Callable[[dict[Any, Any], dict[str, Any]], None]


def _fold_tag(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    table[rec["name"]] = rec["id"]


def _fold_reason(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    table[rec["id"]] = rec


def _fold_stage(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    for planned in rec.get("interviews") or []:  # the stage's interview plan: job interview id -> stage id
        table[planned["id"]] = rec["id"]


def _fold_post(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    table.setdefault(rec.get("job_id"), []).append(rec)


TAGS = Lookup("tag_ids", "/candidate_tags", {}, _fold_tag)
#: Org-specific reasons only unless ``include_defaults`` (then Greenhouse's built-in ones too).
REASONS = Lookup("rejection_reasons", "/rejection_reasons", {"include_defaults": "true"}, _fold_reason)
STAGES = Lookup("interview_stage", "/job_interview_stages", {}, _fold_stage)
#: v3 lists active posts only by default; deleted posts (``active=false``) are rightly left out.
POSTS = Lookup("job_posts", "/job_posts", {}, _fold_post)


async def load(source: HttpSource, lookup: Lookup) -> dict[Any, Any]:
    """The table, listing it now unless its own stream already did in this run."""
    if lookup.key not in source.state:
        table: dict[Any, Any] = {}
        async for page in list_pages(source, lookup.key, lookup.path, lookup.params):
            for rec in page:
                lookup.fold(table, rec)
        source.state[lookup.key] = table
    table_: dict[Any, Any] = source.state[lookup.key]
    return table_


def forget(source: HttpSource, lookup: Lookup) -> None:
    """Drop a table a write just made stale (a tag was created)."""
    source.state.pop(lookup.key, None)


def with_tags(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    return {**rec, "_tag_ids": table}


def with_reason(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    """v3 applications carry ``rejection_reason_id`` only; v1 embeds the reason object."""
    reason = table.get(rec.get("rejection_reason_id"))
    return {**rec, "_rejection_reason": reason} if reason and not rec.get("rejection_reason") else rec


def with_stage(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    """A scheduled interview names its planned interview; the plan says which stage that belongs to."""
    planned = rec.get("interview") or {}
    stage = table.get(planned.get("id")) if isinstance(planned, dict) else None
    return {**rec, "_stage_id": stage} if stage is not None else rec
