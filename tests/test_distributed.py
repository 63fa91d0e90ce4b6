"""Distributed mode: scheduling rules, attempt semantics, worker shutdown, and a whole cluster under load.

The first tests run in-process on SQLite and PostgreSQL. The cluster tests start real ``atsbridge worker``
and ``atsbridge serve`` processes on a fresh PostgreSQL database of their own (workers schedule every
integration they can see, so they must not share the session database with other tests).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import Engine, func, select, text, update

from atsbridge.connectors.sandbox.generator import sandbox
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.jobs import due
from atsbridge.jobs.attempt import SKIPPED, SyncBusy, WorkReturned, run_attempt
from atsbridge.jobs.localcluster import LocalCluster
from atsbridge.jobs.procrastinate_backend import ProcrastinateBackend
from atsbridge.jobs.settings import JobSettings
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import MODEL_TABLES, sync_runs
from tests.conftest import PG_ADMIN_URL

HOST = socket.gethostname()


def _new_integration(engine: Engine, config: dict[str, Any], env: str | None = None) -> str:
    with engine.begin() as conn:
        env = env or platform.create_environment(conn, f"dist-{uuid.uuid4().hex[:6]}")
        return platform.create_integration(conn, env, "sandbox", "Dist Inc.", config)


def _runs_of(engine: Engine, integration_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(sync_runs).where(sync_runs.c.integration_id == integration_id).order_by(sync_runs.c.queued_at)
            )
        )


# --------------------------------------------------------------------------------------- scheduling rules
def test_due_runs_follow_the_embedded_rules(engine: Engine, settings: Settings) -> None:
    default = _new_integration(engine, {"seed": 1, "size": "tiny"})
    fast = _new_integration(engine, {"seed": 2, "size": "tiny", "delta_sync_minutes": 0.05})
    mine = {default, fast}
    now = utcnow()

    def due_now(at: datetime) -> set[tuple[str, str]]:
        with engine.connect() as conn:
            return set(due.due_runs(conn, settings, at, only=mine))

    assert due_now(now) == {(default, "FULL"), (fast, "FULL")}
    assert due.queue_due(engine, settings, now, only=mine) == 2
    assert due_now(now + timedelta(days=1)) == set(), "nothing is queued while a run of the type is queued"
    with engine.begin() as conn:  # both FULL runs finish
        conn.execute(
            update(sync_runs)
            .where(sync_runs.c.integration_id.in_(mine), sync_runs.c.status == "QUEUED")
            .values(status="SUCCEEDED", started_at=now, finished_at=now)
        )
    assert due_now(now + timedelta(seconds=2)) == set()
    assert due_now(now + timedelta(seconds=4)) == {(fast, "DELTA")}  # 0.05 minutes = 3 s
    assert due_now(now + timedelta(minutes=16)) == {(default, "DELTA"), (fast, "DELTA")}
    assert due_now(now + timedelta(hours=13)) == {(default, "FULL"), (fast, "FULL")}


def test_a_concurrent_queue_of_the_same_run_is_a_no_op(engine: Engine, settings: Settings) -> None:
    iid = _new_integration(engine, {"seed": 3, "size": "tiny"})
    runs.enqueue(engine, iid, "FULL", "force-sync")  # e.g. the API queued it a moment ago
    with engine.begin() as conn:
        assert due.insert_queued(conn, [(iid, "FULL")], "scheduler", utcnow()) == 0
    assert [r.status for r in _runs_of(engine, iid)] == ["QUEUED"]


# --------------------------------------------------------------------------------------- attempt semantics
def test_first_delivery_runs_the_run_and_duplicates_do_nothing(engine: Engine, settings: Settings) -> None:
    iid = _new_integration(engine, {"seed": 4, "size": "tiny"})
    run_id, _, _ = runs.enqueue(engine, iid, "FULL", "scheduler")
    args: dict[str, Any] = {"integration_id": iid, "sync_type": "FULL", "run_id": run_id}
    assert run_attempt(engine, settings, retry=False, **args) == "SUCCEEDED"
    assert run_attempt(engine, settings, retry=False, **args) == SKIPPED  # delivered twice
    assert run_attempt(engine, settings, retry=True, **args) == SKIPPED  # retried after it had finished
    assert [r.status for r in _runs_of(engine, iid)] == ["SUCCEEDED"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_retry_after_a_dead_worker_reaps_its_run_and_syncs_again(engine: Engine, settings: Settings) -> None:
    iid = _new_integration(engine, {"seed": 5, "size": "tiny"})
    run_id, _, _ = runs.enqueue(engine, iid, "FULL", "scheduler")
    with engine.begin() as conn:  # the first attempt's worker died mid-sync
        conn.execute(
            update(sync_runs)
            .where(sync_runs.c.id == run_id)
            .values(status="RUNNING", started_at=utcnow(), heartbeat_at=utcnow(), worker=f"{HOST}:{_dead_pid()}")
        )
    status = run_attempt(engine, settings, integration_id=iid, sync_type="FULL", run_id=run_id, retry=True)
    assert status == "SUCCEEDED"
    history = _runs_of(engine, iid)
    # the reaper queued the dead run's work again, under its own trigger (a forced sync stays forced)
    assert [(r.status, r.trigger) for r in history] == [("FAILED", "scheduler"), ("SUCCEEDED", "scheduler")]
    assert "interrupted" in (history[0].error or "")
    assert f"queued again as {history[1].id}" in (history[0].error or "")


def test_a_retry_while_the_holder_lives_asks_to_come_back_later(engine: Engine, settings: Settings) -> None:
    iid = _new_integration(engine, {"seed": 6, "size": "tiny"})
    run_id = runs.start(engine, iid, "FULL", "cli")  # held by this very (live) process
    with pytest.raises(SyncBusy):
        run_attempt(engine, settings, integration_id=iid, sync_type="FULL", run_id=run_id, retry=True)
    runs.finish(engine, run_id, "SUCCEEDED", {}, None)


def test_an_interrupted_attempt_returns_its_work(engine: Engine, settings: Settings) -> None:
    iid = _new_integration(engine, {"seed": 7, "size": "tiny"})
    run_id, _, _ = runs.enqueue(engine, iid, "FULL", "scheduler")
    args: dict[str, Any] = {"integration_id": iid, "sync_type": "FULL", "run_id": run_id}
    with pytest.raises(WorkReturned):  # stopping before it started: the run stays queued
        run_attempt(engine, settings, retry=False, interrupted=lambda: True, **args)
    assert [r.status for r in _runs_of(engine, iid)] == ["QUEUED"]

    polls = iter(range(1_000))
    with pytest.raises(WorkReturned):  # stopping after the first committed page
        run_attempt(engine, settings, retry=False, interrupted=lambda: next(polls) >= 2, **args)
    [interrupted] = _runs_of(engine, iid)
    assert interrupted.status == "FAILED" and "SyncInterrupted" in interrupted.error

    assert run_attempt(engine, settings, retry=True, **args) == "SUCCEEDED"  # the returned job, elsewhere
    assert [r.status for r in _runs_of(engine, iid)] == ["FAILED", "SUCCEEDED"]


# --------------------------------------------------------------------------------------- real processes
SECRET = "dist-secret-" + "x" * 40
FAST = {  # what the cluster tests tune (production defaults are in JobSettings)
    "ATSBRIDGE_TICK_SECONDS": "1",
    "ATSBRIDGE_WORKER_HEARTBEAT_SECONDS": "1",
    "ATSBRIDGE_STALLED_AFTER_SECONDS": "5",
    "ATSBRIDGE_STALLED_CHECK_SECONDS": "2",
    "ATSBRIDGE_DELETE_SUCCEEDED_JOBS": "false",  # keep job rows, to inspect them
}


@pytest.fixture
def cluster_db() -> Iterator[str]:
    name = f"atsbridge_dist_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cluster_engine(cluster_db: str) -> Iterator[Engine]:
    eng = make_engine(cluster_db)
    upgrade(eng)
    yield eng
    eng.dispose()


def _wait_for(predicate: Any, timeout: float, what: str, every: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _running_on(engine: Engine, proc: subprocess.Popen[bytes]) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(sync_runs).where(sync_runs.c.status == "RUNNING", sync_runs.c.worker == f"{HOST}:{proc.pid}")
            )
        )


def _jobs(engine: Engine, where: str = "true", **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(f"SELECT * FROM procrastinate.procrastinate_jobs WHERE {where}"), params))


@pytest.mark.slow
def test_sigterm_returns_or_finishes_running_work(cluster_engine: Engine, cluster_db: str, tmp_path: Path) -> None:
    big = _new_integration(cluster_engine, {"seed": 8, "size": 4000})
    with LocalCluster(cluster_db, SECRET, tmp_path, env=FAST) as cluster:
        # 1. No time to finish: the sync stops at a page boundary and its job goes back to the queue.
        impatient = cluster.start_worker(env={"ATSBRIDGE_SHUTDOWN_SECONDS": "0"})
        _wait_for(lambda: _running_on(cluster_engine, impatient), 60, "the first full sync to start")
        impatient.send_signal(signal.SIGTERM)
        assert impatient.wait(timeout=30) == 0
        returned, *later = _runs_of(cluster_engine, big)
        assert returned.status == "FAILED" and "SyncInterrupted" in returned.error
        assert all(r.status == "QUEUED" for r in later)  # a tick may have queued the next run meanwhile
        [job] = _jobs(cluster_engine, "args->>'run_id' = :id", id=returned.id)
        assert (job.status, job.attempts) == ("todo", 1), "the job was handed back, not lost"

        # 2. Another worker takes the returned job over.
        patient = cluster.start_worker(env={"ATSBRIDGE_SHUTDOWN_SECONDS": "120"})
        _wait_for(lambda: _runs_of(cluster_engine, big)[-1].status == "SUCCEEDED", 120, "the retried sync")
        # The returned job either starts a new run or adopts the one the scheduler queued meanwhile: one sync.
        assert [r.status for r in _runs_of(cluster_engine, big)] == ["FAILED", "SUCCEEDED"]
        _wait_for(lambda: _jobs(cluster_engine, "id = :id AND status = 'succeeded'", id=job.id), 30, "the job")

        # 3. Enough time to finish: a sync queued through the API's backend completes before the exit.
        backend = ProcrastinateBackend(
            cluster_engine, Settings(database_url=cluster_db, secret_key=SECRET), JobSettings()
        )
        backend.start()
        try:
            run_id, _, already = backend.submit_sync(big, "FULL", "force-sync")
        finally:
            backend.stop()
        assert not already
        _wait_for(lambda: _running_on(cluster_engine, patient), 60, "the forced sync to start")
        patient.send_signal(signal.SIGTERM)
        assert patient.wait(timeout=120) == 0
        assert _runs_of(cluster_engine, big)[-1].id == run_id
        assert _runs_of(cluster_engine, big)[-1].status == "SUCCEEDED"


# ------------------------------------------------------------------------------------ the whole cluster
INTEGRATIONS = 200
DELTA_MINUTES = 1 / 3  # every integration is due every 20 s: ~75% of what a quiet 2-core box sustains
FULL_HOURS = 0.02  # ... and the first 20 get a fresh FULL sync every 72 s
LOAD_SECONDS = float(os.environ.get("ATSBRIDGE_DISTRIBUTED_TEST_SECONDS", "100"))
#: Waits below only guard against a hang: generous, so an overloaded machine is slow, never failing.
HANG = 600


@dataclass
class Reader:
    """One API client reading applications of random integrations, alternating between API processes."""

    urls: list[str]
    key: str
    integrations: list[str]
    expected: dict[str, int]
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    per_api: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        rng = random.Random(1)
        with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {self.key}"}) as client:
            while not self.stop.is_set():
                url = self.urls[self.ok % len(self.urls)]
                iid = rng.choice(self.integrations)
                try:
                    r = client.get(
                        f"{url}/v1/ats/applications", params={"page_size": 50}, headers={"X-Integration-Id": iid}
                    )
                    results = r.json()["data"]["results"] if r.status_code == 200 else None
                except (httpx.HTTPError, ValueError) as exc:
                    self.failures.append(f"{url}: {exc!r}")
                    continue
                if results is None:
                    self.failures.append(f"{url}: HTTP {r.status_code} {r.text[:200]}")
                elif len(results) != self.expected[iid]:
                    self.failures.append(f"{url}: {len(results)} applications of {iid}")
                else:
                    self.ok += 1
                    self.per_api[url] += 1
                time.sleep(0.005)


def _kill_mid_sync(
    cluster: LocalCluster, engine: Engine, workers: list[subprocess.Popen[bytes]]
) -> tuple[datetime, set[str], set[int]]:
    """SIGKILL a worker while it runs a sync (a fresh one, so it cannot finish between look and kill);
    replace it. Returns when it died, its runs left RUNNING, and its jobs left in flight."""
    for _ in range(3):  # a tiny sync may still end in the millisecond between look and kill: try another
        victim = workers.pop(0)

        def fresh_run(victim: subprocess.Popen[bytes] = victim) -> bool:
            recent = utcnow() - timedelta(milliseconds=20)
            return any(r.started_at > recent for r in _running_on(engine, victim))

        _wait_for(fresh_run, 120, "the victim to start a sync", every=0.001)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        killed_at = utcnow()
        workers.append(cluster.start_worker(concurrency=2))
        lost_runs = {r.id for r in _running_on(engine, victim)}  # a dead process finishes nothing
        if lost_runs:
            doing = _jobs(engine, "status = 'doing' AND args->>'run_id' = ANY(:ids)", ids=list(lost_runs))
            return killed_at, lost_runs, {j.id for j in doing}
    raise AssertionError("could not catch a worker mid-sync")


def _synced_since(engine: Engine, since: datetime) -> set[str]:
    """The integrations with a sync that succeeded after ``since``."""
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(sync_runs.c.integration_id).where(
                    sync_runs.c.status == "SUCCEEDED", sync_runs.c.finished_at > since
                )
            ).scalars()
        )


@pytest.mark.slow
def test_three_workers_two_apis_200_integrations(cluster_engine: Engine, cluster_db: str, tmp_path: Path) -> None:
    """Correctness under load, never speed: a busy machine may only make it slower. How closely the schedule
    is kept (gaps between syncs) is measured by ``bench/scale.py --parts gaps`` on the same scenario."""
    engine = cluster_engine
    with engine.begin() as conn:
        env = platform.create_environment(conn, "cluster")
        key = platform.create_api_key(conn, env, "reader")
        ids = [
            platform.create_integration(
                conn,
                env,
                "sandbox",
                f"Tenant {n}",
                {
                    "seed": n,
                    "size": "tiny",
                    "delta_sync_minutes": DELTA_MINUTES,
                    **({"full_sync_hours": FULL_HOURS} if n < 20 else {}),
                },
            )
            for n in range(INTEGRATIONS)
        ]
    expected = {iid: sandbox(n, "tiny").count("applications") for n, iid in enumerate(ids)}

    with LocalCluster(cluster_db, SECRET, tmp_path, env=FAST) as cluster:
        workers = [cluster.start_worker(concurrency=2) for _ in range(3)]
        cluster.start_api(timeout=HANG)
        cluster.start_api(timeout=HANG)

        def synced_once() -> bool:
            with engine.connect() as conn:
                n = conn.execute(
                    select(func.count(func.distinct(sync_runs.c.integration_id))).where(
                        sync_runs.c.status == "SUCCEEDED"
                    )
                ).scalar_one()
            return bool(n == INTEGRATIONS)

        started = time.monotonic()
        _wait_for(synced_once, HANG, "every integration's first sync", every=0.5)
        first_round = time.monotonic() - started
        window_start = utcnow()
        # Reads start once every integration has data (before that the API answers 409
        # INTEGRATION.SETUP_SYNC_PENDING, as Kombo does), and must then never fail nor see partial data.
        reader = Reader(cluster.api_urls, key, ids, expected)
        reading = threading.Thread(target=reader.run, daemon=True)
        reading.start()

        # A third of the way in: SIGKILL a worker in the middle of a sync.
        time.sleep(LOAD_SECONDS / 3)
        killed_at, lost_runs, lost_jobs = _kill_mid_sync(cluster, engine, workers)

        # Two thirds in: a rolling restart of another worker (SIGTERM finishes its syncs, exit 0).
        time.sleep(LOAD_SECONDS / 3)
        leaving = workers[0]
        leaving.send_signal(signal.SIGTERM)
        graceful_exit = leaving.wait(timeout=HANG)
        workers.append(cluster.start_worker(concurrency=2))

        time.sleep(LOAD_SECONDS / 3)
        window_end = utcnow()
        # No integration starves: each one syncs again after the restarts (waited for, not timed).
        _wait_for(lambda: len(_synced_since(engine, window_end)) == INTEGRATIONS, HANG, "a sync of each", every=1)
        reader.stop.set()
        reading.join(timeout=30)
        exit_codes = cluster.stop_workers(timeout=HANG)

    with engine.connect() as conn:
        history = conn.execute(select(sync_runs).order_by(sync_runs.c.started_at)).all()
        sync_jobs = _jobs(engine, "task_name = 'atsbridge.run_sync'")
        ticks = _jobs(engine, "task_name = 'atsbridge.schedule_tick'")
        apps = MODEL_TABLES["applications"]
        live: dict[str, int] = dict(
            conn.execute(
                select(apps.c.integration_id, func.count())
                .where(apps.c.remote_deleted_at.is_(None))
                .group_by(apps.c.integration_id)
            ).all()
        )
    by_integration: dict[str, list[Any]] = defaultdict(list)
    for r in history:
        by_integration[r.integration_id].append(r)

    # Never two concurrent syncs of one integration (run intervals never overlap).
    overlaps = [
        (a.id, b.id)
        for rs in by_integration.values()
        for a, b in zip([r for r in rs if r.started_at], [r for r in rs if r.started_at][1:], strict=False)
        if a.finished_at is None or b.started_at < a.finished_at
    ]
    assert overlaps == []
    assert not [r for r in history if r.status in ("RUNNING",)]

    # No job lost to SIGKILL: the victim's jobs were retried and succeeded; its runs were redone.
    assert lost_runs and lost_jobs, "the victim was killed mid-sync"
    final = {j.id: j for j in sync_jobs}
    assert all(final[j].status == "succeeded" and final[j].attempts >= 1 for j in lost_jobs), [
        (final[j].status, final[j].attempts) for j in lost_jobs
    ]
    for run in (r for r in history if r.id in lost_runs):
        assert run.status == "FAILED" and "interrupted" in run.error
        assert any(r.status == "SUCCEEDED" and r.started_at > killed_at for r in by_integration[run.integration_id])
    assert not [j for j in sync_jobs if j.status in ("doing", "failed")]
    failures = [r for r in history if r.status == "FAILED" and r.id not in lost_runs]
    assert failures == [], [(r.integration_id, r.error) for r in failures]

    # Graceful shutdown: every SIGTERMed worker exited 0 after finishing its work.
    assert graceful_exit == 0 and all(code == 0 for code in exit_codes), (graceful_exit, exit_codes)

    # Each run went queued -> started -> finished, in that order.
    disordered = [
        r.id
        for r in history
        if r.started_at and (r.finished_at is None or not r.queued_at <= r.started_at <= r.finished_at)
    ]
    assert disordered == []
    stamps = sorted(t.args["timestamp"] for t in ticks)
    in_window = [r for r in history if r.status == "SUCCEEDED" and window_start < r.finished_at < window_end]
    print(  # counts only; timing figures come from bench/scale.py --parts gaps
        f"\n{INTEGRATIONS} integrations, 3 workers x 2, 2 APIs; first round {first_round:.1f}s",
        f"{len(in_window)} syncs in the window",
        f"SIGKILL interrupted {len(lost_runs)} runs / {len(lost_jobs)} jobs, all retried",
        f"{len(stamps)} ticks",
        f"{reader.ok} reads, {len(reader.failures)} failed {dict(reader.per_api)}",
        sep="; ",
    )

    # Scheduling ran once per tick cluster-wide, not once per worker: one job per cron timestamp.
    assert len(set(stamps)) == len(stamps)
    assert len(stamps) <= stamps[-1] - stamps[0] + 1, f"{len(stamps)} ticks in {stamps[-1] - stamps[0]}s"

    # Reads never failed, were served by both API processes, and the store is complete.
    assert reader.failures == [], reader.failures[:5]
    assert len(reader.per_api) == 2 and all(n > 0 for n in reader.per_api.values())
    assert live == expected
