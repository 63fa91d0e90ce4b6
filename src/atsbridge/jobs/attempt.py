"""One attempt at a sync job, whatever queue delivered it.

A job names the ``sync_runs`` row it was queued for. Queues deliver at least once (a worker can die after
finishing a sync but before acknowledging its job; a stalled job is retried), so an attempt decides from
the run row, not from the job, what is left to do:

* the run is still QUEUED: run it;
* first delivery, and the run is no longer queued: a duplicate delivery; nothing to do;
* a retry, and the run SUCCEEDED: the previous attempt finished the work; nothing to do;
* a retry, and the run is RUNNING or FAILED: the previous attempt was interrupted (worker killed or shut
  down). Runs of dead workers are reaped, then the queued-or-new run of the same type is started. If the
  previous holder still looks alive, :class:`SyncBusy` asks the queue to try again later.

Starting a run goes through :func:`atsbridge.store.sync_runs.start`, so the database's one-RUNNING-per-integration
index, not the queue, is what finally guarantees that two syncs of an integration never overlap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import Engine, select

from atsbridge.core.config import Settings
from atsbridge.jobs.runner import run_sync
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import SyncAlreadyRunning

SKIPPED = "SKIPPED"


class SyncInterrupted(Exception):
    """Raised at a page boundary to stop a sync whose worker is shutting down (the run is recorded FAILED)."""


class WorkReturned(Exception):
    """The attempt stopped early on purpose; its job goes back to the queue for another worker."""


class SyncBusy(Exception):
    """Another live run holds the integration; try again later."""


def _status(engine: Engine, run_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(sync_runs.c.status).where(sync_runs.c.id == run_id)).scalar_one_or_none()


def _target(engine: Engine, integration_id: str, sync_type: str, run_id: str, retry: bool) -> str | None:
    """The run this attempt should start, or None when there is nothing left to do."""
    status = _status(engine, run_id)
    if status == "QUEUED":
        return run_id
    if status is None or not retry or status in ("SUCCEEDED", "CANCELLED"):
        return None
    with engine.begin() as conn:
        runs.reap_stale(conn, integration_id)
    target, _, _ = runs.enqueue(engine, integration_id, sync_type, "retry")
    return target


def run_attempt(
    engine: Engine,
    settings: Settings,
    *,
    integration_id: str,
    sync_type: str,
    run_id: str,
    retry: bool,
    interrupted: Callable[[], bool] = lambda: False,
) -> str:
    """Blocking: run the attempt in this thread's own event loop; returns the run's final status or SKIPPED.

    ``interrupted`` is polled before starting and after every committed page; when it turns true the sync
    stops there (everything committed stays valid, the watermark only covers finished streams) and
    :class:`WorkReturned` is raised so the job is retried elsewhere.
    """
    if interrupted():
        raise WorkReturned(f"{run_id} not started: worker stopping")
    target = _target(engine, integration_id, sync_type, run_id, retry)
    if target is None:
        return SKIPPED

    def progress(_stream: str, _count: int) -> None:
        if interrupted():
            raise SyncInterrupted("the worker is shutting down; the job returns to the queue")

    try:
        result = asyncio.run(
            run_sync(
                engine,
                settings,
                integration_id,
                full=sync_type == "FULL",
                run_id=target,
                progress=progress,
                trigger="retry",
            )  # fmt: skip
        )
    except SyncAlreadyRunning as exc:
        raise SyncBusy(str(exc)) from None
    except KeyError:  # the integration was deleted after the job was queued
        return SKIPPED
    if result.status != "SUCCEEDED" and interrupted():
        raise WorkReturned(f"{target} interrupted: worker stopping")
    return result.status
