"""The control API and the kit's fault API for a fake not yet declared on the engine: :func:`attach` mounts
``/__fake/...`` on its Starlette app and wraps it in :class:`FaultLayer`, an ASGI layer that logs every API
request and applies the kit's faults around the vendor's own handling (which still does auth, rate limits and
its own older knobs). A fault armed here means the same as on an engine fake, except that it acts before the
vendor's auth check. Moving the vendor onto the engine removes this adapter."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atsbridge.fakes.kit.control import PREFIX, control_routes
from atsbridge.fakes.kit.errors import ErrorShape, VendorError
from atsbridge.fakes.kit.log import BODY_KEPT, Logged
from atsbridge.fakes.kit.ratelimit import RateLimit
from atsbridge.fakes.kit.respond import early, error_response, truncated
from atsbridge.fakes.kit.spec import MAX_BODY, Hooks
from atsbridge.fakes.kit.state import FakeBase


class FaultLayer:
    def __init__(self, app: ASGIApp, kit: FakeBase, errors: ErrorShape, limit: RateLimit | None = None) -> None:
        self.app, self.kit, self.errors, self.limit = app, kit, errors, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                await error_response(self.errors, VendorError(413, "Request body too large"))(scope, receive, send)
                return
        query_text = scope.get("query_string", b"").decode(errors="replace")
        query = dict(parse_qsl(query_text))
        entry = Logged(scope["method"], scope["path"], query_text, body[:BODY_KEPT])
        self.kit.log.add(entry)
        faults = self.kit.faults.begin(scope["method"], scope["path"], query)
        refusal = await early(faults, self.limit, None, query)
        if refusal is not None:
            entry.status = refusal.status
            await error_response(self.errors, refusal)(scope, receive, send)
            return

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        status = int(start.get("status", 500))
        entry.status = status
        content = b"".join(chunks)
        stall = max((f.seconds for f in faults if f.kind == "stall"), default=0.0)
        if stall:
            await asyncio.sleep(stall)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if any(f.kind == "truncate" for f in faults) and status < 400:
            content = truncated(content)
        headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def attach(app: Starlette, vendor: str, hooks: Hooks, errors: ErrorShape, limit: RateLimit | None = None) -> Starlette:
    """Give ``app`` (whose vendor state is ``app.state.fake``) the control API and the kit's fault API."""
    kit = FakeBase()
    app.state.kit = kit
    app.router.routes[:0] = control_routes(vendor, hooks)
    app.add_middleware(FaultLayer, kit=kit, errors=errors, limit=limit)
    return app
