"""The embedded scheduler: in-process, zero infrastructure, on SQLite or PostgreSQL.

Every tick it starts queued runs (force-sync) and queues periodic ones: a delta every
``delta_sync_minutes`` and a full sync every ``full_sync_hours`` (defaults from settings, overridable per
integration in its config). Runs execute on a small thread pool, each in its own event loop, so the API's
request threads are never blocked by a sync. The database, not this process, guarantees that an
integration never runs two syncs at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.jobs.runner import run_sync
from atsbridge.lifecycle.purge import purge_pending
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.sync_runs import SyncAlreadyRunning
from atsbridge.store.tables import sync_runs
from atsbridge.sync.failures import Streak, retry_at, streaks
from atsbridge.webhooks import retention

log = logging.getLogger("atsbridge.scheduler")

#: How often the scheduler prunes the event log (finished deliveries, old events).
PRUNE_EVERY = timedelta(hours=1)


def intervals(settings: Settings, config: dict[str, object], pushed: bool = False) -> tuple[timedelta, timedelta]:
    """(delta, full) intervals of an integration. ``pushed``: its vendor webhooks are healthy, so changes arrive
    within seconds and a delta is only the safety net (at most every ``webhook_delta_sync_minutes``)."""
    delta = float(config.get("delta_sync_minutes", settings.delta_sync_minutes))  # type: ignore[arg-type]
    if pushed and settings.webhook_delta_sync_minutes:
        delta = max(delta, float(settings.webhook_delta_sync_minutes))
    full = config.get("full_sync_hours", settings.full_sync_hours)
    return timedelta(minutes=delta), timedelta(hours=float(full))  # type: ignore[arg-type]


def next_sync(
    settings: Settings,
    config: dict[str, object],
    last_full: datetime | None,
    last_delta: datetime | None,
    now: datetime,
    streak: Streak | None = None,
    pushed: bool = False,
) -> tuple[str, datetime]:
    """What the scheduler queues next for an integration and when (``<= now``: due at the next tick).

    ``last_full``/``last_delta``: when the latest non-failed run of each type was queued; ``streak``: its
    current run of failures, which pushes the next sync back (:mod:`atsbridge.sync.failures`). One function
    for the scheduler and the dashboard, so the "next sync" an operator sees is the one that will happen.
    """
    kind, at = _next_by_interval(settings, config, last_full, last_delta, now, pushed)
    not_before = retry_at(settings, streak)
    return (kind, max(at, not_before)) if not_before is not None else (kind, at)


def _next_by_interval(
    settings: Settings,
    config: dict[str, object],
    last_full: datetime | None,
    last_delta: datetime | None,
    now: datetime,
    pushed: bool = False,
) -> tuple[str, datetime]:
    delta_every, full_every = intervals(settings, config, pushed)
    if last_full is None:
        return "FULL", now
    full_at = last_full + full_every
    if full_at <= now:
        return "FULL", full_at
    last_any = max(t for t in (last_full, last_delta) if t is not None)
    delta_at = last_any + delta_every
    return ("DELTA", delta_at) if delta_at < full_at else ("FULL", full_at)


class EmbeddedScheduler:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        workers: int = 2,
        tick_seconds: float = 5.0,
        scope: Callable[[platform.Integration], bool] | None = None,
    ):
        self.engine = engine
        #: Which integrations this scheduler looks after (all by default).
        self.scope = scope
        self.settings = settings
        self.tick_seconds = tick_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="atsbridge-sync")
        self._inflight: dict[str, Future[None]] = {}
        self._stop = threading.Event()
        #: Set to tick at once (a run was queued that should not wait for the next tick).
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_prune: datetime | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="atsbridge-scheduler", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Tick now (a vendor webhook queued a delta: seconds matter)."""
        self._wake.set()

    def stop(self, wait: bool = True) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.tick_seconds * 2)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # a wake during the tick below makes the wait return at once
            try:
                self.tick()
            except Exception:  # a bad tick must not kill scheduling
                log.exception("scheduler tick failed")
            self._wake.wait(self.tick_seconds)

    def tick(self, now: datetime | None = None) -> list[str]:
        """Queue what is due and start what is queued; returns the integration ids started."""
        now = now or utcnow()
        self._inflight = {k: f for k, f in self._inflight.items() if not f.done()}
        with self.engine.begin() as conn:
            runs.reap_stale(conn, None, now)
        purge_pending(self.engine)  # deletions an interrupted process left half-purged
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            retention.prune(self.engine, self.settings.event_retention_days, now)
            self._last_prune = now
        self._queue_due(now)
        return self._start_queued()

    def _queue_due(self, now: datetime) -> None:
        with self.engine.connect() as conn:
            integrations = [
                i for i in platform.list_integrations(conn) if i.enabled and (self.scope is None or self.scope(i))
            ]
            last = {
                (r.integration_id, r.type): r.last
                for r in conn.execute(
                    select(sync_runs.c.integration_id, sync_runs.c.type, func.max(sync_runs.c.queued_at).label("last"))
                    .where(sync_runs.c.status != "FAILED")
                    .group_by(sync_runs.c.integration_id, sync_runs.c.type)
                )
            }
            failing = streaks(conn, now)
            pushed = hooks.healthy(conn, now)
        for integration in integrations:
            kind, at = next_sync(
                self.settings,
                integration.config,
                last.get((integration.id, "FULL")),
                last.get((integration.id, "DELTA")),
                now,
                failing.get(integration.id),
                integration.id in pushed,
            )
            if at <= now:
                runs.enqueue(self.engine, integration.id, kind, "scheduler")

    def _start_queued(self) -> list[str]:
        with self.engine.connect() as conn:
            queued = conn.execute(
                select(sync_runs.c.id, sync_runs.c.integration_id, sync_runs.c.type)
                .where(sync_runs.c.status == "QUEUED")
                .order_by(sync_runs.c.queued_at)
            ).all()
        started = []
        in_scope = None
        if self.scope is not None:
            with self.engine.connect() as conn:
                in_scope = {i.id for i in platform.list_integrations(conn) if self.scope(i)}
        for run in queued:
            if run.integration_id in self._inflight or (in_scope is not None and run.integration_id not in in_scope):
                continue
            self._inflight[run.integration_id] = self._pool.submit(self._execute, run.integration_id, run.type, run.id)
            started.append(run.integration_id)
        return started

    def _execute(self, integration_id: str, sync_type: str, run_id: str) -> None:
        try:
            asyncio.run(
                run_sync(
                    self.engine,
                    self.settings,
                    integration_id,
                    full=sync_type == "FULL",
                    run_id=run_id,
                    trigger="scheduler",
                )  # fmt: skip
            )
        except SyncAlreadyRunning:  # no wake here: the next tick retries (waking would spin until it ends)
            log.info("sync of %s already running elsewhere; run %s stays queued", integration_id, run_id)
            return
        except Exception:
            log.exception("sync run %s of %s crashed", run_id, integration_id)
        self.wake()  # a run queued meanwhile for this integration (a vendor webhook) starts now, not next tick
