"""The request-body guard: authenticate before reading, cap while reading, and give up on slow senders.

Without it a body was read (and JSON-parsed) in full before anyone looked at the API key, with no size
limit: one unauthenticated 200 MB POST cost 600 MB of memory and got a 400. Now, for every request that
carries a body:

1. ``/v1`` requests must present a valid API key first; a missing or wrong one gets its 401 while the body
   is still unread (the connection is then closed, so the client cannot keep streaming into it).
2. A declared ``Content-Length`` over the limit is refused at once (413); a chunked body, or one whose
   declared length lies, is counted while it arrives and refused the moment it crosses the limit.
3. The whole body must arrive within ``body_timeout_seconds``, with no pause over ``body_idle_seconds``
   (408): a client trickling a body holds no connection for long.

The body is then handed to the application in one piece (every route here takes a bounded JSON or form
body). Limits: ``max_body_bytes`` for the API, ``max_form_bytes`` for the HTML pages' form posts.
"""

from __future__ import annotations

import asyncio

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atsbridge.api.deps import key_environment
from atsbridge.core.errors import ApiError, input_invalid
from atsbridge.core.limits import mib
from atsbridge.runtime.state import AppState

#: ``/v1`` paths a request with a body may reach without an API key: signed file links, and vendor webhook
#: deliveries (authenticated by their path token and the vendor's signature, with the small form cap).
_VENDOR_WEBHOOKS = "/v1/vendor-webhooks/"
_PUBLIC_API_PREFIXES = ("/v1/files/", _VENDOR_WEBHOOKS)


class _Refused(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _answer(send: Send, error: ApiError) -> None:
    """The contract's envelope, with ``Connection: close``: the body may be unread, so the connection is done."""
    body = orjson.dumps(error.envelope())
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    """Pure ASGI middleware (no request object is built before the checks)."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        chunked = _header(scope, b"transfer-encoding") is not None
        if not chunked and (length is None or length.strip() == "0"):
            await self.app(scope, receive, send)  # no body: nothing to guard
            return
        api = scope["path"].startswith("/v1/")
        try:
            limit = self._check_before_reading(scope, length, api)
            body = await self._read(receive, limit, api)
        except _Refused as refused:
            await _answer(send, refused.error)
            return
        if body is None:
            return  # the client went away mid-body; nobody to answer
        await self.app(scope, _replay(body, receive), send)

    def _check_before_reading(self, scope: Scope, length: str | None, api: bool) -> int:
        settings = self.state.settings
        if api and not scope["path"].startswith(_PUBLIC_API_PREFIXES):
            try:
                key_environment(self.state, _header(scope, b"authorization") or "")
            except ApiError as exc:
                raise _Refused(exc) from None
        small = not api or scope["path"].startswith(_VENDOR_WEBHOOKS)
        limit = settings.max_form_bytes if small else settings.max_body_bytes
        if length is not None:
            if not length.strip().isdigit():
                raise _Refused(input_invalid(f"Content-Length: {length[:40]!r} is not a byte count"))
            if int(length) > limit:
                raise _Refused(_too_large(limit, api))
        return limit

    async def _read(self, receive: Receive, limit: int, api: bool) -> bytes | None:
        settings = self.state.settings
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settings.body_timeout_seconds
        chunks: list[bytes] = []
        size = 0
        while True:
            wait = min(settings.body_idle_seconds, deadline - loop.time())
            try:
                async with asyncio.timeout(max(wait, 0)):
                    message = await receive()
            except TimeoutError:
                raise _Refused(_too_slow(settings.body_timeout_seconds, settings.body_idle_seconds)) from None
            if message["type"] == "http.disconnect":
                return None
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _Refused(_too_large(limit, api))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, as one message; after it, the real channel (for disconnect notices)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _too_large(limit: int, api: bool) -> ApiError:
    setting = "ATSBRIDGE_MAX_BODY_BYTES" if api else "ATSBRIDGE_MAX_FORM_BYTES"
    return ApiError(
        "PLATFORM.INPUT_INVALID",
        f"request body: larger than the limit of {limit} bytes ({mib(limit)}, {setting}); "
        "send large files as a data_url",
        status=413,
        title="Request body too large",
    )


def _too_slow(total: float, idle: float) -> ApiError:
    return ApiError(
        "PLATFORM.INPUT_INVALID",
        f"request body: not received in time (all of it within {total:g} s, no pause over {idle:g} s)",
        status=408,
        title="Request body too slow",
    )
