"""Authentication as data: each scheme names the credential fields it needs (which become the Connect form)
and builds the ``httpx.Auth`` the client sends with.

Declared once per vendor API (``VendorApi(auth=Basic(Secret("api_key", "API key")))``); the sync, the
writes, passthrough and the Connect check all authenticate through the same object.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.auth import HeaderAuth, OAuth2
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig


def Secret(key: str, label: str, help: str = "", placeholder: str = "") -> FormField:
    """A credential form field whose value is sealed and never echoed back."""
    return FormField(key, label, kind="secret", help=help, placeholder=placeholder)


def Text(key: str, label: str, help: str = "", placeholder: str = "") -> FormField:
    """A plain credential (a user name, a client id): sealed like every credential, but shown while typed."""
    return FormField(key, label, help=help, placeholder=placeholder)


def credential(info: IntegrationInfo, field: FormField) -> str:
    value = info.credentials.get(field.key)
    if value is None and field.target == "config":
        value = info.config.get(field.key)
    return str(value or "")


def token_url_field(default: str) -> FormField:
    """The OAuth token URL as an advanced Connect field (``config["token_url"]``, a vendor host override)."""
    return FormField(
        "token_url", "Token URL", kind="url", target="config", required=False, advanced=True, placeholder=default
    )


class Auth(Protocol):
    """What a vendor API's auth declaration offers the kit: the credential fields of the Connect form,
    advanced (host override) fields shown after the base URL, and the ``httpx.Auth`` itself."""

    @property
    def fields(self) -> tuple[FormField, ...]: ...

    @property
    def advanced_fields(self) -> tuple[FormField, ...]: ...

    def build(
        self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.Auth | None: ...


@dataclass(frozen=True)
class Basic:
    """HTTP Basic. ``password=None``: the key is the user name and the password is blank (Lever, Greenhouse)."""

    username: FormField
    password: FormField | None = None

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.username,) if self.password is None else (self.username, self.password)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        password = credential(info, self.password) if self.password is not None else ""
        return httpx.BasicAuth(credential(info, self.username), password)


class OneKey:
    """The Connect form of a scheme whose one credential is its ``key`` field: that field, nothing advanced."""

    key: FormField

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.key,)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()


@dataclass(frozen=True)
class HeaderKey(OneKey):
    """A key in a header: ``HeaderKey("Authorization", Secret(...), "Token token={}")``, ``X-SmartToken``."""

    header: str
    key: FormField
    template: str = "{}"

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return HeaderAuth(self.header, self.template.format(credential(info, self.key)))


def Bearer(key: FormField) -> HeaderKey:
    """``Authorization: Bearer <key>``."""
    return HeaderKey("Authorization", key, "Bearer {}")


class _QueryAuth(httpx.Auth):
    def __init__(self, param: str, value: str):
        self.param = param
        self.value = value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params({self.param: self.value})
        yield request


@dataclass(frozen=True)
class QueryKey(OneKey):
    """A key in the query string (``?api_key=...``). Passthrough and logs never show request URLs' keys."""

    param: str
    key: FormField

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _QueryAuth(self.param, credential(info, self.key))


@dataclass(frozen=True)
class OAuthClientCredentials:
    """OAuth2 client credentials: a token from ``token_url`` (``config["token_url"]`` overrides it), renewed
    before expiry and once on a 401. A ``token_url`` that is a path (``"/token"``) lives on the integration's
    own API host (base URL + path: Eploy's ``https://{host}/api/token``)."""

    token_url: str
    client_id: FormField
    client_secret: FormField
    scope: str | None = None
    #: Integration config keys sent as extra token-request fields when set (Greenhouse's acting user ``sub``).
    extra_config: tuple[str, ...] = ()
    #: The grant as a JSON body carrying the client (Eploy), instead of a form with the client in Basic auth.
    json_body: bool = False

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.client_id, self.client_secret)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (token_url_field(self.token_url),)

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        from atsbridge.connectors.kit.api import fill_base_url  # the api module imports this one

        extra = {"scope": self.scope} if self.scope else {}
        extra.update({k: str(info.config[k]) for k in self.extra_config if info.config.get(k)})
        # a token URL on the customer's host names config keys, filled like the base URL (Salesforce); a path
        # lives on the integration's API host (Eploy)
        token_url = fill_base_url(self.token_url, info.config)
        if token_url.startswith("/"):
            token_url = base_url.rstrip("/") + token_url
        return OAuth2(
            token_url=str(info.config.get("token_url") or token_url),
            client_id=credential(info, self.client_id),
            client_secret=credential(info, self.client_secret),
            extra=extra,
            transport=transport,
            json_body=self.json_body,
        )


