"""How each Recruitee stream is read.

Recruitee has no ``updated_after`` filter (``/candidates`` only offers ``created_after``, which misses updates
of older candidates; ``/search/new/candidates`` filters on ``updated_at`` but is reported to ignore some of its
filters and return everything). The cheapest correct strategy is therefore:

1. list *all* candidates every run (``limit``/``offset`` until an empty page; 200 per request), and
2. compare each one's ``updated_at`` and each of its placements' ``updated_at`` with ``since`` (a placement
   moving stage does not touch its candidate's ``updated_at``; the recorded lists show exactly that), then
3. read only the changed candidates in detail (``GET /candidates/{id}``: the list lacks tags, profile fields
   and the CV), and their notes / files only when ``notes_count`` / ``attachments_count`` say there are any.

A full sync reads every candidate in detail (one request each). The candidate list also names the records
the notes, tags and attachments streams need (``HttpSource.state``), so those follow the same changed set.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

import httpx

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
T = TypeVar("T")
R = TypeVar("R")

#: Candidates per list page (connectors page with 200; the reported maximum is 1000).
PAGE_SIZE = 200
#: Offer scopes to list: the default scope leaves archived offers out, and placements still point at them.
OFFER_SCOPES = ("not_archived", "archived")
#: Per-candidate calls in flight at once (the rate limiter still paces them).
CONCURRENCY = 4


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


@dataclass(frozen=True)
class OffsetUntilEmpty:
    """``limit``/``offset``, advancing by what actually came back, until an empty page. Recruitee documents no
    maximum ``limit``: should it serve fewer than asked, a short page must not end the listing (a full sync
    would then take everything after it for deleted)."""

    records_path: str
    page_size: int = PAGE_SIZE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "offset": 0, "limit": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        records = dig(body, self.records_path) or []
        if not records:
            return None
        offset = int((request.params or {})["offset"]) + len(records)
        return replace(request, params={**(request.params or {}), "offset": offset})


def listing(source: HttpSource, name: str, path: str, key: str, params: dict[str, Any] | None = None) -> Pages:
    pager = OffsetUntilEmpty(key)
    return source.pages(name, PageRequest("GET", path, dict(params or {})), pager, key)


async def get(source: HttpSource, path: str) -> Raw | None:
    """One object response (``{"candidate": ..., "references": ...}``), or None when it is gone (404)."""
    return await get_params(source, path, None)


async def get_params(source: HttpSource, path: str, params: dict[str, Any] | None) -> Raw | None:
    try:
        response = await source.client.request("GET", path, params=params)
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    try:
        body = response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS sent a body that is not complete JSON",
                          retryable=True) from None  # fmt: skip
    if not isinstance(body, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: expected a JSON object")
    return body


async def read_list(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """A small full listing wrapped in its root key (``admins``, ``disqualify_reasons``)."""
    key = stream.records_path or stream.name
    body = await get(source, stream.path)
    yield list((body or {}).get(key) or [])


async def read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """No roles listing: the job roles are the two people an offer names."""
    yield m.role_rows()


async def _offers(source: HttpSource) -> list[Raw]:
    """Every offer of every scope, each with its pipeline (read one by one if the list leaves it out)."""
    if "offers" not in source.state:
        found: dict[Any, Raw] = {}
        for scope in OFFER_SCOPES:
            async for page in listing(source, f"offers {scope}", "/offers", "offers", {"scope": scope}):
                found.update({o["id"]: o for o in page if isinstance(o, dict) and "id" in o})
        missing = [oid for oid, o in found.items() if "pipeline_template" not in o]
        details = await bounded(missing, lambda oid: get(source, f"/offers/{oid}"))
        for oid, body in zip(missing, details, strict=True):
            if body and isinstance(body.get("offer"), dict):
                found[oid] = body["offer"]
        source.state["offers"] = list(found.values())
    offers: list[Raw] = source.state["offers"]
    return offers


async def read_offers(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    yield await _offers(source)


async def read_stages(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Each job offer carries its own copy of its pipeline template's stages."""
    yield [s for offer in await _offers(source) if offer.get("kind") in (None, "job") for s in m.pipeline(offer)]


def _after(value: object, since: datetime) -> bool:
    try:
        return isinstance(value, str) and parse_ts(value) >= since
    except ValueError:
        return True  # unreadable: re-read rather than miss a change


def changed(candidate: Raw, since: datetime | None) -> bool:
    """The candidate or one of its placements was updated at or after ``since``."""
    if since is None:
        return True
    stamps = [candidate.get("updated_at")] + [p.get("updated_at") for p in candidate.get("placements") or []]
    return any(_after(s, since) for s in stamps)


async def detail(source: HttpSource, candidate_id: object) -> Raw | None:
    """``GET /candidates/{id}`` with its references attached; None when deleted meanwhile."""
    body = await get(source, f"/candidates/{candidate_id}")
    if not body or not isinstance(body.get("candidate"), dict):
        return None
    return m.with_refs(body["candidate"], body)


def _remember(source: HttpSource, candidate: Raw) -> None:
    """What the notes, tags and attachments streams of this run need about a listed candidate."""
    state = source.state.setdefault("listed", {})
    state[candidate["id"]] = {
        "notes": bool(candidate.get("notes_count")),
        "files": bool(candidate.get("attachments_count")),
        "cv": candidate.get("cv_original_url") or candidate.get("cv_url"),
        "tags": m.candidate_tags(candidate),
    }


async def read_candidates(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """All candidates listed, the changed ones read in detail (see the module docstring)."""
    async for page in listing(source, stream.name, stream.path, "candidates"):
        wanted = [c for c in page if isinstance(c, dict) and changed(c, since)]
        details = await bounded(wanted, lambda c: detail(source, c["id"]))
        found = [d for d in details if d is not None]
        for candidate in found:
            _remember(source, candidate)
        if found:
            yield found


def _listed(source: HttpSource) -> dict[Any, Raw]:
    listed: dict[Any, Raw] = source.state.get("listed", {})
    return listed


async def read_tags(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """The tags of the candidates this run read (all of them on a full sync: the tags in use)."""
    names = dict.fromkeys(t for info in _listed(source).values() for t in info["tags"])
    if names:
        yield [{"name": n} for n in names]


async def children(source: HttpSource, candidate_id: object, sub: str) -> list[Raw]:
    body = await get(source, f"/candidates/{candidate_id}/{sub}")
    rows = (body or {}).get(sub) or []
    return [{**r, "_candidate": candidate_id} for r in rows if isinstance(r, dict)]


async def read_notes(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Notes of the candidates read this run that have any (``notes_count``)."""
    ids = [cid for cid, info in _listed(source).items() if info["notes"]]
    for start in range(0, len(ids), 25):
        batch = await bounded(ids[start : start + 25], lambda cid: children(source, cid, "notes"))
        page = [note for notes in batch for note in notes]
        if page:
            yield page


async def read_attachments(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Each read candidate's CV, plus its files when ``attachments_count`` says it has any."""
    listed = _listed(source)
    cvs = [{"kind": "cv", "_candidate": cid, "url": info["cv"]} for cid, info in listed.items() if info["cv"]]
    if cvs:
        yield cvs
    ids = [cid for cid, info in listed.items() if info["files"]]
    for start in range(0, len(ids), 25):
        batch = await bounded(ids[start : start + 25], lambda cid: children(source, cid, "attachments"))
        page = [row for rows in batch for row in rows]
        if page:
            yield page
