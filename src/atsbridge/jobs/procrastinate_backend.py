"""Distributed mode: syncs executed by ``atsbridge worker`` processes through Procrastinate (PostgreSQL).

Procrastinate provides what a cluster needs and nothing we would have to operate separately: jobs in
PostgreSQL (which production needs anyway), a per-key ``lock`` (one running job per integration across
all workers), ``queueing_lock`` (one waiting job per run), periodic tasks whose deferral is deduplicated
across workers by a unique index, worker heartbeats, and retries.

The split of responsibilities:

* ``sync_runs`` stays the source of truth and the correctness layer (one RUNNING per integration, one
  QUEUED per type, enforced by the database). Scheduling writes QUEUED runs; the API's force-sync does
  too.
* ``schedule_tick`` (periodic, every ``tick_seconds``, one instance cluster-wide) reaps runs of dead
  processes, queues due runs (:mod:`atsbridge.jobs.due`) and defers a ``run_sync`` job for every QUEUED
  run without a live job (:func:`atsbridge.jobs.pg.unjobbed_runs`), so the hand-over heals itself.
* ``run_sync`` runs one attempt (:mod:`atsbridge.jobs.attempt`) on the worker's thread pool.
* ``retry_stalled_jobs`` (periodic) puts jobs of workers whose heartbeat stopped back in the queue:
  that is what brings back the work of a worker killed with SIGKILL.
* ``prune_jobs`` (hourly) deletes old finished job rows; the run history is in ``sync_runs``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from procrastinate import App, BaseRetryStrategy, JobContext, PsycopgConnector, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job, Status
from sqlalchemy import Engine

from atsbridge.connectors.http.distributed_budget import share_budgets_through
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.jobs import due, pg
from atsbridge.jobs.attempt import SyncBusy, WorkReturned
from atsbridge.jobs.runtime import SyncRuntime
from atsbridge.jobs.settings import JobSettings
from atsbridge.lifecycle.purge import purge_pending
from atsbridge.store import sync_runs as runs
from atsbridge.webhooks import retention

log = logging.getLogger("atsbridge.jobs")

SYNC_QUEUE = "syncs"
HOUSEKEEPING_QUEUE = "housekeeping"
#: Housekeeping jumps ahead of a sync backlog: a saturated cluster must still schedule and recover.
HOUSEKEEPING_PRIORITY = 10


class SyncRetry(BaseRetryStrategy):
    """Returned work is retried at once; a busy integration every 10 s for up to ~10 minutes (longer than
    ``STALE_AFTER``, after which a silent holder is reaped); infrastructure errors with backoff."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, WorkReturned):
            return RetryDecision(retry_in={"seconds": 0}) if job.attempts < 100 else None
        if isinstance(exception, SyncBusy):
            return RetryDecision(retry_in={"seconds": 10}) if job.attempts < 60 else None
        if isinstance(exception, Exception) and job.attempts < 5:
            return RetryDecision(retry_in={"seconds": 2 ** (job.attempts + 1)})
        return None


@dataclass(frozen=True)
class TickPlan:
    reaped: int
    queued: int
    unjobbed: list[tuple[str, str, str]]


def plan_tick(engine: Engine, settings: Settings) -> TickPlan:
    """Blocking: reap dead runs, queue due ones, list QUEUED runs that still need a job."""
    now = utcnow()
    with engine.begin() as conn:
        reaped = runs.reap_stale(conn, None, now)
    purge_pending(engine)  # deletions an interrupted process left half-purged
    queued = due.queue_due(engine, settings, now)
    with engine.connect() as conn:
        unjobbed = pg.unjobbed_runs(conn)
    return TickPlan(reaped, queued, unjobbed)


def sync_job(app: App, run_id: str, integration_id: str, sync_type: str) -> Job:
    return app.configure_task(
        pg.SYNC_TASK,
        lock=pg.run_lock(integration_id),
        queueing_lock=pg.run_queueing_lock(run_id),
        task_kwargs={"integration_id": integration_id, "sync_type": sync_type, "run_id": run_id},
    ).job


async def defer_runs(app: App, pending: Sequence[tuple[str, str, str]]) -> int:
    """Defer a job per run in one statement; on a race with another deferrer, one by one."""
    jobs = [sync_job(app, *run) for run in pending]
    if not jobs:
        return 0
    try:
        await app.job_manager.batch_defer_jobs_async(jobs)
        return len(jobs)
    except AlreadyEnqueued:
        deferred = 0
        for job in jobs:
            try:
                await app.job_manager.defer_job_async(job)
                deferred += 1
            except AlreadyEnqueued:
                pass
        return deferred


