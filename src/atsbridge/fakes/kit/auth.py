"""Auth schemes a fake checks, declared once per vendor API. ``check`` returns the :class:`Principal` of an
authorised request or None (the engine answers 401 in the vendor's error shape with ``challenge`` headers).
Schemes that issue credentials (OAuth2 client credentials) also serve their endpoint (``routes``).

Adding a scheme (refresh tokens, session login, signed requests) is one class with ``check`` and, when it
issues tokens, ``routes``: the engine needs nothing else.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the credential's name and, for tokens issued for a user, that user (``sub``)."""

    name: str
    sub: str | None = None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """(user, password) of an ``Authorization: Basic`` header, or None."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or len(encoded) > 4096:
        return None
    try:
        user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return user, password


class Auth:
    """The scheme interface."""

    challenge: dict[str, str] = {}

    def check(self, request: Request) -> Principal | None:
        raise NotImplementedError

    def routes(self) -> list[Route]:
        return []

    def describe(self) -> dict[str, str]:
        """The credentials, for ``atsbridge fake-ats`` to print."""
        return {}


class BasicAuth(Auth):
    """HTTP Basic. Lever and BambooHR put the API key in the user name with a blank (or any) password."""

    def __init__(self, user: str, password: str | None = "", realm: str = "API") -> None:
        self.user, self.password = user, password
        self.challenge = {"WWW-Authenticate": f'Basic realm="{realm}"'}

    def check(self, request: Request) -> Principal | None:
        found = basic_credentials(request)
        if found is None or not _same(found[0], self.user):
            return None
        if self.password is not None and not _same(found[1], self.password):
            return None
        return Principal(found[0])

    def describe(self) -> dict[str, str]:
        return {"user": self.user, "password": self.password or ""}


class HeaderKey(Auth):
    """A static key in a header: ``Authorization: Bearer <key>`` (``prefix="Bearer "``), ``X-Api-Key``..."""

    def __init__(self, key: str, header: str = "Authorization", prefix: str = "Bearer ") -> None:
        self.key, self.header, self.prefix = key, header, prefix

    def check(self, request: Request) -> Principal | None:
        value = request.headers.get(self.header, "")
        if not value.startswith(self.prefix) or not _same(value[len(self.prefix) :], self.key):
            return None
        return Principal(self.key)

    def describe(self) -> dict[str, str]:
        return {"header": self.header, "value": self.prefix + self.key}


class QueryKey(Auth):
    """A static key in a query parameter (``?api_key=``)."""

    def __init__(self, key: str, param: str = "api_key") -> None:
        self.key, self.param = key, param

    def check(self, request: Request) -> Principal | None:
        value = request.query_params.get(self.param, "")
        return Principal(self.key) if value and _same(value, self.key) else None

    def describe(self) -> dict[str, str]:
        return {"query": f"{self.param}={self.key}"}


def expires_at_answer(token: str, expires: float) -> dict[str, Any]:
    """Greenhouse v3's token answer: an absolute ``expires_at``."""
    stamp = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"access_token": token, "token_type": "Bearer", "expires_at": stamp}


def expires_in_answer(token: str, expires: float) -> dict[str, Any]:
    """RFC 6749's answer: relative ``expires_in`` seconds."""
    return {"access_token": token, "token_type": "Bearer", "expires_in": int(expires - time.time())}


