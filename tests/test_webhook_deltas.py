"""A vendor webhook's delta lists only the streams its events touched and what depends on them; a burst of
events widens the one queued run instead of queueing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, update

from atsbridge.connectors.base import Stream
from atsbridge.core.timeutil import utcnow
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import affected
from tests.conftest import make_sandbox


def _stream(name: str, *deps: str) -> Stream:
    return Stream(name=name, models=(name,), mapper=lambda raw, ctx: iter(()), depends_on=deps)


def test_the_touched_streams_bring_their_dependents_not_their_parents() -> None:
    streams = [
        _stream("users"),
        _stream("jobs"),
        _stream("applications", "jobs"),
        _stream("notes", "applications"),  # a fan-out over applications
        _stream("offers", "applications", "users"),
    ]
    assert affected(streams, ["applications"]) == {"applications", "notes", "offers"}
    assert affected(streams, ["users"]) == {"users", "offers"}
    assert affected(streams, ["jobs"]) == {"jobs", "applications", "notes", "offers"}
    assert affected(streams, ["nope"]) == frozenset()


@dataclass
class _Q:
    engine: Engine
    integration_id: str

    def queue(self, streams: Any, trigger: str = "vendor-webhook") -> str:
        run_id, _, _ = runs.enqueue(self.engine, self.integration_id, "DELTA", trigger, reuse_running=False,
                                    streams=streams)  # fmt: skip
        return run_id

    def streams(self, run_id: str) -> frozenset[str] | None:
        return runs.queued_as(self.engine, run_id).streams


def test_a_burst_widens_one_queued_run(engine: Engine, settings: Any) -> None:
    sandbox = make_sandbox(engine, settings, 5, 1)
    q = _Q(engine, sandbox.integration_id)
    first = q.queue(["applications"])
    assert q.streams(first) == {"applications"}
    assert q.queue(["candidates", "applications"]) == first
    assert q.streams(first) == {"applications", "candidates"}
    assert q.queue(None, trigger="scheduler") == first  # a scheduled delta joins it: every stream now
    assert q.streams(first) is None
    assert q.queue(["jobs"]) == first
    assert q.streams(first) is None, "once unlimited, it stays unlimited"
    assert runs.queued_as(engine, first).trigger == "vendor-webhook"


def test_healthy_webhooks_relax_the_delta_interval() -> None:
    from atsbridge.core.config import Settings
    from atsbridge.jobs.scheduler import intervals

    base = Settings(delta_sync_minutes=15, webhook_delta_sync_minutes=60)
    assert intervals(base, {})[0] == timedelta(minutes=15)
    assert intervals(base, {}, pushed=True)[0] == timedelta(minutes=60)
    assert intervals(base, {"delta_sync_minutes": 120}, pushed=True)[0] == timedelta(minutes=120), "never tighter"
    off = base.model_copy(update={"webhook_delta_sync_minutes": 0})
    assert intervals(off, {}, pushed=True)[0] == timedelta(minutes=15)


def test_the_scheduler_relaxes_only_integrations_whose_webhooks_deliver(engine: Engine, settings: Any) -> None:
    from atsbridge.jobs.due import due_runs
    from atsbridge.store import vendor_webhooks as hooks
    from atsbridge.store.credentials import credential_box

    sandbox = make_sandbox(engine, settings, 5, 1)
    iid = sandbox.integration_id
    now = utcnow()
    with engine.begin() as conn:  # the last delta was queued 20 minutes ago (the full sync just before)
        conn.execute(
            update(sync_runs).where(sync_runs.c.integration_id == iid).values(queued_at=now - timedelta(minutes=20))
        )
    quick = settings.model_copy(update={"delta_sync_minutes": 15, "webhook_delta_sync_minutes": 60})

    def due() -> list[tuple[str, str]]:
        with engine.begin() as conn:
            return due_runs(conn, quick, now, only=[iid])

    assert due() == [(iid, "DELTA")], "no webhooks: every 15 minutes"
    with engine.begin() as conn:
        hooks.register(conn, credential_box(engine, quick), iid)
    assert due() == [(iid, "DELTA")], "set up but silent: still every 15 minutes"
    hooks.record(engine, iid, "accepted", delivery_id="d1", streams=["jobs"])
    assert due() == [], "delivering: the delta waits for 60 minutes"
