"""A vendor webhook's delta lists only the streams its events touched and what depends on them; a burst of
events widens the one queued run instead of queueing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import Stream
from atsbridge.store import sync_runs as runs
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
