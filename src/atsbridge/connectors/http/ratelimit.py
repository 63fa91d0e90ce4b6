"""Client-side pacing: a sliding-window limiter per integration, waits the vendor asks for, and an adaptive
(AIMD) pace that a vendor's 429s lower and successes slowly raise again."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` per ``per_seconds`` (the vendor's documented budget)."""

    requests: int
    per_seconds: float


#: A 429 halves the adaptive pace (multiplicative decrease) ...
DECREASE = 0.5
#: ... and each success adds this share of the pace the vendor last accepted (additive increase: about 40
#: successes to climb back, so a vendor that just throttled us is not flooded again at once).
INCREASE_SHARE = 0.025
#: The adaptive pace is dropped once it climbs this far above the rate that drew the first 429.
RELEASE_FACTOR = 4.0
#: How far back the observed send rate is measured (the pace a first 429 halves).
OBSERVE_SECONDS = 2.0
#: The adaptive pace never drops below one request per twice the vendor's requested wait (its Retry-After
#: says how slow it wants us, not slower), counted as at least this ...
MIN_INTERVAL = 0.1
#: ... or, when a 429 names no wait, one request per this many seconds.
NO_HINT_INTERVAL = 2.0


#: Set while a write action runs: its requests go before the integration's reads (:class:`SharedBudget`).
WRITE_PRIORITY: ContextVar[bool] = ContextVar("atsbridge_write_priority", default=False)
#: How often a read waiting behind a write looks again.
_YIELD_SECONDS = 0.02


@contextlib.contextmanager
def write_priority() -> Iterator[None]:
    token = WRITE_PRIORITY.set(True)
    try:
        yield
    finally:
        WRITE_PRIORITY.reset(token)


class SharedBudget:
    """One integration's documented request budget, shared by every client of it in this process: a sync,
    the writes and passthrough calls made meanwhile, a webhook-triggered run. The vendor counts them all
    against one limit, so pacing each client alone would exceed it together. Writes go first: while a write
    waits for a slot, reads leave the next one to it (a customer's candidate is not queued behind a full sync).

    Thread-safe (syncs run on their own event loops in worker threads). It is one process's budget: in
    distributed mode (a sync in a worker process, writes in an API process) the processes share the budget
    through the database instead (:mod:`atsbridge.connectors.http.distributed_budget`), and this one stands in
    only while the database does not answer."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.clock = clock
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self._writes_waiting = 0

    def _try(self, write: bool) -> float:
        """Take a slot now (0.0) or say how long to wait before trying again."""
        with self._lock:
            now = self.clock()
            while self._sent and now - self._sent[0] >= self.limit.per_seconds:
                self._sent.popleft()
            if not write and self._writes_waiting:
                return _YIELD_SECONDS
            if len(self._sent) >= self.limit.requests:
                return max(self.limit.per_seconds - (now - self._sent[0]), 0.001)
            self._sent.append(now)
            return 0.0

    async def acquire(self, write: bool) -> None:
        if write:
            with self._lock:
                self._writes_waiting += 1
        try:
            while (wait := self._try(write)) > 0:
                await asyncio.sleep(wait)
        finally:
            if write:
                with self._lock:
                    self._writes_waiting -= 1


class Budget(Protocol):
    """An integration's request budget as a client sees it: wait for a slot, writes first."""

    async def acquire(self, write: bool) -> None: ...


#: Makes a budget shared beyond this process from the key, the limit and this process's own budget.
BudgetSource = Callable[[str, RateLimit, SharedBudget], Budget]
#: Budgets faster than this many requests per second are in effect unlimited: not worth a database round
#: trip per request, they stay in-process.
UNLIMITED_RATE = 1000.0

_BUDGETS: weakref.WeakValueDictionary[tuple[str, int, float], Budget] = weakref.WeakValueDictionary()
_BUDGETS_LOCK = threading.Lock()
_SOURCE: BudgetSource | None = None


def share_budgets(source: BudgetSource | None) -> None:
    """Budgets made from now on come from ``source`` (distributed mode, set once at start-up by the process
    that knows it runs distributed); None: this process's own budgets again (the default)."""
    global _SOURCE
    with _BUDGETS_LOCK:
        _SOURCE = source
        _BUDGETS.clear()


def shared_budget(key: str, limit: RateLimit) -> Budget:
    """The budget of ``key`` (an integration id) at ``limit``, alive while any client holds it."""
    with _BUDGETS_LOCK:
        found = _BUDGETS.get((key, limit.requests, limit.per_seconds))
        if found is None:
            found = local = SharedBudget(limit)
            if _SOURCE is not None and limit.requests / limit.per_seconds <= UNLIMITED_RATE:
                found = _SOURCE(key, limit, local)
            _BUDGETS[(key, limit.requests, limit.per_seconds)] = found
        return found


