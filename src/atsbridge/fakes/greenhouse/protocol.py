"""What every fake v3 API request goes through before it is served: latency, the bearer token, planned
faults and the fixed-window rate limit. Reads and writes share it, so every knob works on both."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.greenhouse.state import FakeState, Fault, Json


def errors(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """v3's error body for protocol-level refusals: ``{"errors": ["..."]}``."""
    return JSONResponse({"errors": [message]}, status_code=status, headers=headers)


@dataclass
class Admitted:
    """A request past the guard: its token, rate-limit headers and the faults that act on the answer."""

    token: str
    headers: dict[str, str]
    late: list[Fault] = field(default_factory=list)

    @property
    def truncate(self) -> bool:
        return any(f.kind == "truncate" for f in self.late)

    @property
    def stall(self) -> float:
        return max((f.seconds for f in self.late if f.kind == "stall"), default=0.0)


def _target(request: Request) -> str:
    return request.url.path + ("?" + request.url.query if request.url.query else "")


async def guard(fake: FakeState, request: Request, write: tuple[str, Any] | None = None) -> Admitted | Response:
    """Admit the request, or the response Greenhouse would give instead. ``write`` is (method, body)."""
    if fake.latency:
        await asyncio.sleep(fake.latency)
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ")
    if not auth.startswith("Bearer ") or not fake.authorize(token):
        fake.counters["401"] += 1
        return errors(401, "Unauthorized: missing, invalid or expired access token")
    late: list[Fault] = []
    for fault in fake.begin_request(_target(request), write):
        if fault.kind == "slow":
            await asyncio.sleep(fault.seconds)
        elif fault.kind in ("truncate", "stall"):
            late.append(fault)
        else:
            fake.counters[str(fault.status)] += 1
            headers = {"Retry-After": f"{fault.seconds:g}"}
            if fault.kind == "storm":
                headers.update({"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0"})
                return errors(429, "Rate limit exceeded", headers)
            return errors(fault.status, "Service unavailable", headers)
    allowed, limit_headers = fake.admit()
    if not allowed:
        fake.counters["429"] += 1
        return errors(429, "Rate limit exceeded", limit_headers)
    return Admitted(token, limit_headers, late)


def json_body(data: Json | list[Json], admitted: Admitted, status: int = 200) -> Response:
    body = orjson.dumps(data)
    if admitted.truncate:
        body = body[: len(body) // 2]
    return Response(body, status_code=status, media_type="application/json", headers=admitted.headers)
