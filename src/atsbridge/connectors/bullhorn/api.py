"""Bullhorn's REST API, declared once: the OAuth + session login, ``start``/``count`` paging, the error shape.

Auth is three steps [doc ``_authorization.md``, ``_login.md``]: an OAuth access token (10 minutes) from
``{auth}/oauth/token`` — by the single-use refresh token (``bullhorn``) or by an authorization code atsbridge
obtains itself with the API user's name and password (``bullhornlogin``: ``/oauth/authorize`` with
``action=Login``, the code read from the redirect's ``Location``) — then ``GET /rest-services/login?version=*
&access_token=`` answers ``{"BhRestToken", "restUrl"}``. Every later request goes to that ``restUrl`` (the
tenant's data centre and corporation token) with the ``BhRestToken`` header: :class:`_Session` rewrites the
declared base URL into it. A 401 means the session died: a new access token and a new login, once. A rotated
refresh token is saved (encrypted) before anything else is done with it, because the old one is dead.
Wrong data centre: Bullhorn answers 307 to the right one [doc]; the token and login calls follow it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.kit.auth import credential

AUTH_URL = "https://auth.bullhornstaffing.com/oauth"
BASE_URL = "https://rest.bullhornstaffing.com/rest-services"
PAGE = 500  # the largest ``count`` in common use [3p]; a smaller server cap is tolerated by the pager


#: integration id -> the newest refresh token this process was given (concurrent sources of one integration).
_ROTATED: dict[str, str] = {}


def _refused(what: str, status: int) -> RemoteError:
    return RemoteError("INTEGRATION.AUTHENTICATION_INVALID", f"Bullhorn refused the {what} ({status})", status=status)


def _failed(what: str, status: int | None) -> RemoteError:
    return RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"Bullhorn's {what} failed ({status})", retryable=True)


class _Session(httpx.Auth):
    requires_response_body = False

    def __init__(
        self, decl: BullhornAuth, info: IntegrationInfo, base: str, transport: httpx.AsyncBaseTransport | None
    ):
        self.decl, self.info, self.transport = decl, info, transport
        self.base = base.rstrip("/") + "/"
        self.auth_url = str(info.config.get("auth_url") or AUTH_URL).rstrip("/")
        self.refresh = credential(info, decl.refresh_token) if decl.refresh_token else ""
        self.session: tuple[str, str] | None = None
        self._lock = asyncio.Lock()  # concurrent requests share one login

    async def _send(self, method: str, url: str, params: dict[str, str], *, follow: bool = True) -> httpx.Response:
        """One auth-side request; 307/308 (another data centre) are followed, other redirects only if asked."""
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            for _ in range(3):
                try:
                    response = await client.request(method, url, params=params)
                except httpx.HTTPError as exc:
                    raise RemoteError(
                        "REMOTE.SERVICE_UNAVAILABLE",
                        f"could not reach Bullhorn's login: {type(exc).__name__}",
                        retryable=True,
                    ) from exc
                location = response.headers.get("location", "")
                if not location or response.status_code not in (
                    (307, 308) if not follow else (301, 302, 303, 307, 308)
                ):
                    return response
                url = str(response.url.join(location))
                params = params if not urlsplit(url).query else {}
        return response

    async def _code(self) -> str:
        """``bullhornlogin``: the authorization code of the API user, without a browser."""
        d, info = self.decl, self.info
        assert d.username is not None and d.password is not None
        params = {
            "client_id": credential(info, d.client_id),
            "response_type": "code",
            "action": "Login",
            "username": credential(info, d.username),
            "password": credential(info, d.password),
        }
        response = await self._send("GET", f"{self.auth_url}/authorize", params, follow=False)
        code = parse_qs(urlsplit(response.headers.get("location", "")).query).get("code")
        if response.status_code in (301, 302, 303) and code:
            return str(code[0])
        if response.status_code >= 500:
            raise _failed("authorization", response.status_code)
        # a 200 is the login page again: the user name or password was not accepted
        raise _refused(
            "client ID or API user name and password", 401 if response.status_code < 400 else response.status_code
        )

    async def _grant(self, params: dict[str, str]) -> httpx.Response:
        """The token request. A refused refresh token may have just been rotated by another source of this
        integration in this process (a write during a sync): its successor is tried, a few times briefly."""
        response = await self._send("POST", f"{self.auth_url}/token", params)
        tried = {params.get("refresh_token")}
        for _ in range(3):
            if response.status_code != 400 or self.decl.refresh_token is None:
                break
            await asyncio.sleep(0.2)
            newer = _ROTATED.get(self.info.id)
            if newer and newer not in tried:
                tried.add(newer)
                response = await self._send("POST", f"{self.auth_url}/token", {**params, "refresh_token": newer})
        return response

    async def _access_token(self) -> str:
        d, info = self.decl, self.info
        params = {"client_id": credential(info, d.client_id), "client_secret": credential(info, d.client_secret)}
        if d.refresh_token is not None:
            params.update(grant_type="refresh_token", refresh_token=self.refresh)
        else:
            params.update(grant_type="authorization_code", code=await self._code())
        response = await self._grant(params)
        if response.status_code in (400, 401, 403):
            raise _refused("OAuth client or refresh token", response.status_code)
        if response.status_code >= 300:
            raise _failed("token endpoint", response.status_code)
        payload = _object(response)
        rotated = payload.get("refresh_token")
        if d.refresh_token is not None and isinstance(rotated, str) and rotated:
            self.refresh = _ROTATED[info.id] = rotated  # single use: the old one is dead, stored before anything else
            if info.save_credentials is not None:
                await info.save_credentials({**info.credentials, d.refresh_token.key: rotated})
        token = payload.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Bullhorn's token answer has no access_token")
        return token

    async def _login(self) -> tuple[str, str]:
        response = await self._send(
            "GET", self.base + "login", {"version": "*", "access_token": await self._access_token()}
        )
        if response.status_code in (400, 401, 403):
            raise _refused("session login", response.status_code)
        if response.status_code >= 300:
            raise _failed("session login", response.status_code)
        body = _object(response)
        token, rest = body.get("BhRestToken"), body.get("restUrl")
        if not isinstance(token, str) or not token or not isinstance(rest, str) or not self._trusted(rest):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Bullhorn's login answer has no usable BhRestToken/restUrl")
        return token, rest.rstrip("/") + "/"

    def _trusted(self, rest: str) -> bool:
        """The session token only goes to an https data centre (or to the configured host itself)."""
        parts, base = urlsplit(rest), urlsplit(self.base)
        return parts.scheme == "https" or (parts.scheme, parts.netloc) == (base.scheme, base.netloc)

    async def _renew(self, stale: tuple[str, str] | None) -> tuple[str, str]:
        async with self._lock:
            if self.session is None or self.session == stale:
                self.session = await self._login()
            return self.session

    def _apply(self, request: httpx.Request, url: str, session: tuple[str, str]) -> None:
        """``url`` (as the client built it, under the declared base) moved under the session's ``restUrl``."""
        if url.startswith(self.base):
            request.url = httpx.URL(session[1] + url[len(self.base) :])
            request.headers["Host"] = request.url.netloc.decode()
        request.headers["BhRestToken"] = session[0]

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        url = str(request.url)
        session = self.session or await self._renew(None)
        self._apply(request, url, session)
        response = yield request
        if response.status_code == 401:  # the session (or the access token behind it) expired: log in again, once
            self._apply(request, url, await self._renew(session))
            yield request


