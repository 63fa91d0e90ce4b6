"""The worker process: runs Procrastinate's worker loop over atsbridge's tasks until told to stop.

Shutdown, in order of urgency:

* SIGTERM/SIGINT: fetch no new jobs; running syncs get ``shutdown_seconds`` to finish, after which they
  stop at their next committed page and return their jobs to the queue (another worker takes them);
  the process exits 0 once nothing runs. This is what an orchestrator's rolling restart sends.
* a second SIGTERM/SIGINT: return running work at once.
* SIGKILL (or a crash, or a lost machine): nothing runs here; the worker's heartbeat stops, and
  ``retry_stalled_jobs`` on another worker puts its jobs back in the queue ``stalled_after_seconds``
  later, while the next attempt reaps the dead run in ``sync_runs`` before starting a new one.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from procrastinate.worker import Worker
from sqlalchemy import Engine

from atsbridge.connectors.http.distributed_budget import share_budgets_through
from atsbridge.core.config import Settings
from atsbridge.jobs.procrastinate_backend import build_app
from atsbridge.jobs.runtime import SyncRuntime
from atsbridge.jobs.settings import JobSettings
from atsbridge.store.sync_runs import worker_id
from atsbridge.webhooks.runner import start_dispatcher

log = logging.getLogger("atsbridge.worker")


class _Shutdown:
    """The SIGTERM/SIGINT handler: graceful first, immediate the second time."""

    def __init__(self, worker: Worker, runtime: SyncRuntime, grace: float) -> None:
        self.worker = worker
        self.runtime = runtime
        self.grace = grace
        self.requested = False

    def __call__(self) -> None:
        if self.requested:
            log.info("second stop signal: running syncs return their jobs now")
            self.runtime.drain()
            return
        self.requested = True
        log.info("stop signal: taking no new jobs; running syncs have %.0fs to finish", self.grace)
        self.worker.stop()  # type: ignore[no-untyped-call]  # procrastinate leaves it unannotated
        asyncio.get_running_loop().call_later(self.grace, self.runtime.drain)


async def run_worker(engine: Engine, settings: Settings, jobs: JobSettings, *, concurrency: int) -> bool:
    """Run until SIGTERM/SIGINT (then drain as described above). Returns False when the worker stopped on
    its own: Procrastinate stops a worker when one of its background tasks (heartbeat, LISTEN) fails, e.g.
    in a PostgreSQL outage longer than its pool's reconnects ride out. The command then exits non-zero so
    the supervisor restarts it."""
    runtime = SyncRuntime(engine, settings, threads=concurrency)
    # Procrastinate's pool: LISTEN, heartbeat, fetch, periodic deferrer, plus one per finishing job.
    app = build_app(engine, settings, jobs, runtime, pool_size=concurrency + 4)
    loop = asyncio.get_running_loop()
    dispatcher = start_dispatcher(engine, settings)  # webhooks go out from workers too (ATSBRIDGE_WEBHOOKS_DISPATCH)
    share_budgets_through(engine)  # a sync here and writes in API processes share each vendor's limit
    try:
        async with app.open_async():
            worker = Worker(
                app=app,
                name=worker_id(),
                concurrency=concurrency,
                install_signal_handlers=False,
                update_heartbeat_interval=jobs.worker_heartbeat_seconds,
                stalled_worker_timeout=jobs.stalled_after_seconds,
                delete_jobs="successful" if jobs.delete_succeeded_jobs else "never",
                fetch_job_polling_interval=1.0,
                shutdown_graceful_timeout=None,  # we drain cooperatively instead of cancelling syncs
            )
            shutdown = _Shutdown(worker, runtime, jobs.shutdown_seconds)
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, shutdown)
            log.info("worker %s started (concurrency %d)", worker_id(), concurrency)
            await worker.run()  # type: ignore[no-untyped-call]  # procrastinate leaves it unannotated
            if not shutdown.requested:
                log.error("worker %s stopped without being asked to (database connection lost?)", worker_id())
            return shutdown.requested
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        runtime.close()
        share_budgets_through(None)
        if dispatcher is not None:
            await asyncio.to_thread(dispatcher.stop)
        log.info("worker %s stopped", worker_id())
