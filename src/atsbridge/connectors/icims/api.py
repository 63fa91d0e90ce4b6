"""iCIMS' REST API, declared once: the customer id and region in the base URL, HTTP Basic as the integration
user, the ``{"errors": [{"errorMessage", "errorCode"}]}`` error shape, a daily request quota, and the
search-then-fetch reads every profile type shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.icims.mappers import DATE_FORMAT

Raw = dict[str, Any]

#: ``{api_host}``: ``api.icims.com`` (US) or ``api-eu.icims.com`` (EU) [doc §4.1]; ``{customer_id}``: the
#: customer's numeric id. Both are Connect form fields (config).
BASE_URL = "https://{api_host}/customers/{customer_id}"
HOSTS = (("api.icims.com", "United States (api.icims.com)"), ("api-eu.icims.com", "Europe (api-eu.icims.com)"))
#: Search answers may be this stale [doc]: a delta search starts this much before the last sync.
STALENESS = timedelta(minutes=15)
#: Most hits one search answers [doc]; hits come sorted by id.
SEARCH_CAP = 1000

#: The daily quota (20,000 in 2016 [rec], 10,000 quoted today [3p]) is read from ``x-ratelimit-*`` on each
#: answer; 500 requests stay in reserve for writes and the Connect check (``config.quota_reserve``).
QUOTA = kit.DailyQuota(reserve=500, wait_seconds=120.0)

#: [3p] The authorization server per region (Knit's guide: ``login.icims.com``, ``login.icims.eu``); the token
#: path ``/oauth/token`` is [gap]. ``config.token_url`` overrides it per integration.
TOKEN_URLS = {"api.icims.com": "https://login.icims.com/oauth/token",
              "api-eu.icims.com": "https://login.icims.eu/oauth/token"}  # fmt: skip


@dataclass(frozen=True)
class RegionalClientCredentials(kit.OAuthClientCredentials):
    """OAuth2 client credentials against the region's authorization server (by ``config.api_host``)."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        regional = TOKEN_URLS.get(str(info.config.get("api_host") or ""), self.token_url)
        plain = kit.OAuthClientCredentials(regional, self.client_id, self.client_secret)
        return plain.build(info, base_url, transport)


#: Basic (the integration user) or OAuth2 client credentials, whichever iCIMS issued [doc]; HMAC is not offered.
AUTH = kit.Either(
    kit.Basic(
        kit.Text("username", "API username", help="the integration user iCIMS issued (Integration User group)."),
        kit.Secret("password", "API password", help="the integration user's password."),
    ),
    RegionalClientCredentials(
        TOKEN_URLS["api.icims.com"],
        kit.Text("client_id", "OAuth client ID", help="instead of a username and password, when iCIMS issued these."),
        kit.Secret("client_secret", "OAuth client secret", help="the OAuth client's secret."),
    ),
    labels=("Basic: ", "OAuth2: "),
)

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=AUTH,
    # a static fallback until the quota headers are seen; a day's quota spread over a sync stays well below it
    rate=kit.RatePolicy(5, 1.0, concurrency=4),
    errors=kit.ErrorShape(rate_limited=("rate limit", "quota")),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="default",
)


def search_date(ts: datetime) -> str:
    """The bound of an ``updateddate`` filter. [gap] The docs show date tokens (``{DATE:START}{DATE:-9}``) and no
    literal format; iCIMS' own date format (``mappers.DATE_FORMAT``, minutes, UTC) is the reading chosen here,
    changed in this one place. Minutes floor the bound: a ``>=`` filter then re-reads, never misses."""
    return ts.astimezone(UTC).strftime(DATE_FORMAT)


def search_body(entity: str) -> kit.SearchBody:
    """The Search API body for ``entity`` (``person``, ``job``, ``applicantworkflow``): ids above the last one
    served ([3p] ``<entity>.id >`` narrowing) and, in a delta run, ``<entity>.updateddate >=`` the bound [doc]
    less :data:`STALENESS` (re-read rows that did not change are not rewritten)."""

    def body(after: str | None, since: datetime | None) -> Raw:
        filters: list[Raw] = []
        if after is not None:
            filters.append({"name": f"{entity}.id", "value": [after], "operator": ">"})
        if since is not None:
            bound = search_date(since - STALENESS)
            filters.append({"name": f"{entity}.updateddate", "value": [bound], "operator": ">="})
        return {"filters": filters, "operator": "&"}

    return body


def profiles(profile: str, entity: str, fields: str) -> kit.Custom:
    """``POST /search/{profile}`` then ``GET /{profile}/{id}?fields=...`` per hit."""
    return kit.search_then_fetch(kit.SearchThenFetch(
        search_path=f"/search/{profile}", detail_path=f"/{profile}/{{id}}", body=search_body(entity),
        cap=SEARCH_CAP, detail_params={"fields": fields}, quota=QUOTA,
    ))  # fmt: skip


def new_id(location: str | None) -> str:
    """The id a create answers in its ``Location`` header (201, empty body) [rec]."""
    tail = (location or "").rstrip("/").rsplit("/", 1)[-1]
    if not tail.isdigit():
        raise kit.UnknownOutcome(f"iCIMS answered the create without a usable Location header ({location!r})")
    return tail


#: status node id -> the status ``{id, formattedvalue, value}`` (the tenant's workflow nodes seen in a run).
STATUSES: kit.Lookup[Raw] = kit.Lookup("statuses")
