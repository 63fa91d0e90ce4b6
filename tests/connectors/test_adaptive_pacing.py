"""Syncs against a vendor that throttles: 429 storms and a rate limit below the configured pace only slow a
sync down (adaptive pace, Retry-After honoured, a time budget instead of a retry count); an endless storm
fails cleanly once the sync's time budget is spent. Against the Lever fake, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from atsbridge.core.config import Settings
from atsbridge.fakes.lever import create_app
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import SyncEngine
from tests.connectors.test_lever import Lever, assert_matches_fake, run, serving


@pytest.fixture
def lever(engine: Engine, settings: Settings, environment: str) -> Iterator[Lever]:
    """A small tenant without a token bucket (the storms are armed per test), synced at a fast pace."""
    with serving(engine, settings, environment, create_app(seed=3, records=30, rate_limit=None),
                 requests_per_second=5000) as served:  # fmt: skip
        yield served


def test_a_long_429_storm_only_slows_the_sync(engine: Engine, settings: Settings, lever: Lever) -> None:
    """More consecutive 429s than the fixed retry count (40) the client used to give up after: the sync
    still completes."""
    lever.fake.faults.rate_limit_storm(45, path="/opportunities")
    result = run(engine, settings, lever.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert lever.fake.faults.spent()
    assert result.http["rate_limited"] == 45
    assert_matches_fake(engine, lever)


def test_a_vendor_limit_below_our_pace_is_learnt_from_its_429s(
    engine: Engine, settings: Settings, environment: str
) -> None:
    """The tenant's real limit (10/s, bursts of 20) is far below the pace the integration is configured
    with: the client lowers its pace on the first 429s instead of retrying every request into the limit,
    so the sync succeeds and only a small share of its requests are refused (retrying each request into
    the limit got three in four refused)."""
    app = create_app(seed=6, records=12, rate_limit=(10, 1.0))
    with serving(engine, settings, environment, app, requests_per_second=500) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert result.http["requests"] > 60
        assert result.http["rate_limited"] <= 0.2 * result.http["requests"], result.http
        assert_matches_fake(engine, served)


def test_an_endless_storm_fails_cleanly_at_the_time_budget(engine: Engine, settings: Settings, lever: Lever) -> None:
    lever.fake.faults.rate_limit_storm(10**9, retry_after=0.2)
    tight = settings.model_copy(update={"sync_time_budget_seconds": 1.0})
    result = asyncio.run(SyncEngine(engine, tight).run(lever.integration_id, full=True))
    assert result.status == "FAILED"
    assert result.error is not None and "time budget of 1s is exhausted" in result.error, result.error
    assert "rate limiting" in result.error
    # bounded: a 0.2 s Retry-After within 1 s leaves room for a handful of tries, not a flood
    assert 1 <= result.http["rate_limited"] <= 10, result.http
    with engine.connect() as conn:
        row = conn.execute(select(sync_runs.c.status, sync_runs.c.error).where(sync_runs.c.id == result.run_id)).one()
    assert row.status == "FAILED" and "time budget" in (row.error or "")
