"""Turning faults and refusals into answers, in one place, so a fault does the same thing on every fake."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import orjson
from starlette.responses import Response

from atsbridge.fakes.kit.errors import ErrorShape, VendorError
from atsbridge.fakes.kit.faults import EARLY, Fault
from atsbridge.fakes.kit.paging import Pager
from atsbridge.fakes.kit.ratelimit import RateLimit


def error_response(shape: ErrorShape, error: VendorError, headers: dict[str, str] | None = None) -> Response:
    """The vendor's refusal. A shape may answer a whole ``Response`` (an empty body with the message in a
    header, as BambooHR does); the status and headers are added to it."""
    body = shape(error)
    merged = {**(headers or {}), **error.headers}
    if isinstance(body, Response):
        body.status_code = error.status
        body.headers.update(merged)
        return body
    return Response(orjson.dumps(body), status_code=error.status, media_type="application/json", headers=merged)


async def early(faults: Sequence[Fault], limit: RateLimit | None, pager: Pager | None,
                query: dict[str, str]) -> VendorError | None:  # fmt: skip
    """Wait out ``slow`` faults; the refusal an early fault makes instead of serving (None: serve)."""
    for fault in faults:
        if fault.kind == "slow":
            await asyncio.sleep(fault.seconds)
    for fault in faults:
        if fault.kind not in EARLY:
            continue
        if fault.kind == "timeout":
            await asyncio.sleep(fault.seconds)
            return VendorError(504, "Gateway timeout")
        if fault.kind == "storm":
            headers = limit.storm_headers(fault.seconds) if limit else {"Retry-After": f"{fault.seconds:g}"}
            return VendorError(429, "Rate limit exceeded", headers=headers)
        if fault.kind == "invalid_page":
            token = query.get(fault.query or "", "")
            return pager.invalid(token) if pager else VendorError(400, f"Invalid page token: {token[:60]}")
        return VendorError(fault.status, "Service unavailable", headers={"Retry-After": f"{fault.seconds:g}"})
    return None


def truncated(body: bytes) -> bytes:
    """Half the body: valid HTTP (matching Content-Length), broken JSON."""
    return body[: max(1, len(body) // 2)]


async def late(faults: Sequence[Fault], response: Response) -> Response:
    """Apply ``stall`` (answer late; the work is done) and ``truncate`` to a served answer."""
    stall = max((f.seconds for f in faults if f.kind == "stall"), default=0.0)
    if stall:
        await asyncio.sleep(stall)
    if any(f.kind == "truncate" for f in faults) and response.status_code < 400:
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(truncated(bytes(response.body)), status_code=response.status_code, headers=headers)
    return response
