"""Sync-run bookkeeping. The database enforces one running sync per integration and one queued sync per
type (partial unique indexes), so the guarantee holds across threads, processes and machines alike."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Insert, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import sync_runs

#: A RUNNING run whose heartbeat is older than this died with its process.
STALE_AFTER = timedelta(minutes=3)
#: A run reaped as dead is queued again, at most this many times in a row (a sync that kills its process
#: every time must not loop forever). The count travels in the queued run's ``stats`` until it finishes.
MAX_REQUEUES = 2
#: A queued run carries at most this many webhook deletions to check (each is one request at the vendor);
#: more wait for the next complete listing, which finds every deletion anyway.
MAX_DELETIONS = 100

#: (stream, remote id) of a record a vendor webhook said was deleted.
Deleted = tuple[str, str]


class SyncAlreadyRunning(RuntimeError):
    pass


def _new_id() -> str:
    return "sync_" + random_id(20)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str | None) -> bool:
    """True when ``worker`` names a process on this host that no longer exists."""
    if not worker:
        return False
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _insert_ignoring_conflicts(conn: Connection) -> Insert:
    """An insert that a concurrent QUEUED run of the same type (the one-queued-per-type index) turns into
    a no-op instead of an error that would abort the caller's transaction."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(sync_runs).on_conflict_do_nothing()
    return sqlite.insert(sync_runs).on_conflict_do_nothing()


def requeue_count(stats: str | None) -> int:
    """How many times in a row the run's work was already re-queued after a dead worker."""
    try:
        value = orjson.loads(stats or "{}").get("requeued", 0)
    except (orjson.JSONDecodeError, AttributeError):
        return 0
    return value if isinstance(value, int) else 0


def reap_stale(
    conn: Connection,
    integration_id: str | None = None,
    now: datetime | None = None,
    *,
    covered_by: str | None = None,
) -> int:
    """Mark runs whose worker vanished (process gone, or no heartbeat for a while) as failed, and queue
    their work again (a forced sync must not be lost with the process that ran it), up to
    :data:`MAX_REQUEUES` times in a row. ``covered_by``: the type of the sync the caller is about to run
    for ``integration_id`` itself, which makes a re-queue of that type (or any, for FULL) redundant."""
    now = now or utcnow()
    stmt = select(
        sync_runs.c.id,
        sync_runs.c.integration_id,
        sync_runs.c.type,
        sync_runs.c.trigger,
        sync_runs.c.worker,
        sync_runs.c.heartbeat_at,
        sync_runs.c.stats,
        sync_runs.c.deletions,
    ).where(sync_runs.c.status == "RUNNING")
    if integration_id is not None:
        stmt = stmt.where(sync_runs.c.integration_id == integration_id)
    dead = [
        r
        for r in conn.execute(stmt)
        if _process_gone(r.worker) or (r.heartbeat_at is not None and r.heartbeat_at < now - STALE_AFTER)
    ]
    for run in dead:
        count = requeue_count(run.stats)
        error = "interrupted: the process running it stopped"
        covered = covered_by is not None and (covered_by == "FULL" or covered_by == run.type)
        moved = conn.execute(
            update(sync_runs)
            .where(sync_runs.c.id == run.id, sync_runs.c.status == "RUNNING")
            .values(status="FAILED", finished_at=now)
        ).rowcount
        if not moved:  # reaped concurrently by another process
            continue
        if covered:
            error += "; the sync starting now redoes its work"
        elif count >= MAX_REQUEUES:
            error += f"; not queued again (interrupted {count + 1} times in a row)"
        else:
            new_id = _new_id()
            queued = conn.execute(
                _insert_ignoring_conflicts(conn)
                .values(
                    id=new_id,
                    integration_id=run.integration_id,
                    type=run.type,
                    status="QUEUED",
                    queued_at=now,
                    trigger=run.trigger,
                    stats=orjson.dumps({"requeued": count + 1, "requeued_from": run.id}).decode(),
                    deletions=run.deletions,
                )
                .returning(sync_runs.c.id)
            ).first()
            error += f"; queued again as {new_id}" if queued is not None else "; a queued run of its type redoes it"
        conn.execute(update(sync_runs).where(sync_runs.c.id == run.id).values(error=error))
    return len(dead)


def _merged(current: str | None, wanted: Sequence[str] | None) -> str | None:
    """Streams of a queued run after another request joins it: a union, or every stream if either wants all."""
    if current is None or wanted is None:
        return None
    try:
        had = orjson.loads(current)
    except orjson.JSONDecodeError:
        return None
    return orjson.dumps(sorted({*had, *wanted})).decode() if isinstance(had, list) else None


def parse_deletions(stored: str | None) -> list[Deleted]:
    """The (stream, remote id) pairs a run carries; anything malformed is dropped (never acted upon)."""
    try:
        pairs = orjson.loads(stored) if stored else []
    except orjson.JSONDecodeError:
        return []
    if not isinstance(pairs, list):
        return []
    return [(p[0], p[1]) for p in pairs if isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)]


def _with_deletions(current: str | None, wanted: Sequence[Deleted]) -> str | None:
    """A run's deletions after ``wanted`` joins them: a union in arrival order, capped at :data:`MAX_DELETIONS`."""
    merged = list(dict.fromkeys([*parse_deletions(current), *wanted]))[:MAX_DELETIONS]
    return orjson.dumps([list(pair) for pair in merged]).decode() if merged else None


