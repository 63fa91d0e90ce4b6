"""Lever plumbing shared by reads and writes: the client, the source, paged listings, archive reasons.

Kept apart from the connector declaration so the write actions can use it without importing the package
that wires them in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import BodyToken, PageRequest
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource
from atsbridge.connectors.lever import mappers as m

log = logging.getLogger("atsbridge.connectors.lever")

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]

BASE_URL = "https://api.lever.co/v1"
#: ``{"data": [...], "hasNext": true, "next": "<opaque>"}``; ``limit`` is 1-100 and the last page has no ``next``.
PAGER = BodyToken(token_path="next", more_path="hasNext", param="offset", size_param="limit", page_size=100)
#: Token bucket of ~10 requests/s per key (burst 20): pace below it client-side; a 429 still backs off.
REQUESTS_PER_SECOND = 10
#: Seconds before a request counts as timed out (``config["timeout_seconds"]`` overrides it).
TIMEOUT_SECONDS = 30.0
#: Quirk: Lever can reject its own ``next`` token ("Invalid offset token"); restart the listing this often.
OFFSET_RESTARTS = 2


class LeverSource(HttpSource):
    """An :class:`HttpSource` that also knows the integration's non-secret config (writes need
    ``perform_as``)."""

    def __init__(self, client: HttpClient, config: Mapping[str, Any], **kwargs: Any):
        super().__init__(client, **kwargs)
        self.config: dict[str, Any] = dict(config)


def make_client(info: IntegrationInfo) -> HttpClient:
    """Basic auth: the API key is the user name, the password is blank. ``requests_per_second`` in the
    (non-secret) config lowers or raises the pace for accounts with a different budget; ``timeout_seconds``
    bounds every request (a write that times out is resumed by the next try under its Idempotency-Key)."""
    api_key = str(info.credentials.get("api_key") or "")
    rate = float(info.config.get("requests_per_second", REQUESTS_PER_SECOND))
    pace = RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))
    base_url = str(info.config.get("base_url", BASE_URL))
    timeout = float(info.config.get("timeout_seconds", TIMEOUT_SECONDS))
    return HttpClient(base_url=base_url, auth=httpx.BasicAuth(api_key, ""), rate_limit=pace, timeout=timeout)


def _invalid_offset(exc: RemoteError) -> bool:
    return exc.status == 400 and "invalid offset" in exc.message.lower()


async def listing(source: HttpSource, name: str, path: str, params: dict[str, Any] | None = None) -> Pages:
    """All pages of one Lever list. A rejected offset token restarts the listing from page 1 (re-reading
    pages is harmless: unchanged records are not rewritten)."""
    for attempt in range(OFFSET_RESTARTS + 1):
        try:
            async for page in source.pages(name, PageRequest("GET", path, dict(params or {})), PAGER, "data"):
                yield page
            return
        except RemoteError as exc:
            if not _invalid_offset(exc) or attempt == OFFSET_RESTARTS:
                raise
            log.warning("%s: Lever rejected its offset token; restarting the listing", name)


async def all_records(source: HttpSource, name: str, path: str, params: dict[str, Any] | None = None) -> list[Raw]:
    return [raw async for page in listing(source, name, path, params) for raw in page]


async def archive_reasons(source: HttpSource) -> dict[str, Raw]:
    """Every archive reason by id (hired ones too), fetched once per source: the outcome needs its type."""
    if "archive_reasons" not in source.state:
        rows = await all_records(source, "archive_reasons", "/archive_reasons")
        source.state["archive_reasons"] = {r["id"]: r for r in rows if r.get("id")}
    reasons: dict[str, Raw] = source.state["archive_reasons"]
    return reasons


def opportunity_context(raw: Raw) -> Raw:
    """What sub-resource mappers need to know about their opportunity (``_opportunity``)."""
    apps = [{"id": a.get("id"), "posting": a.get("posting")} for a in m.expanded_applications(raw)]
    return {"id": raw["id"], "applications": apps}
