"""SmartRecruiters' Customer API, declared once, and the per-record reads shared by the sync and the writes
(a candidate or job summary turned into what the mappers take: details plus sub-resources)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient, RetryPolicy
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.smartrecruiters import mappers as m

Raw = dict[str, Any]
T = TypeVar("T")
R = TypeVar("R")

BASE_URL = "https://api.smartrecruiters.com"
#: At most 8 requests in flight per credential (documented); keep well under it.
MAX_CONCURRENCY = 4
PAGE_SIZE = 100
#: More attempts than the default: 429s for concurrency are routine here and cheap to wait out.
RETRY = RetryPolicy(attempts=10)


@dataclass(frozen=True)
class Cursor:
    """``limit`` (1-100) and ``pageId`` from the previous body's ``nextPageId``; no ``pageId`` on page one.
    Unlike :class:`kit.BodyToken` it also stops on an empty page (the vendor may still send a token)."""

    page_size: int = PAGE_SIZE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "limit": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        token = dig(body, "nextPageId")
        if not token or not dig(body, "content"):
            return None
        return replace(request, params={**(request.params or {}), "pageId": token})


@dataclass(frozen=True)
class _Api(kit.VendorApi):
    """The kit's API with SmartRecruiters' longer retry budget (the kit has no retry field)."""

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        made = super().client(info, transport)
        made.retry = RETRY
        return made


API = _Api(
    base_url=BASE_URL,
    auth=kit.HeaderKey("X-SmartToken", kit.Secret("token", "API token",
                                                  help="Settings > Admin > Apps and integrations > API.")),
    pager=Cursor(),
    records_path="content",
    headers=(("Accept", "application/json"),),
    # 10 requests/s per endpoint: pacing the whole client at that stays under every endpoint's limit.
    rate=kit.RatePolicy(10, 1.0, concurrency=MAX_CONCURRENCY),
    timeout_seconds=128.0,  # the vendor recommends at least 128 s
    passthrough="default",
)  # fmt: skip

_GATE: kit.Memo[asyncio.Semaphore] = kit.Memo("gate")
_PROCESSES: kit.Memo[dict[str, Any]] = kit.Memo("hiring_processes")
POSTINGS: kit.Memo[dict[str, list[Raw]]] = kit.Memo("postings")


async def fan_out(items: Sequence[T], work: Callable[[T], Awaitable[R]]) -> list[R]:
    """``work`` over ``items`` concurrently, results in order. The cap is per *request* (:func:`send`), so
    nested fan-outs (candidates, then their applications) cannot starve each other."""
    return await kit.bounded(items, work, len(items))


async def gate(source: kit.KitSource) -> asyncio.Semaphore:
    """The per-credential cap on requests in flight (``config.max_concurrency``, default 4, at most 8;
    ``GET /candidates`` allows only one, and is listed one page at a time), shared by one source."""

    async def make() -> asyncio.Semaphore:
        return asyncio.Semaphore(min(int(source.config.get("max_concurrency", MAX_CONCURRENCY)), 8))

    return await source.memo(_GATE, make)


async def send(source: kit.KitSource, method: str, path: str, **kw: Any) -> httpx.Response:
    """Every request outside the sequential listings goes through here, under :func:`gate`."""
    async with await gate(source):
        return await source.client.request(method, path, **kw)


async def get_json(source: kit.KitSource, path: str, params: dict[str, Any] | None = None) -> Any:
    response = await send(source, "GET", path, params=params)
    try:
        return response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS sent a body that is not complete JSON", retryable=True
        ) from None


async def get_or_none(source: kit.KitSource, path: str) -> Any:
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


async def _application(source: kit.KitSource, candidate_id: str, job_id: str) -> Raw | None:
    app = await get_or_none(source, f"/candidates/{candidate_id}/jobs/{job_id}")
    return {**app, "_job_id": job_id} if isinstance(app, dict) else None


async def enrich_candidate(source: kit.KitSource, summary: Raw) -> Raw | None:
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


async def candidates(source: kit.KitSource, summaries: list[Raw]) -> list[Raw]:
    found = await fan_out(summaries, lambda s: enrich_candidate(source, s))
    return [c for c in found if c is not None]


async def candidate_record(source: kit.KitSource, candidate_id: str) -> Raw:
    """The candidate exactly as the sync maps it (for write-through), or INPUT_INVALID when it is gone."""
    found = await enrich_candidate(source, {"id": candidate_id})
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"SmartRecruiters has no candidate {candidate_id}")
    return found


# ------------------------------------------------------------------------------------------------ jobs
async def _empty() -> dict[str, Any]:
    return {}


async def hiring_process(source: kit.KitSource, process_id: Any) -> Raw | None:
    """Hiring processes are shared by many jobs: each read once per source."""
    cache = await source.memo(_PROCESSES, _empty)
    key = str(process_id)
    if process_id and key not in cache:
        cache[key] = await get_or_none(source, f"/configuration/hiring-processes/{key}")
    found = cache.get(key)
    return found if isinstance(found, dict) else None


async def postings(source: kit.KitSource) -> dict[str, list[Raw]]:
    """Public postings by ``refNumber`` (every language version of a job's ad), when the company is known."""

    async def load() -> dict[str, list[Raw]]:
        found: dict[str, list[Raw]] = {}
        company = source.config.get("company_identifier")
        if company:
            path = f"/v1/companies/{company}/postings"
            # the public Posting API's older ``offset``/``limit`` paging
            async for page in source.listing("postings", path, pager=kit.Offset(records_path="content")):
                for posting in page:
                    found.setdefault(str(posting.get("refNumber")), []).append(posting)
        return found

    return await source.memo(POSTINGS, load)


async def enrich_job(source: kit.KitSource, summary: Raw) -> Raw | None:
    jid = str(summary["id"])
    details = await get_or_none(source, f"/jobs/{jid}")
    if not isinstance(details, dict):
        return None
    team = await get_or_none(source, f"/jobs/{jid}/hiring-team")
    details["_hiring_team"] = (team or {}).get("content") or []
    details["_stages"] = m.stage_rows(jid, await hiring_process(source, details.get("hiringProcessId")))
    details["_postings"] = (await postings(source)).get(str(details.get("refNumber")), [])
    return details
