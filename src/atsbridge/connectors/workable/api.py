"""Workable's SPI v3, declared once (auth, paging, pace), and the lookups its streams and writes share."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError

Raw = dict[str, Any]

#: The account-token budget: 10 requests per 10 seconds (50 for OAuth and partner tokens).
REQUESTS_PER_10S = 10


def base_url(config: Mapping[str, Any]) -> str:
    """``config.base_url`` (a fake, a proxy), else the account's own host from ``config.subdomain``."""
    if config.get("base_url"):
        return str(config["base_url"])
    return f"https://{config.get('subdomain', '')}.workable.com/spi/v3"


@dataclass(frozen=True)
class WorkableApi(kit.VendorApi):
    """The kit's API with Workable's two per-account settings: the host is the account's subdomain, and the
    budget is ``config.requests_per_10s`` (the kit's ``requests_per_second`` still wins when set)."""

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        budget = max(1, int(info.config.get("requests_per_10s", REQUESTS_PER_10S)))
        api = dataclasses.replace(self, rate=kit.RatePolicy(budget, 10.0, self.concurrency))
        info = dataclasses.replace(info, config={**info.config, "base_url": base_url(info.config)})
        return kit.VendorApi.client(api, info, transport)


API = WorkableApi(
    base_url="https://{subdomain}.workable.com/spi/v3",
    auth=kit.Bearer(kit.Secret("token", "Access token", help="Settings > Integrations > Apps > Generate API token.")),
    # ``{"<items>": [...], "paging": {"next": "<full URL with since_id>"}}``; no ``paging`` on the last page.
    pager=kit.NextUrl(path="paging.next", size_param="limit", page_size=100),
    # every answer carries ``X-Rate-Limit-*``, which the client honours; a 429 backs off
    rate=kit.RatePolicy(REQUESTS_PER_10S, 10.0, concurrency=4),
    headers=(("Accept", "application/json"),),
    batch=25,  # candidates whose activities or offers make one engine page
    passthrough="v3",
)

#: shortcode -> {stage name: slug}: a candidate names its stage, its stage id (and moves) need the slug.
STAGE_SLUGS: kit.Lookup[dict[str, str]] = kit.Lookup("stage_slugs")
#: Roles seen on members (system roles) and on hiring teams (job roles): Workable has no roles listing.
SYSTEM_ROLES: kit.Lookup[bool] = kit.Lookup("system_roles")
JOB_ROLES: kit.Lookup[bool] = kit.Lookup("job_roles")
#: Candidates listed in this run (id -> resume metadata): fan-out parents. OFFERED: those that reached an offer.
LISTED: kit.Lookup[Raw] = kit.Lookup("listed")
OFFERED: kit.Lookup[Raw] = kit.Lookup("offered")
#: Tag names carried by the candidates listed in this run (tags have no listing).
TAGS: kit.Lookup[str] = kit.Lookup("tags")


def slug_table(stages: object) -> dict[str, str]:
    rows = stages if isinstance(stages, list) else []
    return {str(s.get("name")): str(s.get("slug")) for s in rows if isinstance(s, dict) and s.get("slug")}


async def stage_slugs(source: kit.KitSource, shortcode: str) -> dict[str, str]:
    """The job's stage name -> slug table, fetched once per run per job (a delta lists candidates of jobs it
    did not re-read)."""
    table = source.table(STAGE_SLUGS)
    if shortcode not in table:
        try:
            body = await source.get_json(f"/jobs/{shortcode}/stages")
        except RemoteError as exc:
            if exc.status != 404:
                raise
            body = {}
        table[shortcode] = slug_table((body or {}).get("stages"))
    return table[shortcode]
