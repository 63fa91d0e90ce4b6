"""Client-side pacing: a sliding-window limiter per integration, plus waits the vendor asks for."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` per ``per_seconds`` (the vendor's documented budget)."""

    requests: int
    per_seconds: float


class Limiter:
    """Paces requests. The static budget is a fallback: once the vendor reports its own limits in
    ``X-RateLimit-*`` headers, those (remaining + reset) drive the pacing instead, so a tenant with a higher
    limit is not slowed to the documented default and one with a lower limit is not flooded."""

    def __init__(self, limit: RateLimit | None, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.clock = clock
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()
        self.header_driven = False

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                wait = self._blocked_until - now
                if self.limit is not None and not self.header_driven:
                    while self._sent and now - self._sent[0] >= self.limit.per_seconds:
                        self._sent.popleft()
                    if len(self._sent) >= self.limit.requests:
                        wait = max(wait, self.limit.per_seconds - (now - self._sent[0]))
                if wait <= 0:
                    self._sent.append(now)
                    return
                await asyncio.sleep(wait)

    def block_for(self, seconds: float) -> None:
        """The vendor said to wait (Retry-After, or an exhausted X-RateLimit-Remaining)."""
        self._blocked_until = max(self._blocked_until, self.clock() + seconds)


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds the vendor asks us to wait: ``retry-after-ms``, ``Retry-After`` (seconds or HTTP date),
    or ``X-RateLimit-Reset`` (epoch seconds or seconds-from-now)."""
    headers = response.headers
    if "retry-after-ms" in headers:
        try:
            return max(float(headers["retry-after-ms"]) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value:
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
            except (TypeError, ValueError):
                pass
    reset = headers.get("x-ratelimit-reset") or headers.get("x-rate-limit-reset")
    if reset:
        try:
            number = float(reset)
        except ValueError:
            return None
        current = time.time() if now is None else now
        return max(number - current, 0.0) if number > 1e9 else max(number, 0.0)
    return None


def remaining(response: httpx.Response) -> int | None:
    value = response.headers.get("x-ratelimit-remaining") or response.headers.get("x-rate-limit-remaining")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
