"""Authentication flows as ``httpx.Auth``: static schemes come from httpx; OAuth ones live here."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

from atsbridge.connectors.http.errors import RemoteError

#: Persist newly issued tokens at once (refresh tokens rotate: the old one is dead after use).
TokenSaver = Callable[[dict[str, Any]], Awaitable[None]]


class HeaderAuth(httpx.Auth):
    """A fixed header (``Token token=...``, ``X-SmartToken: ...``)."""

    def __init__(self, name: str, value: str):
        self.name = name
        self.value = value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.name] = self.value
        yield request


@dataclass
class OAuthToken:
    access_token: str
    expires_at: float
    refresh_token: str | None = None

    def fresh(self, margin: float = 60.0) -> bool:
        return time.time() < self.expires_at - margin


def _expiry(payload: dict[str, Any]) -> float:
    if "expires_at" in payload:  # Greenhouse sends an absolute expiry
        value = payload["expires_at"]
        if isinstance(value, int | float):
            return float(value)
        from atsbridge.core.timeutil import parse_ts

        return parse_ts(str(value)).timestamp()
    return time.time() + float(payload.get("expires_in", 3600))


@dataclass
class OAuth2(httpx.Auth):
    """Client-credentials, or refresh-token with rotation. A 401 refreshes once and retries the request."""

    token_url: str
    client_id: str
    client_secret: str
    grant: str = "client_credentials"
    refresh_token: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    on_new_token: TokenSaver | None = None
    token: OAuthToken | None = None
    transport: httpx.AsyncBaseTransport | None = None
    #: Send the grant as a JSON body with the client inside it (Eploy) instead of a form with Basic auth.
    json_body: bool = False
    #: Send the token request as a JSON body (client in the body, no Basic auth), each standard name renamed
    #: by this map (Cornerstone: ``{"client_id": "clientId", ...}``); None: the RFC 6749 form.
    json_names: dict[str, str] | None = None
    requires_response_body = False

    async def _fetch(self) -> OAuthToken:
        form = {"grant_type": self.grant, **self.extra}
        if self.grant == "refresh_token":
            form["refresh_token"] = self.refresh_token or ""
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            if self.json_body or self.json_names is not None:  # one JSON grant, its names renamed if asked
                grant = {**form, "client_id": self.client_id, "client_secret": self.client_secret}
                renamed = self.json_names or {}
                response = await client.post(self.token_url, json={renamed.get(k, k): v for k, v in grant.items()})
            else:
                response = await client.post(self.token_url, data=form, auth=(self.client_id, self.client_secret))
        if response.status_code in (400, 401, 403):
            raise RemoteError(
                "INTEGRATION.AUTHENTICATION_INVALID",
                f"the ATS refused the OAuth credentials ({response.status_code}): {response.text[:200]}",
                status=response.status_code,
            )
        if response.status_code >= 400:
            raise RemoteError(
                "REMOTE.SERVICE_UNAVAILABLE", f"token endpoint failed ({response.status_code})", retryable=True
            )
        payload = response.json()
        token = OAuthToken(payload["access_token"], _expiry(payload), payload.get("refresh_token"))
        if token.refresh_token:
            self.refresh_token = token.refresh_token
        if self.on_new_token is not None:
            await self.on_new_token(payload)
        return token

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self.token is None or not self.token.fresh():
            self.token = await self._fetch()
        request.headers["Authorization"] = f"Bearer {self.token.access_token}"
        response = yield request
        if response.status_code == 401:
            self.token = await self._fetch()
            request.headers["Authorization"] = f"Bearer {self.token.access_token}"
            yield request