def enqueue(
    engine: Engine,
    integration_id: str,
    sync_type: str,
    trigger: str,
    *,
    reuse_running: bool = True,
    streams: Sequence[str] | None = None,
    deletions: Sequence[Deleted] = (),
) -> tuple[str, str, bool]:
    """Queue a sync; returns (run id, type, already queued). A queued run of the type is reused, and a running
    one too unless ``reuse_running`` is off (a vendor webhook: the running sync may have read past the change).
    ``streams`` limits a DELTA to those streams; a reused queued run widens to cover them (or to all).
    ``deletions``: records a webhook said were deleted, joined to the queued run's (see :data:`MAX_DELETIONS`)."""
    reusable = ("QUEUED", "RUNNING") if reuse_running else ("QUEUED",)
    limited = orjson.dumps(sorted(set(streams))).decode() if streams is not None and sync_type == "DELTA" else None
    with engine.begin() as conn:
        existing = conn.execute(
            select(sync_runs.c.id, sync_runs.c.type, sync_runs.c.status, sync_runs.c.streams, sync_runs.c.deletions)
            .where(
                sync_runs.c.integration_id == integration_id,
                sync_runs.c.type == sync_type,
                sync_runs.c.status.in_(reusable),
            )
            .order_by(sync_runs.c.queued_at)
            .limit(1)
        ).first()
        if existing is not None:
            if existing.status == "QUEUED":
                wider = (_merged(existing.streams, streams if limited is not None else None)
                         if existing.streams is not None else None)  # fmt: skip
                checks = _with_deletions(existing.deletions, deletions) if deletions else existing.deletions
                if wider != existing.streams or checks != existing.deletions:
                    conn.execute(
                        update(sync_runs)
                        .where(sync_runs.c.id == existing.id, sync_runs.c.status == "QUEUED")
                        .values(streams=wider, deletions=checks)
                    )
            return existing.id, existing.type, True
    run_id = _new_id()
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(sync_runs).values(
                    id=run_id,
                    integration_id=integration_id,
                    type=sync_type,
                    status="QUEUED",
                    queued_at=utcnow(),
                    trigger=trigger,
                    streams=limited,
                    deletions=_with_deletions(None, deletions),
                )
            )
    except IntegrityError:  # queued concurrently by someone else
        return enqueue(engine, integration_id, sync_type, trigger, reuse_running=reuse_running, streams=streams,
                       deletions=deletions)  # fmt: skip
    return run_id, sync_type, False


def start(engine: Engine, integration_id: str, sync_type: str, trigger: str, run_id: str | None = None) -> str:
    """Move a queued run (or a new one) to RUNNING. Raises SyncAlreadyRunning when another one runs."""
    now = utcnow()
    try:
        with engine.begin() as conn:
            reap_stale(conn, integration_id, now, covered_by=sync_type)
            if run_id is None:
                run_id = _new_id()
                conn.execute(
                    insert(sync_runs).values(
                        id=run_id,
                        integration_id=integration_id,
                        type=sync_type,
                        status="RUNNING",
                        queued_at=now,
                        started_at=now,
                        heartbeat_at=now,
                        trigger=trigger,
                        worker=worker_id(),
                    )
                )
            else:
                moved = conn.execute(
                    update(sync_runs)
                    .where(sync_runs.c.id == run_id, sync_runs.c.status == "QUEUED")
                    .values(status="RUNNING", started_at=now, heartbeat_at=now, worker=worker_id())
                ).rowcount
                if moved != 1:
                    raise SyncAlreadyRunning(f"sync run {run_id} is no longer queued")
    except IntegrityError:
        raise SyncAlreadyRunning(f"a sync of {integration_id} is already running") from None
    return run_id


@dataclass(frozen=True)
class Queued:
    """Why a run was queued (``scheduler``, ``vendor-webhook``, ``status_map``...: whether a FULL run is an audit
    depends on it) and the streams it is limited to (None: all)."""

    trigger: str | None
    streams: frozenset[str] | None
    #: Records a vendor webhook said were deleted, to read by id at the vendor before marking them deleted.
    deletions: tuple[Deleted, ...] = ()


def queued_as(engine: Engine, run_id: str) -> Queued:
    with engine.connect() as conn:
        row = conn.execute(
            select(sync_runs.c.trigger, sync_runs.c.streams, sync_runs.c.deletions).where(sync_runs.c.id == run_id)
        ).first()
    if row is None:
        return Queued(None, None)
    try:
        names = orjson.loads(row.streams) if row.streams else None
    except orjson.JSONDecodeError:
        names = None
    limited = frozenset(str(n) for n in names) if isinstance(names, list) else None
    return Queued(row.trigger, limited, tuple(parse_deletions(row.deletions)))


def heartbeat(conn: Connection, run_id: str) -> None:
    """Refreshed inside each page's own transaction (no extra commit per page)."""
    conn.execute(update(sync_runs).where(sync_runs.c.id == run_id).values(heartbeat_at=utcnow()))


def finish(engine: Engine, run_id: str, status: str, stats: dict[str, Any], error: str | None) -> None:
    with engine.begin() as conn:
        record_finish(conn, run_id, status, stats, error)


def record_finish(
    conn: Connection,
    run_id: str,
    status: str,
    stats: dict[str, Any],
    error: str | None,
    finished_at: datetime | None = None,
) -> None:
    """:func:`finish` inside the caller's transaction (the engine commits the run's events with it)."""
    conn.execute(
        update(sync_runs)
        .where(sync_runs.c.id == run_id)
        .values(status=status, finished_at=finished_at or utcnow(), stats=orjson.dumps(stats).decode(), error=error)
    )
