"""JSON-RPC 2.0 over the kit's HTTP client, written once for every JSON-RPC vendor (OTYS first).

A JSON-RPC service answers **HTTP 200 for its errors** (``{"error": {"code", "message"}}``) and takes every call,
listings included, as ``POST`` of ``{"jsonrpc": "2.0", "method", "params": [...], "id"}``. The pieces:

* :class:`RpcErrors`: an :class:`~atsbridge.connectors.kit.errors.ErrorShape` that reads ``error.message`` and
  says which HTTP status an RPC error means (markers for credentials, throttling, missing records; the
  standard JSON-RPC codes otherwise).
* :class:`RpcApi`: a :class:`~atsbridge.connectors.kit.api.VendorApi` whose client sees an RPC error as the HTTP
  status it means (a transport wraps the vendor's), so retries, 429 backoff and ``401 -> INVALID`` work as for
  any REST vendor, and a page with an error never counts as a page.
* :class:`RpcSession`: the credential logs in with one RPC (``loginByUid(key)`` -> session id) and the session
  id goes in as the **first element of** ``params`` of every later call (the caller never writes it, so
  passthrough bodies get it too); a call refused as 401 (an expired session) logs in again, once.
* :class:`RpcOffset`: ``offset``/``limit`` inside one of the call's params, until a short page or ``totalCount``.
* :func:`body`, :func:`call` (one call, its ``result``) and :func:`listed` (a paged call as a stream read, with
  its delta filter inside the body).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.kit.api import VendorApi
from atsbridge.connectors.kit.auth import OneKey, credential
from atsbridge.connectors.kit.errors import MAX_ERROR_TEXT, ErrorShape
from atsbridge.connectors.kit.reads import Custom
from atsbridge.connectors.kit.writes import create_request

if TYPE_CHECKING:
    from atsbridge.connectors.kit.source import KitSource, Pages

Raw = dict[str, Any]

__all__ = ["RpcApi", "RpcErrors", "RpcOffset", "RpcSession", "body", "call", "error_of", "listed"]

_IDS = itertools.count(1)


def body(method: str, *params: Any) -> Raw:
    """A JSON-RPC 2.0 request (a session auth puts the session id before ``params``)."""
    return {"jsonrpc": "2.0", "method": method, "params": list(params), "id": next(_IDS)}


def error_of(answer: Any) -> Raw | None:
    """The ``error`` member of an answer, None when it has none (``"error": null`` is success)."""
    if isinstance(answer, dict) and answer.get("error") not in (None, False, "", {}):
        found = answer["error"]
        return found if isinstance(found, dict) else {"message": str(found)}
    return None


def _json(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except ValueError:
        return None


@dataclass(frozen=True)
class RpcErrors(ErrorShape):
    """Which HTTP status an RPC error means: markers in the message (case-insensitive) first, then the code."""

    #: The session or the credential was refused: log in again once, then the integration is INVALID.
    auth_markers: tuple[str, ...] = ("login", "not logged in", "session")
    #: Slow down.
    throttle_markers: tuple[str, ...] = ("too many requests", "rate limit")
    #: The record named does not exist (a detail read tolerates it).
    missing_markers: tuple[str, ...] = ("not found", "does not exist")
    #: JSON-RPC 2.0's reserved codes; any other code is the vendor's refusal of the input (400).
    codes: Mapping[int, int] = field(
        default_factory=lambda: {-32700: 400, -32600: 400, -32601: 404, -32602: 400, -32603: 500}
    )

    def status_of_error(self, error: Raw) -> int:
        message = str(error.get("message") or "").lower()
        if any(m in message for m in self.auth_markers):
            return 401
        if any(m in message for m in self.throttle_markers):
            return 429
        if any(m in message for m in self.missing_markers):
            return 404
        code = error.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            if code in self.codes:
                return self.codes[code]
            if -32099 <= code <= -32000:
                return 500
        return 400

    def text(self, response: httpx.Response) -> str:
        found = error_of(_json(response.content[: MAX_ERROR_TEXT * 50]))
        if found is None:
            return response.text[:MAX_ERROR_TEXT]
        code = found.get("code")
        return f"{found.get('message')}" + (f" (code {code})" if code is not None else "")


class RpcTransport(httpx.AsyncBaseTransport):
    """An HTTP 200 carrying an RPC ``error`` becomes the status :class:`RpcErrors` says it means (the body kept)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, errors: RpcErrors) -> None:
        self.inner, self.errors = inner, errors

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if response.status_code != 200:
            return response
        raw = httpx.Response(200, headers=response.headers, stream=response.stream, request=request)
        content = await raw.aread()  # decoded: the headers naming the encoding are dropped below
        await response.aclose()
        found = error_of(_json(content))
        status = 200 if found is None else self.errors.status_of_error(found)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-encoding",
                                                                                  "content-length")]  # fmt: skip
        return httpx.Response(status, headers=headers, content=content, request=request,
                              extensions=response.extensions)  # fmt: skip

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class RpcApi(VendorApi):
    """A :class:`VendorApi` whose RPC errors (sent with HTTP 200) arrive as the HTTP status they mean."""

    errors: ErrorShape = field(default_factory=RpcErrors)

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        shape = self.errors if isinstance(self.errors, RpcErrors) else RpcErrors()
        return super().client(info, RpcTransport(transport or httpx.AsyncHTTPTransport(), shape))