class OAuth2ClientCredentials(Auth):
    """``POST <path>`` with ``grant_type=client_credentials`` and the client in Basic auth or the form; answers
    a bearer token valid ``ttl`` seconds. A form ``sub`` names the user the token acts as.
    :meth:`expire_tokens` and :meth:`expire_tokens_after` kill tokens (the connector must fetch a new one)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        path: str = "/token",
        ttl: float = 3600.0,
        answer: Callable[[str, float], dict[str, Any]] = expires_in_answer,
        json_body: bool = False,
    ) -> None:
        #: The grant comes as a JSON object with the client inside (Eploy), not as a form.
        self.json_body = json_body
        self.client_id, self.client_secret, self.path, self.ttl, self.answer = (
            client_id,
            client_secret,
            path,
            ttl,
            answer,
        )
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[float, str | None]] = {}
        self._countdown: int | None = None
        self.issued = 0

    def issue(self, client_id: str, client_secret: str, sub: str | None = None) -> tuple[str, float] | None:
        if not (_same(client_id, self.client_id) and _same(client_secret, self.client_secret)):
            return None
        token, expires = secrets.token_urlsafe(24), time.time() + self.ttl
        with self._lock:
            self._tokens[token] = (expires, sub or None)
            self.issued += 1
        return token, expires

    def preissue(self, token: str) -> None:
        """A fixed token that never expires (a generic test's one authenticated request); ``expire_tokens``
        kills it like any other."""
        with self._lock:
            self._tokens[token] = (float("inf"), None)

    def check(self, request: Request) -> Principal | None:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return None
        token = auth.removeprefix("Bearer ")
        with self._lock:
            if self._countdown is not None:
                self._countdown -= 1
                if self._countdown <= 0:
                    self._tokens.clear()
                    self._countdown = None
            expires, sub = self._tokens.get(token, (0.0, None))
        return Principal(token, sub) if expires > time.time() else None

    def expire_tokens(self) -> None:
        """Every token issued so far is expired now."""
        with self._lock:
            self._tokens.clear()
            self._countdown = None

    def expire_tokens_after(self, requests: int) -> None:
        """Expire every token once this many more authenticated requests arrived (a token dying mid-sync)."""
        with self._lock:
            self._countdown = requests

    async def _token(self, request: Request) -> Response:
        raw = await request.body()
        if len(raw) > 16_384:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        form = self._json_form(raw) if self.json_body else parse_qs(raw.decode(errors="replace"))
        if form.get("grant_type") != ["client_credentials"]:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        client = basic_credentials(request) or (
            (form.get("client_id") or [""])[0],
            (form.get("client_secret") or [""])[0],
        )
        issued = self.issue(*client, sub=(form.get("sub") or [""])[0] or None)
        if issued is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        return JSONResponse(self.answer(*issued))

    @staticmethod
    def _json_form(raw: bytes) -> dict[str, list[str]]:
        """A JSON grant read as the form ``parse_qs`` would give (a body that is not a JSON object: empty)."""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return {}
        if not isinstance(body, dict):
            return {}
        return {k: [v] for k, v in body.items() if isinstance(v, str)}

    def routes(self) -> list[Route]:
        return [Route(self.path, self._token, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.client_secret, "token_url": self.path}


class SessionLogin(Auth):
    """``POST <path>`` with a JSON body of credentials (``credentials``: JSON name -> expected value) answers
    ``{token_key: <token>}``; later requests send ``Authorization: <prefix><token>`` (HRworks' key-pair login).
    A refused login answers ``refused(message)`` (the vendor's error body) with 401. :meth:`expire_tokens` kills
    every session (the connector must log in again); ``demo_token``, when set, is always valid (a fixed session
    for demos and generic probes, never issued by a login)."""

    def __init__(
        self, path: str, credentials: dict[str, str], *, token_key: str = "token", prefix: str = "Bearer ",
        refused: Callable[[str], Any] = lambda message: {"message": message}, demo_token: str | None = None,
    ) -> None:  # fmt: skip
        self.path, self.credentials, self.token_key, self.prefix = path, credentials, token_key, prefix
        self.refused, self.demo_token = refused, demo_token
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        self.issued = 0

    def check(self, request: Request) -> Principal | None:
        value = request.headers.get("authorization", "")
        token = value[len(self.prefix) :] if value.startswith(self.prefix) else ""
        if token and self.demo_token is not None and _same(token, self.demo_token):
            return Principal("demo")
        with self._lock:
            return Principal("session") if token in self._tokens else None

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    async def _login(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if len(raw) <= 16_384 else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse(self.refused("The request body must be a JSON object."), status_code=400)
        if not all(isinstance(body.get(k), str) and _same(body[k], v) for k, v in self.credentials.items()):
            return JSONResponse(self.refused("The credentials are invalid."), status_code=401)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens.add(token)
            self.issued += 1
        return JSONResponse({self.token_key: token})

    def routes(self) -> list[Route]:
        return [Route(self.path, self._login, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {**self.credentials, "login": f"POST {self.path}"}


class JsonClientCredentials(OAuth2ClientCredentials):
    """OAuth2 client credentials read from a **JSON body** with renamed fields (Cornerstone's
    ``{clientId, clientSecret, grantType, scope}``); a form body or Basic auth is refused as the vendor does
    (400), and the granted ``scope`` is echoed in the answer."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        path: str = "/token",
        ttl: float = 3600.0,
        names: tuple[str, str, str] = ("clientId", "clientSecret", "grantType"),
    ) -> None:
        super().__init__(client_id, client_secret, path=path, ttl=ttl)
        self.names = names
        self.scopes: list[str] = []

    def grant(self, token: str, ttl: float = 10 * 365 * 86400.0) -> None:
        """Issue ``token`` without a token request (a fixed probe token for generic tests and demos)."""
        with self._lock:
            self._tokens[token] = (time.time() + ttl, None)

    async def _token(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if 0 < len(raw) <= 16_384 else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": "invalid_request", "error_description": "a JSON body is required"}, 400)
        id_name, secret_name, grant_name = self.names
        if body.get(grant_name) != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        issued = self.issue(str(body.get(id_name) or ""), str(body.get(secret_name) or ""))
        if issued is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        self.scopes.append(str(body.get("scope") or ""))
        return JSONResponse({**self.answer(*issued), "scope": body.get("scope")})
