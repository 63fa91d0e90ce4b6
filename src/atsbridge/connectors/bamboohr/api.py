"""The pieces of BambooHR's API both reads and writes use: base URL and auth, paging, JSON bodies, lookups."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import httpx

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource

Raw = dict[str, Any]
T = TypeVar("T")
R = TypeVar("R")

GATEWAY = "https://api.bamboohr.com/api/gateway.php/{domain}/v1"
ATS = "/applicant_tracking"
REQUESTS_PER_SECOND = 10
#: Application details in flight at once (the pace above still applies).
DETAIL_CONCURRENCY = 4
#: ``applicationStatus=ALL``: the default leaves out hired and inactive applications.
ALL_APPLICATIONS = {"applicationStatus": "ALL"}


@dataclass(frozen=True)
class Pager:
    """``page=N`` until the body says ``paginationComplete`` or gives no ``nextPageUrl``. The next page is
    requested by number (the ``nextPageUrl`` format is not documented), with the same filters."""

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "page": 1})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        if not isinstance(body, dict) or body.get("paginationComplete") or not body.get("nextPageUrl"):
            return None
        page = int((request.params or {})["page"])
        return replace(request, params={**(request.params or {}), "page": page + 1})


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int = DETAIL_CONCURRENCY) -> list[R]:
    """``work`` over ``items`` with at most ``limit`` in flight, results in order; the first error wins."""
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


async def get_json(source: HttpSource, path: str, params: dict[str, Any] | None = None) -> Any:
    """One GET whose body must be complete JSON (a truncated body fails the run, it never reads as empty)."""
    response = await source.client.request("GET", path, params=params)
    try:
        return response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS sent a body that is not complete JSON", retryable=True
        ) from None


# ------------------------------------------------------------------------------------------- lookups
async def users_by_employee(source: HttpSource) -> dict[str, Any]:
    """employee id -> user id (jobs name their hiring lead by employee id)."""
    if "employees" not in source.state:
        body = await get_json(source, "/meta/users")
        source.state["employees"] = {str(u.get("employeeId")): u["id"] for u in (body or {}).values()}
    table: dict[str, Any] = source.state["employees"]
    return table


async def status_codes(source: HttpSource) -> dict[str, str]:
    """status id -> code, for the outcome."""
    if "status_codes" not in source.state:
        rows = await get_json(source, f"{ATS}/statuses")
        source.state["status_codes"] = {str(r["id"]): r.get("code") for r in rows or []}
    table: dict[str, str] = source.state["status_codes"]
    return table


def error_text(response: httpx.Response) -> str:
    """A 400 carries BambooHR's message in ``x-bamboohr-error-message`` with an empty body."""
    return response.headers.get("x-bamboohr-error-message") or response.text


def base_url(config: Any) -> str:
    if config.get("base_url"):
        return str(config["base_url"])
    return GATEWAY.format(domain=str(config.get("company_domain") or "").strip())


def client(info: IntegrationInfo) -> HttpClient:
    """Never raises on bad config: a wrong domain or key surfaces as the vendor's 401/404 in the run."""
    rate = float(info.config.get("requests_per_second", REQUESTS_PER_SECOND))
    pace = RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))
    return HttpClient(
        base_url=base_url(info.config),
        auth=httpx.BasicAuth(str(info.credentials.get("api_key") or ""), "x"),
        headers={"Accept": "application/json"},
        rate_limit=pace,
        timeout=float(info.config.get("timeout_seconds", 60)),
        error_text=error_text,
    )
