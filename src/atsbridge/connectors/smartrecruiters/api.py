"""What SmartRecruiters reads and writes share: the client, paging, concurrency, and the per-record reads that
turn a candidate or a job summary into what the mappers take (details plus sub-resources)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import httpx

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient, RetryPolicy
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource
from atsbridge.connectors.smartrecruiters import mappers as m

Raw = dict[str, Any]
T = TypeVar("T")
R = TypeVar("R")

BASE_URL = "https://api.smartrecruiters.com"
#: 10 requests/s per endpoint; pacing the whole client at that stays under every endpoint's limit.
REQUESTS_PER_SECOND = 10
#: At most 8 requests in flight per credential (documented); keep well under it.
MAX_CONCURRENCY = 4
#: Recommended client timeout (the vendor says at least 128 s).
TIMEOUT = 128.0
PAGE_SIZE = 100
#: More attempts than the default: 429s for concurrency are routine here and cheap to wait out.
RETRY_ATTEMPTS = 10


@dataclass(frozen=True)
class Cursor:
    """``limit`` (1-100) and ``pageId`` from the previous body's ``nextPageId``; no ``pageId`` on page one."""

    page_size: int = PAGE_SIZE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "limit": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        token = dig(body, "nextPageId")
        if not token or not dig(body, "content"):
            return None
        return replace(request, params={**(request.params or {}), "pageId": token})


@dataclass(frozen=True)
class OffsetPages:
    """The public Posting API's older ``offset``/``limit`` paging with ``totalFound``."""

    page_size: int = PAGE_SIZE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "offset": 0, "limit": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        offset = int((request.params or {})["offset"]) + self.page_size
        if offset >= int(dig(body, "totalFound") or 0) or not dig(body, "content"):
            return None
        return replace(request, params={**(request.params or {}), "offset": offset})


async def fan_out(items: Sequence[T], work: Callable[[T], Awaitable[R]]) -> list[R]:
    """``work`` over ``items`` concurrently, results in order; the first error cancels the rest and propagates.
    The concurrency cap is per *request* (:func:`gate`), so nested fan-outs cannot starve each other."""
    tasks = [asyncio.ensure_future(work(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def gate(source: HttpSource) -> asyncio.Semaphore:
    """The per-credential cap on requests in flight, shared by every request of one source."""
    found = source.state.get("gate")
    if not isinstance(found, asyncio.Semaphore):
        found = asyncio.Semaphore(int(source.state.get("max_concurrency", MAX_CONCURRENCY)))
        source.state["gate"] = found
    return found


async def send(source: HttpSource, method: str, path: str, **kw: Any) -> httpx.Response:
    """Every request outside the sequential listings goes through here, under the concurrency cap."""
    async with gate(source):
        return await source.client.request(method, path, **kw)


async def get_json(source: HttpSource, path: str, params: dict[str, Any] | None = None) -> Any:
    response = await send(source, "GET", path, params=params)
    try:
        return response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS sent a body that is not complete JSON", retryable=True
        ) from None


async def get_or_none(source: HttpSource, path: str) -> Any:
    """A sub-resource that may be gone by now (deleted between the listing and this read): None on 404."""
    try:
        return await get_json(source, path)
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise


# ----------------------------------------------------------------------------------------- candidates
def assignments(candidate: Raw) -> list[str]:
    """Job ids the candidate is assigned to: the primary assignment plus the secondary ones."""
    found = [candidate.get("primaryAssignment")] + list(candidate.get("secondaryAssignments") or [])
    ids = [str(((a or {}).get("job") or {}).get("id")) for a in found if ((a or {}).get("job") or {}).get("id")]
    return list(dict.fromkeys(ids))


async def _application(source: HttpSource, candidate_id: str, job_id: str) -> Raw | None:
    app = await get_or_none(source, f"/candidates/{candidate_id}/jobs/{job_id}")
    return {**app, "_job_id": job_id} if isinstance(app, dict) else None


async def enrich_candidate(source: HttpSource, summary: Raw) -> Raw | None:
    """Details + one read per application + the file list (N+1 by design: the summary shows only the
    primary assignment's status, and no listing spans candidates' applications)."""
    cid = str(summary["id"])
    details = await get_or_none(source, f"/candidates/{cid}")
    if not isinstance(details, dict):
        return None
    jobs = assignments(details) or assignments(summary)
    apps = await fan_out(jobs, lambda jid: _application(source, cid, jid))
    files = await get_or_none(source, f"/candidates/{cid}/attachments")
    details["_applications"] = [a for a in apps if a is not None]
    details["_attachments"] = (files or {}).get("content") or []
    return details


async def candidates(source: HttpSource, summaries: list[Raw]) -> list[Raw]:
    found = await fan_out(summaries, lambda s: enrich_candidate(source, s))
    return [c for c in found if c is not None]


async def candidate_record(source: HttpSource, candidate_id: str) -> Raw:
    """The candidate exactly as the sync maps it (for write-through), or INPUT_INVALID when it is gone."""
    found = await enrich_candidate(source, {"id": candidate_id})
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"SmartRecruiters has no candidate {candidate_id}")
    return found


# ------------------------------------------------------------------------------------------------ jobs
async def hiring_process(source: HttpSource, process_id: Any) -> Raw | None:
    cache: dict[str, Any] = source.state.setdefault("hiring_processes", {})
    key = str(process_id)
    if process_id and key not in cache:
        cache[key] = await get_or_none(source, f"/configuration/hiring-processes/{key}")
    found = cache.get(key)
    return found if isinstance(found, dict) else None


async def enrich_job(source: HttpSource, summary: Raw) -> Raw | None:
    jid = str(summary["id"])
    details = await get_or_none(source, f"/jobs/{jid}")
    if not isinstance(details, dict):
        return None
    team = await get_or_none(source, f"/jobs/{jid}/hiring-team")
    details["_hiring_team"] = (team or {}).get("content") or []
    details["_stages"] = m.stage_rows(jid, await hiring_process(source, details.get("hiringProcessId")))
    postings: dict[str, list[Raw]] = source.state.get("postings") or {}
    details["_postings"] = postings.get(str(details.get("refNumber")), [])
    return details


# ------------------------------------------------------------------------------------------------ open
def client(info: IntegrationInfo) -> HttpClient:
    """``X-SmartToken`` auth; never raises on bad config (a wrong token surfaces as the vendor's 401)."""
    rate = float(info.config.get("requests_per_second", REQUESTS_PER_SECOND))
    pace = RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))
    return HttpClient(
        base_url=str(info.config.get("base_url", BASE_URL)),
        auth=HeaderAuth("X-SmartToken", str(info.credentials.get("token") or "")),
        headers={"Accept": "application/json"},
        rate_limit=pace,
        timeout=float(info.config.get("timeout_seconds", TIMEOUT)),
        retry=RetryPolicy(attempts=RETRY_ATTEMPTS),
    )


def open_source(info: IntegrationInfo) -> HttpSource:
    state = {"max_concurrency": min(int(info.config.get("max_concurrency", MAX_CONCURRENCY)), 8)}
    return HttpSource(client(info), state=state)
