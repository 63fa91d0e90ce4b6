"""The sync engine end to end against the sandbox ATS: exact deltas, safe deletions, crash safety, scheduling."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import pytest
from kombo import Kombo
from sqlalchemy import Engine, func, select

from atsbridge.connectors import registry
from atsbridge.connectors.base import IntegrationInfo, Source, Stream
from atsbridge.connectors.sandbox.simulate import simulate
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.jobs.scheduler import EmbeddedScheduler
from atsbridge.model.registry import MODELS
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, sync_runs
from atsbridge.sync.engine import SyncEngine
from tests.conftest import Sandbox, Server, make_sandbox, sync_now


def snapshot(engine: Engine, iid: str) -> dict[str, dict[str, tuple[Any, Any, Any]]]:
    """model -> id -> (changed_at, effective_changed_at, remote_deleted_at)."""
    out: dict[str, dict[str, tuple[Any, Any, Any]]] = {}
    with engine.connect() as conn:
        for model, t in MODEL_TABLES.items():
            rows = conn.execute(
                select(t.c.id, t.c.changed_at, t.c.effective_changed_at, t.c.remote_deleted_at).where(
                    t.c.integration_id == iid
                )
            )
            out[model] = {r.id: (r.changed_at, r.effective_changed_at, r.remote_deleted_at) for r in rows}
    return out


def test_delta_sync_reflects_exactly_the_simulated_changes(engine: Engine, settings: Settings) -> None:
    sbx = make_sandbox(engine, settings, "small", seed=5)
    before = snapshot(engine, sbx.integration_id)
    report = simulate(engine, sbx.integration_id, 5, "small", 60, rng_seed=3)
    result = sync_now(engine, settings, sbx.integration_id, full=False)
    assert result.type == "DELTA"
    after = snapshot(engine, sbx.integration_id)
    upserted, deleted = report.upserted(), report.deleted()
    assert sum(len(v) for v in upserted.values()) > 10 and deleted
    for model in MODELS:
        touched = {record_id(sbx.integration_id, model, r) for r in upserted.get(model, set())}
        gone = {record_id(sbx.integration_id, model, r) for r in deleted.get(model, set())}
        moved = {i for i, v in after[model].items() if before[model].get(i, (None,))[0] != v[0]}
        # changed_at moved for records the ATS changed (and, for deletions, those it deleted) — nothing else.
        assert moved <= touched | gone, f"{model}: changed_at moved on untouched records {moved - touched - gone}"
        created = {i for i in after[model] if i not in before[model]}
        assert created <= touched
        now_deleted = {i for i, v in after[model].items() if v[2] is not None}
        assert now_deleted == {i for i in gone if i in after[model]} | {
            i for i, v in before[model].items() if v[2] is not None
        }


def test_updated_after_serves_the_changes_and_deletions(server: Server, engine: Engine, settings: Settings) -> None:
    sbx = make_sandbox(engine, settings, "small", seed=6)
    k = Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)
    mark = utcnow()
    time.sleep(0.005)
    report = simulate(engine, sbx.integration_id, 6, "small", 40, rng_seed=9)
    sync_now(engine, settings, sbx.integration_id, full=False)
    changed_apps = {record_id(sbx.integration_id, "applications", r) for r in report.upserted().get("applications", ())}
    deleted_apps = {record_id(sbx.integration_id, "applications", r) for r in report.deleted().get("applications", ())}
    seen: set[str] = set()
    res = k.ats.get_applications(updated_after=mark, include_deleted=True, page_size=50)
    while res is not None:
        seen.update(a.id for a in res.result.data.results)
        for a in res.result.data.results:
            if a.id in deleted_apps:
                assert a.remote_deleted_at is not None
        res = res.next()
    assert changed_apps <= seen
    assert deleted_apps <= seen
    # Nothing changed after the sync: an incremental read from now is empty.
    assert k.ats.get_applications(updated_after=utcnow()).result.data.results == []


class _Broken:
    """Wraps a real source; the vendor fails after ``pages`` pages of one stream (a partial listing)."""

    def __init__(self, inner: Source, stream: str, pages: int):
        self.inner, self.stream, self.pages = inner, stream, pages

    async def read(self, stream: Stream, since: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        n = 0
        async for page in self.inner.read(stream, since):
            if stream.name == self.stream and n >= self.pages:
                raise ConnectionError("the vendor went away mid-listing")
            n += 1
            yield page[: len(page) // 2] if stream.name == self.stream else page

    async def deletions(self, since: datetime | None) -> Any:
        return await self.inner.deletions(since)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def broken_tool() -> Iterator[str]:
    sandbox = registry.get_connector("sandbox")

    def open_broken(info: IntegrationInfo) -> Source:
        return _Broken(sandbox.open(dataclasses.replace(info, tool="sandbox")), "candidates", 0)

    registry.BUILTIN["broken"] = registry.BUILTIN["sandbox"]
    registry._loaded["broken"] = dataclasses.replace(sandbox, tool="broken", open=open_broken, deletion_feed=False)
    yield "broken"
    registry.BUILTIN.pop("broken")
    registry._loaded.pop("broken")


def test_failed_full_sync_marks_nothing_deleted(engine: Engine, settings: Settings, broken_tool: str) -> None:
    sbx = make_sandbox(engine, settings, "tiny", seed=8)
    with engine.begin() as conn:
        conn.execute(
            platform.integrations.update()
            .where(platform.integrations.c.id == sbx.integration_id)
            .values(tool=broken_tool, config='{"seed": 8, "size": "tiny"}')
        )
    before = snapshot(engine, sbx.integration_id)
    result = asyncio.run(SyncEngine(engine, settings).run(sbx.integration_id, full=True))
    assert result.status == "FAILED" and "went away" in (result.error or "")
    after = snapshot(engine, sbx.integration_id)
    for model in MODELS:
        assert not [i for i, v in after[model].items() if v[2] is not None and before[model][i][2] is None]


def test_mass_deletion_breaker(engine: Engine, settings: Settings) -> None:
    """A vendor that suddenly lists far fewer records (lost permissions, empty pages) deletes nothing."""
    sbx = make_sandbox(engine, settings, "small", seed=12)
    sandbox = registry.get_connector("sandbox")

    class Half:
        def __init__(self, inner: Source):
            self.inner = inner

        async def read(self, stream: Stream, since: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
            async for page in self.inner.read(stream, since):
                yield page[: len(page) // 2] if stream.name == "candidates" else page

        async def deletions(self, since: datetime | None) -> Any:
            return await self.inner.deletions(since)

        async def aclose(self) -> None:
            await self.inner.aclose()

    registry._loaded["half"] = dataclasses.replace(
        sandbox, tool="half", open=lambda info: Half(sandbox.open(dataclasses.replace(info, tool="sandbox")))
    )
    registry.BUILTIN["half"] = registry.BUILTIN["sandbox"]
    try:
        with engine.begin() as conn:
            conn.execute(
                platform.integrations.update()
                .where(platform.integrations.c.id == sbx.integration_id)
                .values(tool="half")
            )
        result = asyncio.run(SyncEngine(engine, settings).run(sbx.integration_id, full=True))
    finally:
        registry._loaded.pop("half")
        registry.BUILTIN.pop("half")
    assert result.status == "SUCCEEDED"
    assert any(t.startswith("candidates:") for t in result.breaker_trips)
    assert result.models["candidates"].deleted == 0
    t = MODEL_TABLES["candidates"]
    with engine.connect() as conn:
        deleted = conn.execute(
            select(func.count()).where(t.c.integration_id == sbx.integration_id, t.c.remote_deleted_at.is_not(None))
        ).scalar_one()
    assert deleted == 0


def test_second_full_sync_changes_nothing(engine: Engine, settings: Settings, tiny_sandbox: Sandbox) -> None:
    before = snapshot(engine, tiny_sandbox.integration_id)
    result = sync_now(engine, settings, tiny_sandbox.integration_id, full=True)
    assert all(s.created == s.updated == s.deleted == 0 for s in result.models.values())
    assert snapshot(engine, tiny_sandbox.integration_id) == before


def test_one_sync_at_a_time(engine: Engine, settings: Settings, tiny_sandbox: Sandbox) -> None:
    from atsbridge.store import sync_runs as runs

    run_id = runs.start(engine, tiny_sandbox.integration_id, "DELTA", "test")
    with pytest.raises(runs.SyncAlreadyRunning):
        asyncio.run(SyncEngine(engine, settings).run(tiny_sandbox.integration_id))
    runs.finish(engine, run_id, "SUCCEEDED", {}, None)


def test_sigkill_mid_sync_leaves_a_consistent_store(engine: Engine, settings: Settings, db_url: str) -> None:
    with engine.begin() as conn:
        env = platform.create_environment(conn, "kill")
        iid = platform.create_integration(conn, env, "sandbox", "Kill Inc.", {"seed": 4, "size": 6000})
    env_vars = {**os.environ, "ATSBRIDGE_DATABASE_URL": db_url, "ATSBRIDGE_SECRET_KEY": settings.secret_key or ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "atsbridge", "sync", iid],
        env=env_vars,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    apps = MODEL_TABLES["applications"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once applications are being written
        with engine.connect() as conn:
            n = conn.execute(select(func.count()).where(apps.c.integration_id == iid)).scalar_one()
        if n > 0 or proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with engine.connect() as conn:
        run = conn.execute(select(sync_runs).where(sync_runs.c.integration_id == iid)).one()
        assert run.status == "RUNNING"  # it never got to say otherwise
        # Consistency: every stored application's candidate and job were stored before it.
        orphans = conn.execute(
            select(func.count())
            .select_from(apps)
            .where(
                apps.c.integration_id == iid,
                ~apps.c.candidate_id.in_(select(MODEL_TABLES["candidates"].c.id)),
            )
        ).scalar_one()
        assert orphans == 0
    # The next run reaps the dead one at once and completes.
    result = sync_now(engine, settings, iid)
    assert result.type == "FULL"
    with engine.connect() as conn:
        statuses = [r.status for r in conn.execute(select(sync_runs.c.status).where(sync_runs.c.integration_id == iid))]
    assert sorted(statuses) == ["FAILED", "SUCCEEDED"]
    again = sync_now(engine, settings, iid, full=True)
    assert all(s.created == s.updated == s.deleted == 0 for s in again.models.values())


def test_force_sync_queues_once_per_type_and_the_scheduler_runs_it(
    server: Server, engine: Engine, settings: Settings
) -> None:
    sbx = make_sandbox(engine, settings, "tiny", seed=21)
    k = Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)
    first = k.general.trigger_sync(type_="DELTA")
    assert first.data.already_queued is False and first.data.type == "DELTA"
    again = k.general.trigger_sync(type_="DELTA")
    assert again.data.already_queued is True and again.data.sync_id == first.data.sync_id
    full = k.general.trigger_sync()
    assert full.data.type == "FULL" and full.data.sync_id != first.data.sync_id
    scheduler = EmbeddedScheduler(engine, settings, workers=1, scope=lambda i: i.environment_id == sbx.environment_id)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            scheduler.tick()
            with engine.connect() as conn:
                states = {
                    r.id: r.status
                    for r in conn.execute(
                        select(sync_runs.c.id, sync_runs.c.status).where(
                            sync_runs.c.id.in_([first.data.sync_id, full.data.sync_id])
                        )
                    )
                }
            if set(states.values()) == {"SUCCEEDED"}:
                break
            time.sleep(0.1)
    finally:
        scheduler.stop()
    assert set(states.values()) == {"SUCCEEDED"}


def test_scheduler_queues_due_syncs(engine: Engine, settings: Settings) -> None:
    sbx = make_sandbox(engine, settings, "tiny", seed=22)
    scheduler = EmbeddedScheduler(engine, settings, workers=1, scope=lambda i: i.environment_id == sbx.environment_id)
    try:
        scheduler._queue_due(utcnow())
        with engine.connect() as conn:
            queued = (
                conn.execute(
                    select(sync_runs.c.type).where(
                        sync_runs.c.integration_id == sbx.integration_id, sync_runs.c.status == "QUEUED"
                    )
                )
                .scalars()
                .all()
            )
        assert queued == []  # just synced: nothing due
        later = utcnow() + __import__("datetime").timedelta(minutes=settings.delta_sync_minutes + 1)
        scheduler._queue_due(later)
        with engine.connect() as conn:
            queued = (
                conn.execute(
                    select(sync_runs.c.type).where(
                        sync_runs.c.integration_id == sbx.integration_id, sync_runs.c.status == "QUEUED"
                    )
                )
                .scalars()
                .all()
            )
        assert queued == ["DELTA"]
    finally:
        scheduler.stop()
    assert format_ts(utcnow())


def test_sdk_paging_is_stable_while_the_ats_changes(server: Server, engine: Engine, settings: Settings) -> None:
    """Between every two pages the ATS changes and a sync lands: no record is skipped or served twice."""
    sbx = make_sandbox(engine, settings, "small", seed=41)
    k = Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)
    t = MODEL_TABLES["applications"]
    with engine.connect() as conn:
        at_start = set(
            conn.execute(
                select(t.c.id).where(t.c.integration_id == sbx.integration_id, t.c.remote_deleted_at.is_(None))
            ).scalars()
        )
    seen: list[str] = []
    deleted: set[str] = set()
    res = k.ats.get_applications(page_size=25)
    step = 0
    while res is not None:
        seen.extend(a.id for a in res.result.data.results)
        step += 1
        report = simulate(engine, sbx.integration_id, 41, "small", 15, rng_seed=step)
        deleted |= {record_id(sbx.integration_id, "applications", r) for r in report.deleted().get("applications", ())}
        sync_now(engine, settings, sbx.integration_id, full=False)
        res = res.next()
    assert len(seen) == len(set(seen)), "a record was served twice"
    assert at_start - deleted <= set(seen), "a record that existed throughout was skipped"
