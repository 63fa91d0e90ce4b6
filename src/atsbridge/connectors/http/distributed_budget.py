"""An integration's request budget shared by every process through the database (distributed mode).

A sync in a worker process and the writes an API process sends meanwhile reach the same vendor, which counts
them against one limit; each pacing itself alone would exceed it together. Here every request takes its slot
in the database (:mod:`atsbridge.store.rate_budgets`: one indexed statement, off the event loop), and a
waiting write holds every process's reads back.

The budget must never fail nor stall a request: when the database errors or does not answer in time, the
process's own :class:`~atsbridge.connectors.http.ratelimit.SharedBudget` paces it instead (logged once per
outage) and the database is tried again a little later.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine

from atsbridge.connectors.http.ratelimit import Budget, RateLimit, SharedBudget, share_budgets
from atsbridge.store import rate_budgets

log = logging.getLogger("atsbridge.ratelimit")

T = TypeVar("T")

#: A database call slower than this counts as an outage (the request goes on with the local budget).
STATEMENT_SECONDS = 5.0
#: After an outage, requests use the local budget this long before the database is tried again.
RETRY_AFTER_SECONDS = 30.0
#: A waiting write's claim lapses unless renewed within this long (it renews at half of it), so a process
#: that died while its write waited holds reads back no longer.
WRITE_LEASE_SECONDS = 2.0
#: The most requests per window kept as rows (one each); larger windows stay in-process.
MAX_SLOTS = 5000
#: How often a read held back by another process's waiting write (or beaten to a free slot) looks again.
READ_YIELD_SECONDS = 0.05


class DatabaseBudgets:
    """The budgets of this process shared through one database: the outage state is common to all of them
    (one log line per outage, not one per integration)."""

    def __init__(self, engine: Engine, *, statement_seconds: float = STATEMENT_SECONDS) -> None:
        self.engine = engine
        self.statement_seconds = statement_seconds
        self._lock = threading.Lock()
        self._down_until = float("-inf")
        self._outage = False

    def budget(self, key: str, limit: RateLimit, local: SharedBudget) -> Budget:
        """The database budget of ``key`` at ``limit``; a window of more than :data:`MAX_SLOTS` requests (hours
        of a fast vendor) stays in-process rather than become that many rows."""
        return DatabaseBudget(self, key, limit, local) if limit.requests <= MAX_SLOTS else local

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            first, self._outage = not self._outage, True
        if first:
            log.warning(
                "shared rate budgets: the database failed (%s); each process paces itself until it answers again",
                type(error).__name__,
                exc_info=error,
            )

    def answered(self) -> None:
        if self._outage:
            with self._lock:
                self._outage = False
            log.info("shared rate budgets: the database answers again")

    async def call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a blocking store call off the event loop, bounded in time."""
        return await asyncio.wait_for(asyncio.to_thread(fn, *args, **kwargs), self.statement_seconds)


class DatabaseBudget:
    """One integration's budget at one limit, in the database; ``local`` stands in during outages."""

    def __init__(self, source: DatabaseBudgets, key: str, limit: RateLimit, local: SharedBudget) -> None:
        self.source = source
        self.limit = limit
        self.local = local
        self.key = rate_budgets.BudgetKey(key, limit.requests, limit.per_seconds)
        self._prepared = False

    async def acquire(self, write: bool) -> None:
        if self.source.available():
            try:
                taken = await self._acquire(write)
            except Exception as error:  # any failure: the request goes on, paced locally
                self.source.failed(error)
            else:
                self.source.answered()
                if taken:
                    return
        await self.local.acquire(write)

    async def _acquire(self, write: bool) -> bool:
        """Take a slot in the database; False when the budget's rows are gone (its integration was purged:
        they are not made again for the requests still under way)."""
        call, engine, key = self.source.call, self.source.engine, self.key
        if not self._prepared:
            await call(rate_budgets.prepare, engine, key)
            self._prepared = True
        announced = False
        try:
            while not await call(rate_budgets.take, engine, key, write=write):
                wait = await call(rate_budgets.seconds_until_free, engine, key)
                if wait is None:
                    return False
                if write:
                    await call(rate_budgets.announce_write, engine, key, WRITE_LEASE_SECONDS, first=not announced)
                    announced = True
                    wait = min(wait, WRITE_LEASE_SECONDS / 2)
                await asyncio.sleep(wait + 0.001 if wait > 0 else READ_YIELD_SECONDS)
            return True
        finally:
            if announced:
                try:
                    await call(rate_budgets.write_served, engine, key)
                except Exception:  # the lease lapses on its own
                    log.debug("could not withdraw a write's claim on %s", key, exc_info=True)


def share_budgets_through(engine: Engine | None) -> None:
    """Distributed mode: every budget made from now on in this process is shared through ``engine`` (those
    faster than :data:`~atsbridge.connectors.http.ratelimit.UNLIMITED_RATE` stay in-process). None: back to
    in-process budgets."""
    share_budgets(None if engine is None else DatabaseBudgets(engine).budget)