class Limiter:
    """Paces requests. The static budget is a fallback: once the vendor reports its own limits in
    ``X-RateLimit-*`` headers, those (remaining + reset) drive the pacing instead, so a tenant with a higher
    limit is not slowed to the documented default and one with a lower limit is not flooded.

    On top of either, an adaptive pace (requests per second, AIMD as in TCP congestion control): unset until
    the vendor answers 429, then halved per round of 429s and raised additively per success until it is
    well above the rate that drew the first 429 (:data:`RELEASE_FACTOR`), when it is dropped again. Sends
    are serialised by the lock and spaced by this pace, so when a vendor-requested block ends, waiting
    requests do not all fire at once (the thundering herd that made every one of them hit the limit again)."""

    def __init__(
        self, limit: RateLimit | None, clock: Callable[[], float] = time.monotonic, shared: Budget | None = None
    ):
        self.limit = limit
        self.clock = clock
        #: The integration's budget across clients (used while the static budget applies, not header-driven).
        self.shared = shared
        self._sent: deque[float] = deque()
        self._recent: deque[float] = deque()
        self._blocked_until = 0.0
        self._last_sent: float | None = None
        self._lock = asyncio.Lock()
        self.header_driven = False
        #: Adaptive pace in requests per second (None: not limited by 429s seen so far).
        self.pace: float | None = None
        #: The observed rate that drew the first 429 of the current episode: recovery ends above it.
        self._ceiling = 0.0
        self._decreased_at = float("-inf")

    def observed_rate(self) -> float:
        """Requests per second sent over the last :data:`OBSERVE_SECONDS`."""
        now = self.clock()
        while self._recent and now - self._recent[0] > OBSERVE_SECONDS:
            self._recent.popleft()
        return len(self._recent) / OBSERVE_SECONDS

    def throttled(self, vendor_wait: float | None, sent_at: float | None = None) -> None:
        """A 429: halve the pace (starting from the rate actually sent), never below the floor. Requests
        already in flight when the pace was last lowered do not lower it again (one decrease per round, as
        TCP does): they were sent at the old pace."""
        if sent_at is not None and sent_at < self._decreased_at:
            return
        self._decreased_at = self.clock()
        slowest = NO_HINT_INTERVAL if vendor_wait is None else max(MIN_INTERVAL, 2 * vendor_wait)
        floor = 1.0 / slowest
        if self.pace is None:
            observed = self.observed_rate()
            if self.limit is not None and not self.header_driven and observed:
                observed = min(observed, self.limit.requests / self.limit.per_seconds)
            # a vendor asking for a short wait while we were slow anyway: its hint, not our rate, is the start
            self._ceiling = max(observed, floor)
            self.pace = self._ceiling
        # halve, but not below the floor (nor raise it: a floor above the pace leaves the pace as it is)
        self.pace = max(self.pace * DECREASE, min(floor, self.pace))

    def succeeded(self) -> None:
        """A success: raise the pace additively. It keeps probing past the rate that drew the 429s (the
        vendor's limit may have been a burst, or may rise); well past it, pacing is left to the vendor again."""
        if self.pace is None:
            return
        self.pace += max(self._ceiling * INCREASE_SHARE, 0.01)
        if self.pace > RELEASE_FACTOR * self._ceiling:
            self.pace = None

    async def acquire(self) -> float:
        """Wait for this request's turn; returns its send time (pass it to :meth:`throttled`)."""
        async with self._lock:
            while True:
                now = self.clock()
                wait = self._blocked_until - now
                if self.limit is not None and not self.header_driven:
                    while self._sent and now - self._sent[0] >= self.limit.per_seconds:
                        self._sent.popleft()
                    if len(self._sent) >= self.limit.requests:
                        wait = max(wait, self.limit.per_seconds - (now - self._sent[0]))
                if self.pace is not None and self._last_sent is not None:
                    wait = max(wait, self._last_sent + 1.0 / self.pace - now)
                if wait <= 0:
                    if self.shared is not None and not self.header_driven:
                        await self.shared.acquire(WRITE_PRIORITY.get())
                        now = self.clock()
                    if self.limit is not None:
                        self._sent.append(now)
                    while self._recent and now - self._recent[0] > OBSERVE_SECONDS:
                        self._recent.popleft()
                    self._recent.append(now)
                    self._last_sent = now
                    return now
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
