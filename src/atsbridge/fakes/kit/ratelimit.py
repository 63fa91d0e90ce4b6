"""Rate-limit policies, declared once per vendor API: the window, and the headers a vendor sends with its
answers and with its 429s. ``admit()`` returns a :class:`Verdict`; the engine turns a refusal into the vendor's
429 body (:mod:`errors`) with these headers."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str] = field(default_factory=dict)


class RateLimit:
    """The policy interface. ``storm_headers`` are what an injected 429 carries (no window consumed)."""

    def admit(self) -> Verdict:
        raise NotImplementedError

    def storm_headers(self, retry_after: float) -> dict[str, str]:
        return {"Retry-After": _seconds(retry_after)}


def _seconds(value: float) -> str:
    return f"{value:g}"


class FixedWindow(RateLimit):
    """``limit`` requests per ``per`` seconds from the window's first request; ``X-RateLimit-*`` headers on
    every answer when ``announce`` (Greenhouse, Teamtailor, Recruitee...)."""

    def __init__(self, limit: int, per: float, *, announce: bool = True, prefix: str = "X-RateLimit-"):
        self.limit, self.per, self.announce, self.prefix = limit, per, announce, prefix
        self._lock = threading.Lock()
        self._window = (0.0, 0)

    def admit(self) -> Verdict:
        now = time.time()
        with self._lock:
            start, count = self._window
            if now - start >= self.per:
                start, count = now, 0
            count += 1
            self._window = (start, count)
        reset = start + self.per
        headers = {}
        if self.announce:
            headers = {
                f"{self.prefix}Limit": str(self.limit),
                f"{self.prefix}Remaining": str(max(self.limit - count, 0)),
                f"{self.prefix}Reset": str(math.ceil(reset)),
            }
        if count > self.limit:
            return Verdict(False, {**headers, "Retry-After": str(max(math.ceil(reset - now), 1))})
        return Verdict(True, headers)

    def storm_headers(self, retry_after: float) -> dict[str, str]:
        headers = {"Retry-After": _seconds(retry_after)}
        if self.announce:
            headers.update({f"{self.prefix}Limit": str(self.limit), f"{self.prefix}Remaining": "0"})
        return headers


def fixed_window(rate: tuple[int, float] | None, *, announce: bool = False,
                 prefix: str = "X-RateLimit-") -> FixedWindow | None:  # fmt: skip
    """A vendor state's window from its ``rate`` field (``(limit, per)``; None: no limit). Most vendors send no
    rate-limit headers, hence ``announce`` off unless asked."""
    return FixedWindow(*rate, announce=announce, prefix=prefix) if rate else None


class TokenBucket(RateLimit):
    """``rate`` tokens per second, bursts up to ``burst`` (Lever: 10/s, burst 20). ``retry_format`` writes
    the seconds of ``Retry-After`` the vendor's way."""

    def __init__(self, rate: float, burst: float, *, retry_format: Callable[[float], str] = lambda s: f"{s:.3f}"):
        self.rate, self.burst, self.retry_format = rate, burst, retry_format
        self._lock = threading.Lock()
        self.tokens, self.stamp = burst, time.monotonic()

    def take(self) -> float | None:
        """None if a request may pass, else the seconds until a token is available."""
        with self._lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return None
            return (1 - self.tokens) / self.rate

    def admit(self) -> Verdict:
        wait = self.take()
        return Verdict(True) if wait is None else Verdict(False, {"Retry-After": self.retry_format(max(wait, 0.0))})

    def storm_headers(self, retry_after: float) -> dict[str, str]:
        return {"Retry-After": self.retry_format(max(retry_after, 0.0))}
