"""How uvicorn serves the app: connection-level limits no ASGI middleware can enforce.

uvicorn 0.54 has no deadline for a request's headers: a client that connects and sends nothing, or half a
request line, holds its connection (and a slot) for as long as it likes, and httptools has no cap on the
header size either. :class:`GuardedHttpToolsProtocol` adds both: the request line and headers must arrive
within ``header_timeout_seconds`` (counted from the connection, or from the first byte of a kept-alive
connection's next request; idle kept-alive connections are closed by uvicorn's own ``timeout_keep_alive``)
and may not exceed ``max_header_bytes``. Slow *bodies* are the body guard's job
(:mod:`atsbridge.api.bodyguard`), since the application is the one reading them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from atsbridge.core.config import Settings
from atsbridge.core.errors import ApiError


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline and a header size cap."""

    header_timeout: float = 10.0
    max_header_bytes: int = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0

    # -- the deadline runs while a request's line and headers are incomplete
    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_bytes = 0
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_timer is not None and not self.transport.is_closing():
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header_bytes:
                self._disarm()
                self._refuse(431, f"request headers: larger than {self.max_header_bytes} bytes")

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # a response is under way: no room for a second one
            return
        self._refuse(408, f"request headers: not received within {self.header_timeout:g} s")

    def _refuse(self, status: int, message: str) -> None:
        """Answer with the contract's envelope and close: the request never reached the application."""
        body = orjson.dumps(ApiError("PLATFORM.INPUT_INVALID", message, status=status).envelope())
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.Config`` / ``uvicorn.run`` carrying the edge limits of ``settings``."""
    protocol = type(
        "AtsbridgeHttpProtocol",
        (GuardedHttpToolsProtocol,),
        {"header_timeout": settings.header_timeout_seconds, "max_header_bytes": settings.max_header_bytes},
    )
    return {
        "http": protocol,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
    }
