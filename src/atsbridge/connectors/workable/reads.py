"""How the Workable streams are read: listings, per-record enrichment and per-candidate fan-out.

Everything a later stream or a mapper needs is kept in ``HttpSource.state`` for the run:

* ``stage_slugs``: shortcode -> {stage name: slug}. Filled by the jobs stream; a delta that lists a candidate
  of a job it did not re-read fetches that job's stages on demand (one request per job).
* ``listed``: candidate id -> list record, for the fan-out streams (activities, offers) and the derived
  tags and resume listings. A delta lists only changed candidates, so only their children are fetched.
* ``system_roles`` / ``job_roles``: roles seen on members and hiring teams, for the roles listing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import NextUrl, PageRequest, Single
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.workable import mappers as m

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
T = TypeVar("T")
R = TypeVar("R")

#: ``{"<items>": [...], "paging": {"next": "<full URL>"}}``; no ``paging`` key on the last page; limit <= 100.
PAGER = NextUrl(path="paging.next", size_param="limit", page_size=100)
#: Enrichment calls in flight at once (the client's rate limiter still paces them).
CONCURRENCY = 4
#: Candidates whose activities or offers make up one page for the engine (one commit).
FAN_OUT_BATCH = 25
#: Candidates whose offer is worth asking for: they reached the offer stage at some point.
OFFER_KINDS = frozenset({"offer", "hired"})


def updated_after(since: datetime) -> dict[str, str]:
    """``updated_after`` takes ISO 8601 (Workable's own example is the basic form ``20150708T115616Z``)."""
    return {"updated_after": since.strftime("%Y%m%dT%H%M%SZ")}


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int = CONCURRENCY) -> list[R]:
    """``work`` over ``items`` with at most ``limit`` in flight, results in order; the first error cancels
    the rest and propagates as itself."""
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with gate:
            return await work(item)

    tasks = [asyncio.ensure_future(one(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def listing(source: HttpSource, name: str, path: str, key: str | None, params: Raw | None = None) -> Pages:
    return source.pages(name, PageRequest("GET", path, dict(params or {}) or None), PAGER, key)


async def get_json(source: HttpSource, path: str, *, missing_ok: bool = True) -> Any:
    """One GET; a 404 (the record went away meanwhile) is None when ``missing_ok``."""
    try:
        response = await source.client.request("GET", path)
    except RemoteError as exc:
        if missing_ok and exc.status == 404:
            return None
        raise
    try:
        return response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS sent a body that is not complete JSON", retryable=True
        ) from None


async def get_all(source: HttpSource, name: str, path: str, key: str) -> list[Raw]:
    """Every page of a sub-resource list; a 404 parent has none."""
    try:
        return [r async for page in listing(source, name, path, key) for r in page]
    except RemoteError as exc:
        if exc.status == 404:
            return []
        raise


# ------------------------------------------------------------------------------------------------ simple lists


async def read_members(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    seen: set[str] = source.state.setdefault("system_roles", set())
    async for page in listing(source, stream.name, "/members", "members"):
        for member in page:
            seen.update(m.member_roles(member))
        yield page


async def read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Workable has no roles listing: its catalog plus whatever this run's members and teams carry."""
    yield m.role_rows(source.state.get("system_roles", set()), source.state.get("job_roles", set()))


async def read_reasons(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """A bare JSON array (no envelope, no paging)."""
    async for page in source.pages(stream.name, PageRequest("GET", "/disqualification_reasons"), Single(), None):
        yield page


# -------------------------------------------------------------------------------------------------------- jobs


async def job_stages(source: HttpSource, shortcode: str) -> list[Raw]:
    body = await get_json(source, f"/jobs/{shortcode}/stages")
    stages = [s for s in (body or {}).get("stages") or [] if isinstance(s, dict)]
    source.state.setdefault("stage_slugs", {})[shortcode] = {s.get("name"): s.get("slug") for s in stages}
    return stages


async def stage_slugs(source: HttpSource, shortcode: str) -> dict[str, str]:
    """The job's stage name -> slug table, fetched once per run per job."""
    tables: dict[str, dict[str, str]] = source.state.setdefault("stage_slugs", {})
    if shortcode not in tables:
        await job_stages(source, shortcode)
    return tables.get(shortcode, {})


async def _enrich_job(source: HttpSource, job: Raw) -> Raw:
    """Detail (description, employment type...), screening questions, hiring team and pipeline: four calls."""
    shortcode = job["shortcode"]
    detail = await get_json(source, f"/jobs/{shortcode}") or {}
    questions = await get_json(source, f"/jobs/{shortcode}/questions") or {}
    members = await get_all(source, "job members", f"/jobs/{shortcode}/members", "members")
    stages = await job_stages(source, shortcode)
    source.state.setdefault("job_roles", set()).update(
        r["collaboration_role"] for r in members if r.get("collaboration_role")
    )
    return {**job, **detail, "_questions": questions.get("questions") or [], "_members": members, "_stages": stages}


async def read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    params = updated_after(since) if since is not None else {}
    async for page in listing(source, stream.name, "/jobs", "jobs", params):
        yield await bounded(page, lambda job: _enrich_job(source, job))


# -------------------------------------------------------------------------------------------------- candidates


async def _enrich_candidate(source: HttpSource, listed: Raw) -> Raw:
    """The list record merged with its detail (tags, answers, ``disqualified_at``, social profiles); a
    candidate deleted between the two calls keeps its list record."""
    body = await get_json(source, f"/candidates/{listed['id']}") or {}
    detail = body.get("candidate") or {}
    shortcode = (listed.get("job") or {}).get("shortcode")
    slugs = await stage_slugs(source, shortcode) if shortcode else {}
    return {**listed, **detail, "_stage_slugs": slugs}


async def read_candidates(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    listed: dict[str, Raw] = source.state.setdefault("listed", {})
    params = updated_after(since) if since is not None else {}
    async for page in listing(source, stream.name, "/candidates", "candidates", params):
        for shortcode in sorted({(c.get("job") or {}).get("shortcode") or "" for c in page} - {""}):
            await stage_slugs(source, shortcode)  # once per job, before the concurrent enrichment
        enriched = await bounded(page, lambda c: _enrich_candidate(source, c))
        for raw in enriched:
            listed[raw["id"]] = raw
        yield enriched


async def read_tags(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """No tag listing exists: the tags are those on the candidates listed in this run (all of them in a
    full run, so a tag no candidate carries any more is then deleted)."""
    listed: dict[str, Raw] = source.state.get("listed", {})
    names = sorted({t for raw in listed.values() for t in raw.get("tags") or [] if isinstance(t, str) and t.strip()})
    if names:
        yield [{"name": n} for n in names]


async def read_resumes(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Resumes are described on the candidate list records (``resume_metadata``): no extra request."""
    listed: dict[str, Raw] = source.state.get("listed", {})
    rows = [{"id": cid, "resume_metadata": raw.get("resume_metadata")} for cid, raw in listed.items()]
    for start in range(0, len(rows), 500):
        yield rows[start : start + 500]


async def _activities(source: HttpSource, candidate_id: str) -> list[Raw]:
    rows = await get_all(source, "activities", f"/candidates/{candidate_id}/activities", "activities")
    return [{**row, "_candidate_id": candidate_id} for row in rows]


async def read_activities(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Comments and ratings of the candidates listed in this run (one call each)."""
    ids = list(source.state.get("listed", {}))
    for start in range(0, len(ids), FAN_OUT_BATCH):
        found = await bounded(ids[start : start + FAN_OUT_BATCH], lambda cid: _activities(source, cid))
        page = [row for rows in found for row in rows if row.get("action") in ("comment", "rating")]
        if page:
            yield page


def _may_have_offer(raw: Raw) -> bool:
    return bool(raw.get("moved_to_offer_at")) or raw.get("stage_kind") in OFFER_KINDS


async def _offer(source: HttpSource, candidate_id: str) -> Raw | None:
    body = await get_json(source, f"/candidates/{candidate_id}/offer")
    return {**body, "_candidate_id": candidate_id} if isinstance(body, dict) else None


async def read_offers(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """The latest offer of each listed candidate that ever reached the offer stage."""
    listed: dict[str, Raw] = source.state.get("listed", {})
    ids = [cid for cid, raw in listed.items() if _may_have_offer(raw)]
    for start in range(0, len(ids), FAN_OUT_BATCH):
        found = await bounded(ids[start : start + FAN_OUT_BATCH], lambda cid: _offer(source, cid))
        page = [offer for offer in found if offer is not None]
        if page:
            yield page
