"""Where a worker's syncs actually execute: a bounded thread pool, one event loop per sync.

The sync engine does blocking database work between its awaits (as it does under the embedded scheduler),
so running it on the worker's own event loop would stall Procrastinate's heartbeats and LISTEN connection
whenever a sync is busy; a worker whose heartbeat stalls looks dead and would have its jobs retried under
it. Each sync therefore gets a thread and its own loop, exactly like ``EmbeddedScheduler._execute``.

Stopping is cooperative: :meth:`SyncRuntime.drain` makes every running sync stop at its next committed
page and return its job to the queue (see :mod:`atsbridge.jobs.attempt`).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.jobs.attempt import run_attempt


class SyncRuntime:
    def __init__(self, engine: Engine, settings: Settings, threads: int) -> None:
        self.engine = engine
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="atsbridge-sync")
        self._draining = threading.Event()

    def drain(self) -> None:
        """Running syncs stop at their next page boundary and hand their jobs back."""
        self._draining.set()

    async def run(self, *, integration_id: str, sync_type: str, run_id: str, retry: bool) -> str:
        """Run one attempt in the pool. Cancelling this coroutine stops that sync the same way as drain."""
        stop = threading.Event()

        def interrupted() -> bool:
            return self._draining.is_set() or stop.is_set()

        call = partial(
            run_attempt,
            self.engine,
            self.settings,
            integration_id=integration_id,
            sync_type=sync_type,
            run_id=run_id,
            retry=retry,
            interrupted=interrupted,
        )
        future = asyncio.get_running_loop().run_in_executor(self._pool, call)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:  # an abort request: stop the thread's sync, then report as cancelled
            stop.set()
            await asyncio.wait([future])
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True)
