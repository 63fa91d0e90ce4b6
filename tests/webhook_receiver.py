"""A real webhook receiver for tests: a Starlette app on a loopback port that records raw requests and
answers as a scripted behaviour says (status codes, or sleeping past the sender's timeout)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.testing import serve_asgi

#: A behaviour gets the parsed body and the number of requests seen so far; returns a status code, or a
#: negative number of seconds to sleep before answering 200 (a slow receiver).
Behaviour = Callable[[dict[str, object], int], int | float]


def independent_signature(secret: str, raw: bytes) -> str:
    """The receiver's own implementation of the contract (not atsbridge's code)."""
    mac = hmac.new(secret.encode(), raw, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


@dataclass(frozen=True)
class Received:
    raw: bytes
    headers: dict[str, str]
    status: int
    at: float

    @property
    def payload(self) -> dict[str, object]:
        parsed: dict[str, object] = orjson.loads(self.raw)
        return parsed

    @property
    def event_id(self) -> str:
        return str(self.payload["id"])


class Receiver:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or (lambda _body, _n: 200)
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.url = ""

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            raw = await request.body()
            with self.lock:
                n = len(self.requests)
            answer = self.behaviour(orjson.loads(raw), n)
            if answer < 0:  # recorded as status 0: the sender has given up by the time we answer
                with self.lock:
                    self.requests.append(Received(raw, dict(request.headers), 0, time.monotonic()))
                await asyncio.sleep(-answer)
                return Response(b"too late", status_code=200)
            status = int(answer)
            with self.lock:
                self.requests.append(Received(raw, dict(request.headers), status, time.monotonic()))
            return Response(b"ok" if status < 300 else b"receiver says no", status_code=status)

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])

    def ok(self) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if 200 <= r.status < 300]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received {len(self.requests)} requests")
            time.sleep(0.02)


@contextmanager
def receiver(behaviour: Behaviour | None = None) -> Iterator[Receiver]:
    rec = Receiver(behaviour)
    with serve_asgi(rec.app()) as base:
        rec.url = base + "/hook"
        yield rec
