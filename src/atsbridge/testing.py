"""Helpers for tests and benchmarks: serve an ASGI app on a real loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serve_asgi(app: Any, *, log_level: str = "warning", **options: Any) -> Iterator[str]:
    """Serve any ASGI app (our API, a fake vendor) on a free loopback port; yields its base URL.
    ``options`` go to ``uvicorn.Config`` (e.g. :func:`atsbridge.api.server.uvicorn_options`)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Accepted connections inherit this: small responses are not held back by Nagle + delayed ACKs (~40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options.setdefault("lifespan", "off")  # "on" runs the app's background work too (scheduler, dispatcher)
    srv = uvicorn.Server(uvicorn.Config(app, log_level=log_level, **options))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
