"""An OAuth access token exchanged for an API session whose login answer also names the base URL of every
later call (Bullhorn's ``BhRestToken`` + ``restUrl``; the same pattern as an instance URL in a token answer).

Three steps, each a plain request outside the paced client:

1. An access token from ``{oauth_url}/token``: by the refresh-token grant (single use: every rotated token is
   saved at once, encrypted, through ``IntegrationInfo.save_credentials``, before it is used further), or by an
   authorization code the connector obtains itself (``{oauth_url}/authorize`` with the user name and password
   and ``authorize_params``; the code is read from the redirect's ``Location``, a 200 is the login page again).
   Parameters travel in the query string, as the vendors of this pattern document them.
2. ``GET {base}/{login_path}?<access_token>&<login_params>`` answers the session token (``session_path``) and,
   with ``base_url_path``, the base URL of later calls: requests built under the declared base move there.
   A base URL is trusted only over https or on the declared host itself.
3. Every request carries the session token in ``header``. A 401 renews once (new access token, new session).

307/308 redirects (another data centre) are followed on steps 1 and 2. A refused refresh token may have just
been rotated by another source of the same integration in this process (a write during a sync): its successor
is tried briefly before the refusal stands.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.kit.auth import credential

#: integration id -> the newest refresh token this process was given.
_ROTATED: dict[str, str] = {}
_REDIRECTS = (301, 302, 303, 307, 308)


def _refused(what: str, status: int) -> RemoteError:
    return RemoteError("INTEGRATION.AUTHENTICATION_INVALID", f"the ATS refused the {what} ({status})", status=status)


def _failed(what: str, status: int) -> RemoteError:
    return RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"the ATS's {what} failed ({status})", retryable=True)


def _object(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"the ATS's {what} answered {response.status_code} without JSON")
    return body


@dataclass(frozen=True)
class OAuthSession:
    """See the module docstring. Give ``refresh_token`` or ``username`` and ``password`` (sent to the authorize
    endpoint under their field keys). ``config["oauth_url"]`` overrides ``oauth_url`` per integration."""

    oauth_url: str
    login_path: str
    client_id: FormField
    client_secret: FormField
    refresh_token: FormField | None = None
    username: FormField | None = None
    password: FormField | None = None
    authorize_params: tuple[tuple[str, str], ...] = ()
    login_params: tuple[tuple[str, str], ...] = ()
    session_path: str = "session"
    base_url_path: str | None = None
    header: str = "Authorization"
    template: str = "{}"

    @property
    def fields(self) -> tuple[FormField, ...]:
        found = (self.client_id, self.client_secret, self.refresh_token, self.username, self.password)
        return tuple(f for f in found if f is not None)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (
            FormField(
                "oauth_url",
                "OAuth URL",
                kind="url",
                target="config",
                required=False,
                advanced=True,
                placeholder=self.oauth_url,
            ),
        )

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        if self.refresh_token is None and (self.username is None or self.password is None):
            raise ValueError("OAuthSession needs a refresh_token field, or username and password fields")
        return _Session(self, info, base_url, transport)


class _Session(httpx.Auth):
    requires_response_body = False

    def __init__(
        self, decl: OAuthSession, info: IntegrationInfo, base: str, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self.decl, self.info, self.transport = decl, info, transport
        self.base = base.rstrip("/") + "/"
        self.oauth = str(info.config.get("oauth_url") or decl.oauth_url).rstrip("/")
        self.refresh = credential(info, decl.refresh_token) if decl.refresh_token else ""
        self.session: tuple[str, str] | None = None
        self._lock = asyncio.Lock()  # concurrent requests share one login

    async def _send(self, method: str, url: str, params: dict[str, str], *, follow: bool = True) -> httpx.Response:
        """One auth-side request; 307/308 are followed, other redirects only when ``follow``."""
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            query: dict[str, str] | None = params
            for _ in range(4):
                try:
                    response = await client.request(method, url, params=query)
                except httpx.HTTPError as exc:
                    raise RemoteError(
                        "REMOTE.SERVICE_UNAVAILABLE",
                        f"could not reach the ATS's login: {type(exc).__name__}",
                        retryable=True,
                    ) from exc
                location = response.headers.get("location", "")
                if not location or response.status_code not in (_REDIRECTS if follow else (307, 308)):
                    return response
                url = str(response.url.join(location))
                query = params if not urlsplit(url).query else None  # the redirect carries them
        return response

    async def _code(self) -> str:
        d, info = self.decl, self.info
        assert d.username is not None and d.password is not None
        params = {"client_id": credential(info, d.client_id), "response_type": "code", **dict(d.authorize_params)}
        params.update({d.username.key: credential(info, d.username), d.password.key: credential(info, d.password)})
        response = await self._send("GET", f"{self.oauth}/authorize", params, follow=False)
        code = parse_qs(urlsplit(response.headers.get("location", "")).query).get("code")
        if response.status_code in _REDIRECTS and code:
            return str(code[0])
        if response.status_code >= 500:
            raise _failed("authorization", response.status_code)
        # a 200 is the login page again: the client, user name or password was not accepted
        raise _refused("client ID, user name or password", 401 if response.status_code < 400 else response.status_code)

    async def _grant(self, params: dict[str, str]) -> httpx.Response:
        response = await self._send("POST", f"{self.oauth}/token", params)
        tried = {params.get("refresh_token")}
        for _ in range(3):
            if response.status_code != 400 or self.decl.refresh_token is None:
                break
            await asyncio.sleep(0.2)
            newer = _ROTATED.get(self.info.id)
            if newer and newer not in tried:
                tried.add(newer)
                response = await self._send("POST", f"{self.oauth}/token", {**params, "refresh_token": newer})
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
        payload = _object(response, "token endpoint")
        rotated = payload.get("refresh_token")
        if d.refresh_token is not None and isinstance(rotated, str) and rotated:
            self.refresh = _ROTATED[info.id] = rotated  # the old one is dead: saved before anything else
            if info.save_credentials is not None:
                await info.save_credentials({**info.credentials, d.refresh_token.key: rotated})
        token = payload.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS's token answer has no access_token")
        return token

    async def _login(self) -> tuple[str, str]:
        params = {"access_token": await self._access_token(), **dict(self.decl.login_params)}
        response = await self._send("GET", self.base + self.decl.login_path.lstrip("/"), params)
        if response.status_code in (400, 401, 403):
            raise _refused("session login", response.status_code)
        if response.status_code >= 300:
            raise _failed("session login", response.status_code)
        body = _object(response, "session login")
        token = dig(body, self.decl.session_path)
        base = dig(body, self.decl.base_url_path) if self.decl.base_url_path else self.base
        if not isinstance(token, str) or not token or not isinstance(base, str) or not self._trusted(base):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS's login answer has no usable session or base URL")
        return token, base.rstrip("/") + "/"

    def _trusted(self, base: str) -> bool:
        parts, declared = urlsplit(base), urlsplit(self.base)
        return parts.scheme == "https" or (parts.scheme, parts.netloc) == (declared.scheme, declared.netloc)

    async def _renew(self, stale: tuple[str, str] | None) -> tuple[str, str]:
        async with self._lock:
            if self.session is None or self.session == stale:
                self.session = await self._login()
            return self.session

    def _apply(self, request: httpx.Request, url: str, session: tuple[str, str]) -> None:
        """``url`` (as the client built it, under the declared base) moved under the session's base URL."""
        if url.startswith(self.base):
            request.url = httpx.URL(session[1] + url[len(self.base) :])
            request.headers["Host"] = request.url.netloc.decode()
        request.headers[self.decl.header] = self.decl.template.format(session[0])

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        url = str(request.url)
        session = self.session or await self._renew(None)
        self._apply(request, url, session)
        response = yield request
        if response.status_code == 401:  # the session (or the access token behind it) expired: log in again, once
            self._apply(request, url, await self._renew(session))
            yield request
