"""Personio Recruiting: the read-only v2 API for reads, the v1 application endpoint for the one write.

What the API imposes, and where it is encoded:

* OAuth2 client credentials at ``POST /v2/auth/token`` (``client_id``/``client_secret``, sent in the form):
  :func:`_client`. A tenant without the recruiting module answers 404 on ``/v2/recruiting/*``.
* Cursor paging: ``limit`` up to 200 and the next page's full URL in ``_meta.links.next.href``, records in
  ``_data``: :data:`PAGER`.
* Incremental: ``updated_at.gt`` on candidates and applications (jobs and categories are read in full).
  No deletion feed: deletions are found after a complete full sync.
* A job's stages are its category's (``/v2/recruiting/categories``): the jobs stream attaches them.
* v2 returns no tags, custom attributes, files, users, interviews, offers or rejection reasons: those models
  are not served.
* Writes: only ``POST /v1/recruiting/applications`` exists (plus ``/documents`` for its files), with the
  ``X-Company-ID`` header (``config.company_id``) and the Recruiting API token (``credentials.recruiting_api_key``;
  without one the v2 bearer token is sent). Moving, rejecting, notes, tags and files on existing records have
  no API: those actions are not declared, so the API answers ``INTEGRATION.ACTION_NOT_AVAILABLE``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.paginators import NextUrl, PageRequest
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource, HttpStream, http_stream
from atsbridge.connectors.personio import mappers as m
from atsbridge.connectors.personio.actions import create_application
from atsbridge.connectors.personio.connect import CONNECT
from atsbridge.core.timeutil import format_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]

BASE_URL = "https://api.personio.de"
RECRUITING = "/v2/recruiting"
PAGER = NextUrl(path="_meta.links.next.href", size_param="limit", page_size=200)
#: v2 read limits are unpublished; a modest default pace, raised or lowered per integration.
REQUESTS_PER_SECOND = 5


def _updated_since(since: datetime) -> Mapping[str, Any]:
    return {"updated_at.gt": format_ts(since)}


def _pages(source: HttpSource, name: str, path: str) -> Pages:
    return source.pages(name, PageRequest("GET", path), PAGER, "_data")


async def _read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Jobs with their category's stages (categories read in full first: a small table)."""
    categories: dict[str, Raw] = {}
    async for page in _pages(source, "categories", f"{RECRUITING}/categories"):
        categories.update({str(c["id"]): c for c in page})
    async for page in _pages(source, stream.name, f"{RECRUITING}/jobs"):
        for job in page:
            category = job.get("category")
            cid = category.get("id") if isinstance(category, dict) else category
            job["_stages"] = (categories.get(str(cid)) or {}).get("stages") or []
        yield page


def _client(info: IntegrationInfo) -> HttpClient:
    """Never raises on bad config: missing credentials surface as the token endpoint's 401 in the run."""
    cfg, creds = info.config, info.credentials
    base = str(cfg.get("base_url", BASE_URL))
    client_id, secret = str(creds.get("client_id", "")), str(creds.get("client_secret", ""))
    auth = OAuth2(token_url=str(cfg.get("token_url", f"{base}/v2/auth/token")), client_id=client_id,
                  client_secret=secret, extra={"client_id": client_id, "client_secret": secret})  # fmt: skip
    rate = float(cfg.get("requests_per_second", REQUESTS_PER_SECOND))
    pace = RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))
    return HttpClient(base_url=base, auth=auth, headers={"Accept": "application/json"}, rate_limit=pace,
                      timeout=float(cfg.get("timeout_seconds", 60)))  # fmt: skip


def _open(info: IntegrationInfo) -> HttpSource:
    return HttpSource(_client(info), state={"info": info})


STREAMS: tuple[HttpStream, ...] = (
    HttpStream("jobs", ("jobs", "application_stages"), m.map_job, False, fetch=_read_jobs),
    # applications before candidates: tracking learns the candidates of tracked applications from them
    http_stream("applications", ("applications",), m.map_application, f"{RECRUITING}/applications",
                since_params=_updated_since, paginator=PAGER, records_path="_data"),
    http_stream("candidates", ("candidates",), m.map_candidate, f"{RECRUITING}/candidates",
                since_params=_updated_since, paginator=PAGER, records_path="_data"),
)  # fmt: skip

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters backed by Personio data (jobs have no code, post URL, employment type or visibility in v2).
FILTERS: dict[str, frozenset[str]] = {
    # only models where the tool's data lacks some filters; every other model supports them all
    "jobs": frozenset({"name_contains", "remote_created_after", "statuses"}),
}

ACTIONS = {"create_application": create_application}

CONNECTOR = Connector(
    tool="personio",
    label="Personio",
    passthrough=(
        PassthroughApi("recruitingV2", _client),
        PassthroughApi("recruiting", _client),
    ),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    connect=CONNECT,
)
