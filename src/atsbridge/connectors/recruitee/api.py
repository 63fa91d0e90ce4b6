"""Recruitee's API, declared once (Bearer token, company-scoped base URL, offset paging until an empty page,
pace), the lookups its streams share, and the few GET helpers reads, writes and downloads all use."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.recruitee.mappers import with_refs

Raw = dict[str, Any]

HOST = "https://api.recruitee.com"
#: No public rate limit (about 100 requests/min reported for trial companies).
REQUESTS_PER_MINUTE = 100
#: Candidates per list page (connectors page with 200; the reported maximum is 1000).
PAGE_SIZE = 200


@dataclass(frozen=True)
class OffsetUntilEmpty:
    """``limit``/``offset``, advancing by what actually came back, until an empty page. Recruitee documents no
    maximum ``limit``: should it serve fewer than asked, a short page must not end the listing (a full sync
    would then take everything after it for deleted). Unlike ``kit.Offset``, which stops on a short page."""

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


class CompanyApi(kit.VendorApi):
    """The company is part of every path (``/c/{company_id}``): ``config.base_url`` replaces the host only,
    and ``config.requests_per_minute`` (the unit Recruitee is discussed in) still sets the pace."""

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        host = str(info.config.get("base_url") or HOST).rstrip("/")
        config: dict[str, Any] = {**info.config, "base_url": f"{host}/c/{info.config.get('company_id') or ''}"}
        per_minute = info.config.get("requests_per_minute")
        if per_minute is not None and info.config.get("requests_per_second") is None:
            config["requests_per_second"] = max(float(per_minute), 1.0) / 60
        return super().client(replace(info, config=config), transport)


API = CompanyApi(
    base_url=HOST,
    auth=kit.Bearer(kit.Secret("token", "Personal API token")),
    headers=(("Accept", "application/json"),),
    rate=kit.RatePolicy(REQUESTS_PER_MINUTE, 60.0, concurrency=4),
    timeout_seconds=30.0,
    passthrough="v1",
)

COMPANY_FIELD = FormField(
    "company_id", "Company ID", target="config", placeholder="89564",
    help="The numeric id or subdomain shown in Settings > Apps and plugins > Personal API tokens.",
)  # fmt: skip

#: Every offer (all scopes) with its pipeline, by id: jobs and their stages.
OFFERS: kit.Lookup[Raw] = kit.Lookup("offers")
#: The candidates read (in detail) this run: what the tags and attachments streams need about each.
CANDIDATES: kit.Lookup[Raw] = kit.Lookup("candidates")
#: The candidates read this run that have notes (``notes_count``): the notes fan-out parents.
NOTED: kit.Lookup[object] = kit.Lookup("noted")


async def get(source: kit.KitSource, path: str, params: dict[str, Any] | None = None) -> Raw | None:
    """One object response (``{"candidate": ..., "references": ...}``), or None when it is gone (404)."""
    try:
        body = await source.get_json(path, params)
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    if not isinstance(body, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: expected a JSON object")
    return body


async def detail(source: kit.KitSource, candidate_id: object) -> Raw | None:
    """``GET /candidates/{id}`` with its references attached; None when deleted meanwhile."""
    return one_candidate(await get(source, f"/candidates/{candidate_id}"))


def one_candidate(body: Any) -> Raw | None:
    """A ``GET /candidates/{id}`` answer as the mappers read it (references attached); None without one."""
    if not isinstance(body, dict) or not isinstance(body.get("candidate"), dict):
        return None
    return with_refs(body["candidate"], body)


async def children(source: kit.KitSource, candidate_id: object, sub: str) -> list[Raw]:
    """A candidate's notes or files, each tagged with its candidate (``_candidate``)."""
    rows = ((await get(source, f"/candidates/{candidate_id}/{sub}")) or {}).get(sub) or []
    return [{**r, "_candidate": candidate_id} for r in rows if isinstance(r, dict)]