async def recover_stalled(app: App, stalled: Sequence[Job], stalled_after: float) -> str:
    """Sync jobs of dead workers go back to the queue; dead housekeeping jobs are failed, because the next
    periodic instance replaces them (and retrying one could collide with that instance's queueing lock)."""
    retried = failed = 0
    for job in stalled:
        try:
            if job.task_name == pg.SYNC_TASK:
                log.warning("job %s (%s) stalled with its worker; retrying it", job.id, job.call_string)
                await app.job_manager.retry_job(job)
                retried += 1
            else:
                await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
                failed += 1
        except Exception:  # e.g. another instance handled it first; the next check looks again
            log.exception("could not recover stalled job %s", job.id)
    await app.job_manager.prune_stalled_workers(stalled_after)
    return f"retried {retried}, failed {failed}"


def every(seconds: int) -> str:
    """A six-field cron (seconds last) firing every ``seconds``."""
    return f"* * * * * */{seconds}"


def build_app(
    engine: Engine, settings: Settings, jobs: JobSettings, runtime: SyncRuntime | None, *, pool_size: int = 4
) -> App:
    """The Procrastinate app with atsbridge's tasks. Without a runtime the app can only defer jobs."""
    connector = PsycopgConnector(**pg.pool_kwargs(settings.database_url, min_size=1, max_size=pool_size))
    app = App(connector=connector)

    @app.task(name=pg.SYNC_TASK, queue=SYNC_QUEUE, pass_context=True, retry=SyncRetry())
    async def run_sync(context: JobContext, *, integration_id: str, sync_type: str, run_id: str) -> str:
        if runtime is None:
            raise RuntimeError("this process does not run syncs")
        retry = context.job.attempts > 0
        return await runtime.run(integration_id=integration_id, sync_type=sync_type, run_id=run_id, retry=retry)

    @app.periodic(cron=every(jobs.tick_seconds), periodic_id="tick")
    @app.task(
        name="atsbridge.schedule_tick",
        queue=HOUSEKEEPING_QUEUE,
        priority=HOUSEKEEPING_PRIORITY,
        lock="atsbridge.schedule_tick",
        queueing_lock="atsbridge.schedule_tick",
    )
    async def schedule_tick(timestamp: int) -> str:
        plan = await asyncio.to_thread(plan_tick, engine, settings)
        deferred = await defer_runs(app, plan.unjobbed)
        return f"reaped {plan.reaped}, queued {plan.queued}, deferred {deferred}"

    @app.periodic(cron=every(jobs.stalled_check_seconds), periodic_id="stalled")
    @app.task(
        name="atsbridge.retry_stalled_jobs",
        queue=HOUSEKEEPING_QUEUE,
        priority=HOUSEKEEPING_PRIORITY,
        # No ``lock``: a lock held by an instance that died with its worker could then never be released.
        queueing_lock="atsbridge.retry_stalled_jobs",
    )
    async def retry_stalled_jobs(timestamp: int) -> str:
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=jobs.stalled_after_seconds)
        return await recover_stalled(app, list(stalled), jobs.stalled_after_seconds)

    @app.periodic(cron="17 * * * *", periodic_id="prune")
    @app.task(name="atsbridge.prune_jobs", queue=HOUSEKEEPING_QUEUE, queueing_lock="atsbridge.prune_jobs")
    async def prune_jobs(timestamp: int) -> None:
        await asyncio.to_thread(retention.prune, engine, settings.event_retention_days)
        await app.job_manager.delete_old_jobs(
            nb_hours=jobs.keep_jobs_hours, include_failed=True, include_cancelled=True, include_aborted=True
        )

    return app


class ProcrastinateBackend:
    """The API process's view of distributed mode: it queues syncs and never runs them."""

    name = "procrastinate"

    def __init__(self, engine: Engine, settings: Settings, jobs: JobSettings) -> None:
        self.engine = engine
        self.app = build_app(engine, settings, jobs, None)
        self._open = False

    def start(self) -> None:
        self.app.open()
        self._open = True
        share_budgets_through(self.engine)  # this process's writes and the workers' syncs share vendor limits

    def stop(self) -> None:
        if self._open:
            share_budgets_through(None)
            self.app.close()
            self._open = False

    def submit_sync(
        self,
        integration_id: str,
        sync_type: str,
        trigger: str,
        *,
        reuse_running: bool = True,
        streams: Sequence[str] | None = None,
        deletions: Sequence[tuple[str, str]] = (),
    ) -> tuple[str, str, bool]:
        """Queue the run, then defer its job at once; if that fails the next tick defers it."""
        run_id, run_type, already = runs.enqueue(
            self.engine, integration_id, sync_type, trigger, reuse_running=reuse_running, streams=streams,
            deletions=deletions,
        )
        if not already and self._open:
            try:
                self.app.job_manager.defer_job(sync_job(self.app, run_id, integration_id, run_type))
            except AlreadyEnqueued:
                pass
            except Exception:  # the run is queued; the next schedule_tick hands it over
                log.warning("could not defer the job of run %s now; the next tick will", run_id, exc_info=True)
        return run_id, run_type, already
