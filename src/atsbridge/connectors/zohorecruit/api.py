"""Zoho Recruit's v2 API, declared once. What the kit does not say as data, each small and local:

* :class:`ZohoOAuth`/:class:`ZohoToken`: tokens from ``accounts.zoho.{region}`` (the API host's data centre),
  the client in the token form, ``Authorization: Zoho-oauthtoken``, HTTP 200 refusals read as the 401 they mean.
* :class:`ZohoTransport`: ``kit.Since("If-Modified-Since")`` goes into that header instead of the query, and
  the bodiless 204 (empty listing) and 304 (nothing changed since) become an empty last page.
* :class:`MorePages`: ``page`` + ``per_page`` (at most 200) while ``info.more_records`` is true.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2, OAuthToken
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.kit.api import fill_base_url
from atsbridge.connectors.kit.auth import credential

BASE_URL = "https://recruit.zoho.{region}/recruit/v2"
TOKEN_URL = "https://accounts.zoho.{region}/oauth/v2/token"
REGIONS = (("com", "United States (zoho.com)"), ("eu", "Europe (zoho.eu)"), ("in", "India (zoho.in)"), ("com.au",
           "Australia (zoho.com.au)"), ("jp", "Japan (zoho.jp)"), ("com.cn", "China (zoho.com.cn)"))  # fmt: skip
SINCE_HEADER = "If-Modified-Since"
EMPTY = b'{"data": [], "info": {"more_records": false}}'


#: Access tokens shared by every client of one grant (key: a hash of token URL, client and refresh token): Zoho
#: Accounts allows only a few token requests per refresh token in a window [3p], and each sync, write and check
#: builds its own client.
_TOKENS: dict[str, OAuthToken] = {}


class ZohoToken(OAuth2):
    """The refresh-token grant as Zoho Accounts does it (client in the form, errors in HTTP 200 bodies) and the
    ``Zoho-oauthtoken`` header. Zoho does not rotate refresh tokens (the answer has none)."""

    async def _fetch(self) -> OAuthToken:
        form = {"grant_type": "refresh_token", "refresh_token": self.refresh_token or "",
                "client_id": self.client_id, "client_secret": self.client_secret}  # fmt: skip
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            response = await client.post(self.token_url, data=form)
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code >= 500 or (response.status_code >= 400 and not isinstance(payload, dict)):
            raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"Zoho Accounts failed ({response.status_code})",
                              retryable=True)  # fmt: skip
        if not isinstance(payload, dict) or not payload.get("access_token"):
            said = str(payload.get("error") if isinstance(payload, dict) else "")[:100] or "no access_token"
            more = str(payload.get("error_description") or "")[:200] if isinstance(payload, dict) else ""
            if "too many requests" in more.lower():  # Zoho Accounts' own throttle: not a credential problem
                raise RemoteError("REMOTE.RATE_LIMIT_EXCEEDED", f"Zoho Accounts: {more}", status=429, retryable=True)
            raise RemoteError("INTEGRATION.AUTHENTICATION_INVALID",
                              f"Zoho Accounts refused the OAuth credentials (401: {said}); reconnect Zoho Recruit",
                              status=401)  # fmt: skip
        ttl = payload.get("expires_in")  # seconds (an hour); anything else: an hour
        return OAuthToken(str(payload["access_token"]), time.time() + (ttl if isinstance(ttl, int) else 3600))

    async def _renew(self) -> OAuthToken:
        key = hashlib.sha256(f"{self.token_url}\0{self.client_id}\0{self.refresh_token}".encode()).hexdigest()
        cached = _TOKENS.get(key)
        if cached is not None and cached.fresh() and cached is not self.token:  # (another client renewed it)
            return cached
        if len(_TOKENS) > 10_000:
            _TOKENS.clear()
        _TOKENS[key] = await self._fetch()
        return _TOKENS[key]

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self.token is None or not self.token.fresh():
            self.token = await self._renew()
        request.headers["Authorization"] = f"Zoho-oauthtoken {self.token.access_token}"
        response = yield request
        if response.status_code == 401:
            self.token = await self._renew()
            request.headers["Authorization"] = f"Zoho-oauthtoken {self.token.access_token}"
            yield request


@dataclass(frozen=True)
class ZohoOAuth(kit.RefreshToken):
    """``kit.RefreshToken`` on the integration's data centre (``{region}`` in the token URL, as in the base URL)."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        inner = transport.inner if isinstance(transport, ZohoTransport) else transport
        return ZohoToken(
            token_url=str(info.config.get("token_url") or fill_base_url(self.token_url, info.config)),
            client_id=credential(info, self.client_id),
            client_secret=credential(info, self.client_secret),
            grant="refresh_token",
            refresh_token=credential(info, self.refresh_token),
            transport=inner,
        )


class ZohoTransport(httpx.AsyncBaseTransport):
    """Moves the ``If-Modified-Since`` query parameter into its header; 204/304 (no body) -> an empty page."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None) -> None:
        self.inner = inner if inner is not None else httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        since = request.url.params.get(SINCE_HEADER)
        if since is not None:
            request.url = request.url.copy_remove_param(SINCE_HEADER)
            request.headers[SINCE_HEADER] = since
        response = await self.inner.handle_async_request(request)
        if response.status_code in (204, 304) and request.method == "GET":  # (passthrough GETs too)
            await response.aclose()
            return httpx.Response(200, content=EMPTY, headers={"content-type": "application/json"}, request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class ZohoApi(kit.VendorApi):
    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        return super().client(info, ZohoTransport(transport))


@dataclass(frozen=True)
class MorePages:
    """``page``/``per_page`` while the body's ``info.more_records`` is true (Zoho's paging everywhere)."""

    page_size: int = 200

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "page": 1, "per_page": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        if dig(body, "info.more_records") is not True:
            return None
        params = request.params or {}
        return replace(request, params={**params, "page": int(params.get("page", 1)) + 1})


SINCE = kit.Since(SINCE_HEADER, lambda ts: ts.astimezone(UTC).isoformat(timespec="seconds"))

API = ZohoApi(
    base_url=BASE_URL,
    auth=ZohoOAuth(
        TOKEN_URL,
        kit.Text("client_id", "Client ID", help="Zoho API Console (api-console.zoho.com) > your client."),
        kit.Secret("client_secret", "Client secret"),
        kit.Secret("refresh_token", "Refresh token",
                   help="From the authorization-code grant with access_type=offline (scope ZohoRecruit.modules.all, "
                        "ZohoRecruit.users.READ)."),
    ),  # fmt: skip
    pager=MorePages(),
    records_path="data",
    # Credits per rolling 24 h (5,000 to 1,000,000 by edition) and a per-org concurrency cap: paced gently,
    # two calls in flight; a 429 always backs off. The daily credits are a budget, not a rate (see __init__).
    rate=kit.RatePolicy(2, 1.0, concurrency=2),
    errors=kit.ErrorShape(invalid_token=("INVALID_TOKEN",), rate_limited=("TOO_MANY_REQUESTS",)),
    timeout_seconds=60.0,
    passthrough="v2",
)