def _object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Bullhorn's login answered {response.status_code} without JSON")
    return body


@dataclass(frozen=True)
class BullhornAuth:
    """OAuth (refresh token or the API user's login) followed by a REST session login (see the module doc)."""

    client_id: FormField
    client_secret: FormField
    refresh_token: FormField | None = None
    username: FormField | None = None
    password: FormField | None = None

    @property
    def fields(self) -> tuple[FormField, ...]:
        found = (self.client_id, self.client_secret, self.refresh_token, self.username, self.password)
        return tuple(f for f in found if f is not None)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (
            FormField(
                "auth_url",
                "OAuth URL",
                kind="url",
                target="config",
                required=False,
                advanced=True,
                placeholder=AUTH_URL,
            ),
        )

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _Session(self, info, base_url, transport)


@dataclass(frozen=True)
class StartCount:
    """``start``/``count``; ``start`` advances by the rows actually served (a server cap below ``count`` is
    not mistaken for the end); ends at ``total`` when the answer has one, else on an empty page."""

    page_size: int = PAGE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "start": 0, "count": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        rows = body.get("data") if isinstance(body, dict) else None
        if not isinstance(rows, list) or not rows:
            return None
        start = int((request.params or {}).get("start", 0)) + len(rows)
        total = body.get("total")
        if isinstance(total, int) and start >= total:
            return None
        return replace(request, params={**(request.params or {}), "start": start})


CLIENT = (
    kit.Text("client_id", "Client ID", help="Issued by Bullhorn Support with your redirect URI."),
    kit.Secret("client_secret", "Client secret"),
)

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=BullhornAuth(
        *CLIENT,
        refresh_token=kit.Secret(
            "refresh_token",
            "Refresh token",
            help="From the OAuth authorization of the API user (rotated and saved on every use).",
        ),
    ),
    pager=StartCount(),
    records_path="data",
    # 429 "wait 1 second then retry" [doc]; the limit itself is per API user and concurrency-based [3p]
    rate=kit.RatePolicy(10, 1.0, concurrency=2),
    timeout_seconds=60.0,
)
LOGIN_API = replace(
    API,
    auth=BullhornAuth(
        *CLIENT, username=kit.Text("username", "API user name"), password=kit.Secret("password", "API user password")
    ),
)


def entity_id(value: Any) -> str | None:
    """The id of a to-one association (``{"id": 1, ...}``), as a string."""
    found = value.get("id") if isinstance(value, dict) else None
    return str(found) if found is not None and found != "" else None