#: The camelCase names Cornerstone's token endpoint reads.
CAMEL_CASE = (("client_id", "clientId"), ("client_secret", "clientSecret"), ("grant_type", "grantType"))


@dataclass(frozen=True)
class JsonClientCredentials:
    """OAuth2 client credentials posted as a **JSON body** (the client inside it, no Basic auth) to ``path``
    under the API base, so a per-tenant host moves the token URL too (``config["token_url"]`` overrides it);
    ``names`` renames the standard fields (Cornerstone: ``clientId``, ``clientSecret``, ``grantType``). The
    token is renewed before ``expires_in`` and once on a 401, as with :class:`OAuthClientCredentials`."""

    path: str
    client_id: FormField
    client_secret: FormField
    scope: str | None = None
    names: tuple[tuple[str, str], ...] = CAMEL_CASE

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.client_id, self.client_secret)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (token_url_field("<API base URL>" + self.path),)

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return OAuth2(
            token_url=str(info.config.get("token_url") or base_url.rstrip("/") + "/" + self.path.lstrip("/")),
            client_id=credential(info, self.client_id),
            client_secret=credential(info, self.client_secret),
            extra={"scope": self.scope} if self.scope else {},
            transport=transport,
            json_names=dict(self.names),
        )


@dataclass(frozen=True)
class RefreshToken:
    """OAuth2 refresh-token grant with rotation: every new token pair is saved at once (encrypted) through
    ``IntegrationInfo.save_credentials``, because the old refresh token is dead after use."""

    token_url: str
    client_id: FormField
    client_secret: FormField
    refresh_token: FormField

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.client_id, self.client_secret, self.refresh_token)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (token_url_field(self.token_url),)

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        saver = info.save_credentials
        key = self.refresh_token.key

        async def on_new_token(payload: dict[str, Any]) -> None:
            if saver is not None and payload.get("refresh_token"):
                await saver({**info.credentials, key: payload["refresh_token"]})

        return OAuth2(
            token_url=str(info.config.get("token_url") or self.token_url),
            client_id=credential(info, self.client_id),
            client_secret=credential(info, self.client_secret),
            grant="refresh_token",
            refresh_token=credential(info, self.refresh_token),
            on_new_token=on_new_token,
            transport=transport,
        )


class _SessionAuth(httpx.Auth):
    requires_response_body = False

    def __init__(
        self, login: SessionLogin, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None
    ):
        self.login = login
        self.info = info
        self.url = base_url.rstrip("/") + "/" + login.path.lstrip("/")
        self.transport = transport
        self.token: str | None = None
        self._lock = asyncio.Lock()  # concurrent requests (fan-out) share one login

    async def _session(self, stale: str | None) -> str:
        async with self._lock:
            if self.token is None or self.token == stale:
                self.token = await self._fetch()
            return self.token

    async def _fetch(self) -> str:
        body = {name: credential(self.info, f) for name, f in self.login.body.items()}
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            response = await client.post(self.url, json=body)
        if response.status_code in (400, 401, 403):
            raise RemoteError(
                "INTEGRATION.AUTHENTICATION_INVALID",
                f"the ATS refused the login ({response.status_code})",
                status=response.status_code,
            )
        if response.status_code >= 400:
            raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"login failed ({response.status_code})", retryable=True)
        try:
            token = dig(response.json(), self.login.token_path)
        except ValueError:
            token = None
        if not token:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"the login answer has no {self.login.token_path!r}")
        return str(token)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self.token if self.token is not None else await self._session(None)
        request.headers[self.login.header] = self.login.template.format(token)
        response = yield request
        if response.status_code == 401:  # sessions expire: log in again, once
            token = await self._session(token)
            request.headers[self.login.header] = self.login.template.format(token)
            yield request


@dataclass(frozen=True)
class SessionLogin:
    """Log in with a POST of credentials to ``path`` under the API base (``body``: JSON name -> form field),
    keep the session token from ``token_path`` and send it in ``header``; a 401 logs in again once."""

    path: str
    body: dict[str, FormField]
    token_path: str = "token"
    header: str = "Authorization"
    template: str = "Bearer {}"

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(self.body.values())

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _SessionAuth(self, info, base_url, transport)
