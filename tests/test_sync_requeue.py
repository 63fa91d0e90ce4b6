"""A run reaped as dead (its process is gone, or its heartbeat went stale) is queued again, a bounded number
of times in a row: a forced sync survives ``serve`` being SIGKILLed mid-run, and a sync that kills its
process every time does not loop forever. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import MODEL_TABLES, sync_runs
from tests.conftest import _pg_database


@pytest.fixture
def own_db(db_url: str, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A database of its own: the ``serve`` under test schedules every integration it finds."""
    if db_url.startswith("sqlite"):
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'own.db'}"])
    else:
        urls = _pg_database()
    url = next(urls)
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield url, engine
    finally:
        engine.dispose()
        for _ in urls:  # drops the PostgreSQL database
            pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ATSBRIDGE_DATABASE_URL": url,
        "ATSBRIDGE_SECRET_KEY": settings.secret_key or "",
        "ATSBRIDGE_PORT": str(_free_port()),
        "ATSBRIDGE_SCHEDULER": "true",
        "ATSBRIDGE_WEBHOOKS_DISPATCH": "false",
    }
    cmd = [sys.executable, "-m", "atsbridge", "serve"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _run(engine: Engine, run_id: str) -> object:
    with engine.connect() as conn:
        return conn.execute(select(sync_runs).where(sync_runs.c.id == run_id)).one()


def test_a_forced_sync_survives_serve_being_sigkilled(own_db: tuple[str, Engine], settings: Settings) -> None:
    url, engine = own_db
    with engine.begin() as conn:
        env = platform.create_environment(conn, "kill")
        iid = platform.create_integration(conn, env, "sandbox", "Kill Inc.", {"seed": 4, "size": 6000})
    forced, _, _ = runs.enqueue(engine, iid, "FULL", "force-sync")  # what POST /v1/force-sync does
    apps = MODEL_TABLES["applications"]
    first = _serve(url, settings)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # kill once the forced run is writing applications
            with engine.connect() as conn:
                n = conn.execute(select(func.count()).where(apps.c.integration_id == iid)).scalar_one()
            if n > 0 or first.poll() is not None:
                break
            time.sleep(0.02)
        assert first.poll() is None, "serve exited on its own"
        assert _run(engine, forced).status == "RUNNING"  # type: ignore[attr-defined]
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    second = _serve(url, settings)  # the restarted server's reaper finds the dead run
    try:
        deadline = time.monotonic() + 180
        redo = None
        while time.monotonic() < deadline and second.poll() is None:
            with engine.connect() as conn:
                rows = conn.execute(select(sync_runs).where(sync_runs.c.integration_id == iid)).all()
            redo = next((r for r in rows if r.id != forced and r.trigger == "force-sync"), None)
            if redo is not None and redo.status in ("SUCCEEDED", "FAILED"):
                break
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.send_signal(signal.SIGKILL)
            second.wait()
    dead = _run(engine, forced)
    assert dead.status == "FAILED"  # type: ignore[attr-defined]
    assert redo is not None, "the forced sync was lost with the killed process"
    assert f"queued again as {redo.id}" in (dead.error or "")  # type: ignore[attr-defined]
    assert redo.type == "FULL" and redo.status == "SUCCEEDED", redo.error


def _kill_run(engine: Engine, run_id: str) -> None:
    """The run's process stopped answering: a heartbeat long past ``STALE_AFTER``."""
    with engine.begin() as conn:
        conn.execute(
            update(sync_runs)
            .where(sync_runs.c.id == run_id)
            .values(heartbeat_at=utcnow() - runs.STALE_AFTER - timedelta(minutes=1), worker="elsewhere:1")
        )


def test_requeues_are_bounded_per_run_and_reset_by_a_finished_run(engine: Engine, environment: str) -> None:
    with engine.begin() as conn:
        iid = platform.create_integration(conn, environment, "sandbox", "Crash Inc.", {"seed": 1, "size": "tiny"})
    run_id, _, _ = runs.enqueue(engine, iid, "DELTA", "force-sync")
    chain = [run_id]
    for _ in range(runs.MAX_REQUEUES + 1):  # the run, then each requeue, dies in turn
        runs.start(engine, iid, "DELTA", "force-sync", chain[-1])
        _kill_run(engine, chain[-1])
        with engine.begin() as conn:
            assert runs.reap_stale(conn, iid) == 1
            queued = conn.execute(
                select(sync_runs.c.id).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
            ).scalar_one_or_none()
        if queued is not None:
            chain.append(queued)
    assert len(chain) == runs.MAX_REQUEUES + 1  # the original plus MAX_REQUEUES re-queues, then no more
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(sync_runs).where(sync_runs.c.integration_id == iid))}
    assert all(r.status == "FAILED" for r in rows.values())
    assert "not queued again (interrupted 3 times in a row)" in (rows[chain[-1]].error or "")
    assert all(r.trigger == "force-sync" for r in rows.values())
    # A later run that dies starts a new count: it is queued again.
    fresh, _, _ = runs.enqueue(engine, iid, "DELTA", "scheduler")
    runs.start(engine, iid, "DELTA", "scheduler", fresh)
    _kill_run(engine, fresh)
    with engine.begin() as conn:
        runs.reap_stale(conn, iid)
        assert (
            conn.execute(
                select(func.count()).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
            ).scalar_one()
            == 1
        )


def test_a_run_started_in_its_place_makes_the_requeue_redundant(engine: Engine, environment: str) -> None:
    with engine.begin() as conn:
        iid = platform.create_integration(conn, environment, "sandbox", "Again Inc.", {"seed": 2, "size": "tiny"})
    dead = runs.start(engine, iid, "FULL", "cli")
    _kill_run(engine, dead)
    alive = runs.start(engine, iid, "FULL", "cli")  # reaps the dead one and redoes its work itself
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(select(sync_runs.c.id, sync_runs.c.status).where(sync_runs.c.integration_id == iid)).all()
        )
    assert statuses == {dead: "FAILED", alive: "RUNNING"}
    runs.finish(engine, alive, "SUCCEEDED", {}, None)