@dataclass(frozen=True)
class RpcSession(OneKey):
    """``login_method(key)`` answers the session id (``result``); it goes first in every call's ``params``."""

    key: FormField
    login_method: str = "loginByUid"

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _RpcSessionAuth(self, credential(info, self.key), transport)


def _refused(status: int, message: str) -> RemoteError:
    if status == 429:
        return RemoteError("REMOTE.RATE_LIMIT_EXCEEDED", f"the ATS rate limited the login: {message}", retryable=True)
    if status >= 500:
        return RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"the ATS's login failed ({status})", retryable=True)
    return RemoteError(
        "INTEGRATION.AUTHENTICATION_INVALID", f"the ATS refused the API key (401): {message}", status=401
    )


class _RpcSessionAuth(httpx.Auth):
    requires_request_body = True

    def __init__(self, decl: RpcSession, key: str, transport: httpx.AsyncBaseTransport | None) -> None:
        self.decl, self.key, self.transport = decl, key, transport
        self.session: str | None = None
        self._lock = asyncio.Lock()  # concurrent calls share one login

    async def _login(self, url: httpx.URL) -> str:
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            try:
                response = await client.post(url, json=body(self.decl.login_method, self.key))
            except httpx.HTTPError as exc:
                raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"could not reach the ATS's login: "
                                  f"{type(exc).__name__}", retryable=True) from exc  # fmt: skip
        answer = _json(response.content)
        found = error_of(answer)
        if response.status_code != 200 or found is not None:
            status = 401 if response.status_code in (200, 400, 403, 404) else response.status_code
            raise _refused(status, str((found or {}).get("message") or response.status_code)[:200])
        session = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(session, str) or not session:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS's login answer has no session id")
        return session

    async def _renew(self, url: httpx.URL, stale: str | None) -> str:
        async with self._lock:
            if self.session is None or self.session == stale:
                self.session = await self._login(url)
            return self.session

    def _sign(self, request: httpx.Request, session: str, envelope: Raw) -> None:
        content = orjson.dumps({**envelope, "params": [session, *envelope["params"]]})
        request.stream = httpx.ByteStream(content)
        request._content = content  # noqa: SLF001 - httpx keeps the read body here; the transport sends stream
        request.headers["Content-Length"] = str(len(content))

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        envelope = _json(request.content) if request.content else None
        if not (isinstance(envelope, dict) and isinstance(envelope.get("params"), list)
                and envelope.get("method") != self.decl.login_method):  # fmt: skip
            yield request  # not a call (a file upload...): as it is
            return
        session = self.session or await self._renew(request.url, None)
        self._sign(request, session, envelope)
        response = yield request
        if response.status_code == 401:  # the session expired: log in again, once
            self._sign(request, await self._renew(request.url, session), envelope)
            yield request


@dataclass(frozen=True)
class RpcOffset:
    """``offset``/``limit`` inside ``params[arg]`` of the call; ends on a short page or at ``total_path``."""

    arg: int = 0
    offset_key: str = "offset"
    limit_key: str = "limit"
    page_size: int = 200
    records_path: str | None = "result.listOutput"
    total_path: str | None = "result.totalCount"

    def _with(self, request: PageRequest, offset: int) -> PageRequest:
        envelope = dict(request.json or {})
        params = list(envelope.get("params") or [])
        while len(params) <= self.arg:
            params.append({})
        params[self.arg] = {**(params[self.arg] or {}), self.offset_key: offset, self.limit_key: self.page_size}
        return replace(request, json={**envelope, "params": params})

    def first(self, request: PageRequest) -> PageRequest:
        return self._with(request, 0)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        records = dig(body, self.records_path) or []
        offset = int(((request.json or {}).get("params") or [{}])[self.arg].get(self.offset_key, 0))
        total = dig(body, self.total_path) if self.total_path else None
        if len(records) < self.page_size or (isinstance(total, int) and offset + self.page_size >= total):
            return None
        return self._with(request, offset + self.page_size)


async def call(client: HttpClient, path: str, method: str, *params: Any, create: bool = False,
               retry: bool = True) -> Any:  # fmt: skip
    """One call's ``result``. ``create``: a non-idempotent call, never re-sent on a 5xx or a timeout."""
    request = body(method, *params)
    if create:
        response = await create_request(client, "POST", path, json=request)
    else:
        response = await client.request("POST", path, json=request, retry=retry)
    answer = _json(response.content)
    if not isinstance(answer, dict) or "result" not in answer:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{method}: the ATS answered without a JSON-RPC result",
                          retryable=True)  # fmt: skip
    return answer["result"]


def listed(name: str, path: str, method: str, args: Raw, *, since: Callable[[datetime], Raw] | None = None,
           extra: tuple[Any, ...] = ()) -> Custom:  # fmt: skip
    """A paged call (``method(args, *extra)``, the API's pager) as a stream read. ``since(ts)`` returns what a
    delta run merges into ``args`` (a date condition): the filter travels inside the POST body."""

    async def fetch(source: KitSource, changed_since: datetime | None) -> Pages:
        merged = {**args, **(since(changed_since) if since is not None and changed_since is not None else {})}
        async for page in source.listing(name, path, method="POST", body=body(method, merged, *extra)):
            yield page

    return Custom(fetch, reason="JSON-RPC: the call, its paging and its delta filter travel in the POST body",
                  incremental=since is not None)  # fmt: skip
