"""Failed syncs back off exponentially (embedded scheduler and the distributed path alike), an unreachable
host makes the integration INVALID after a few syncs in a row, and the reason is shown everywhere: the
dashboard, ``GET /v1/integrations/{id}`` and ``integration-state-changed``. A later success clears it.
On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.fakes.lever import create_app
from atsbridge.jobs import due
from atsbridge.jobs.scheduler import EmbeddedScheduler
from atsbridge.store import platform
from atsbridge.store.tables import events, integrations, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import Server
from tests.dashboard_fixtures import login, new_operator

DEAD_HOST = "http://127.0.0.1:9/v1"  # the discard port: nothing listens, the connection is refused


@pytest.fixture
def fast(settings: Settings) -> Settings:
    """A tiny time budget, so each sync against the dead host gives up after a second of retries."""
    return settings.model_copy(update={"sync_time_budget_seconds": 1.0})


@pytest.fixture
def dead(engine: Engine, settings: Settings, environment: str) -> Iterator[str]:
    iid = create_integration(
        engine, settings, environment, "lever", "Unreachable Org",
        config={"base_url": DEAD_HOST, "requests_per_second": 1000}, credentials={"api_key": "lever_key"},
    )  # fmt: skip
    yield iid
    with engine.begin() as conn:  # a scheduler in a later test must not pick it up
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


def _queued(engine: Engine, iid: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(sync_runs.c.id).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
            ).scalars()
        )


def _scheduler(engine: Engine, settings: Settings, iid: str) -> EmbeddedScheduler:
    return EmbeddedScheduler(engine, settings, workers=1, scope=lambda i: i.id == iid)


def _due(engine: Engine, settings: Settings, iid: str, at: datetime) -> list[tuple[str, str]]:
    """What the distributed scheduler (``atsbridge.jobs.due``) would queue at ``at``."""
    with engine.begin() as conn:
        return due.due_runs(conn, settings, at, only=[iid])


def _fail_once(engine: Engine, settings: Settings, iid: str, at: datetime) -> tuple[SyncResult, datetime]:
    """The scheduler queues the due run at ``at``; it runs and fails. Returns the result and its end."""
    scheduler = _scheduler(engine, settings, iid)
    scheduler._queue_due(at)
    try:
        (run_id,) = _queued(engine, iid)
    finally:
        scheduler.stop()
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=True, run_id=run_id, trigger="scheduler"))
    assert result.status == "FAILED"
    with engine.connect() as conn:
        ended = conn.execute(select(sync_runs.c.finished_at).where(sync_runs.c.id == run_id)).scalar_one()
    return result, ended


def _integration(engine: Engine, iid: str) -> platform.Integration:
    with engine.connect() as conn:
        found = platform.get_integration(conn, iid)
    assert found is not None
    return found


def _state_events(engine: Engine, iid: str) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(events.c.payload)
            .where(events.c.integration_id == iid, events.c.type == "integration-state-changed")
            .order_by(events.c.seq)
        ).scalars()
        return [orjson.loads(r)["data"] for r in rows]


def test_failed_syncs_back_off_exponentially(engine: Engine, fast: Settings, dead: str) -> None:
    base = timedelta(seconds=fast.sync_retry_base_seconds)
    scheduler = _scheduler(engine, fast, dead)
    try:
        at = utcnow()
        for n in range(1, 4):  # after the n-th failure in a row, nothing is due for base * 2^(n-1)
            result, ended = _fail_once(engine, fast, dead, at)
            assert "could not reach the ATS" in (result.error or ""), result.error
            wait = base * 2 ** (n - 1)
            for probe in (ended + timedelta(seconds=15), ended + wait - timedelta(seconds=1)):
                scheduler._queue_due(probe)
                assert _queued(engine, dead) == [], f"queued again {probe - ended} after failure {n}"
                assert _due(engine, fast, dead, probe) == []
            at = ended + wait + timedelta(seconds=1)
            assert _due(engine, fast, dead, at) == [(dead, "FULL")]
    finally:
        scheduler.stop()
    # capped: a long streak never waits longer than sync_retry_max_seconds
    from atsbridge.sync.failures import Streak, retry_delay

    assert retry_delay(fast, 40) == timedelta(seconds=fast.sync_retry_max_seconds)
    assert Streak(1, ended).failures == 1


def test_an_unreachable_host_makes_the_integration_invalid_with_its_reason(
    engine: Engine, fast: Settings, dead: str, server: Server, api_key: str, environment: str
) -> None:
    at = utcnow()
    for n in range(1, fast.unreachable_invalid_after + 1):
        _, ended = _fail_once(engine, fast, dead, at)
        current = _integration(engine, dead)
        if n < fast.unreachable_invalid_after:
            # still ACTIVE, but the reason is recorded and shown
            assert current.status == "ACTIVE", (n, current.status_reason)
            assert current.status_reason is not None and "could not reach the ATS" in current.status_reason
            assert ("once" if n == 1 else f"{n} times in a row") in current.status_reason
        at = ended + timedelta(hours=2)  # past any backoff
    current = _integration(engine, dead)
    assert current.status == "INVALID"
    assert current.status_reason is not None
    assert "could not reach the ATS host 127.0.0.1:9" in current.status_reason
    assert f"{fast.unreachable_invalid_after} syncs in a row" in current.status_reason

    # the API (extension field beside the contract's status) ...
    answer = httpx.get(
        f"{server.v1}/integrations/{dead}", headers={"Authorization": f"Bearer {api_key}"}, timeout=30
    ).json()
    assert answer["data"]["status"] == "INVALID"
    assert answer["data"]["status_reason"] == current.status_reason
    # ... the webhook event ...
    states = _state_events(engine, dead)
    assert states[-1]["state"] == "INVALID" and states[-1]["status_reason"] == current.status_reason
    # ... and the dashboard: overview "needs attention" and the integration page
    _, token = new_operator(engine, f"ops-{dead[-6:]}")
    with login(server.url, token) as client:
        overview = client.get("/dashboard").text
        assert dead in overview and "could not reach the ATS host 127.0.0.1:9" in overview
        page = client.get(f"/dashboard/integrations/{dead}").text
        assert "could not reach the ATS host 127.0.0.1:9" in page and 'id="failure-streak"' in page

    # The host comes back: the next sync succeeds and clears it all (INVALID -> ACTIVE).
    with serve_asgi(create_app(seed=9, records=5, rate_limit=None)) as url:
        with engine.begin() as conn:
            conn.execute(
                update(integrations)
                .where(integrations.c.id == dead)
                .values(config=orjson.dumps({"base_url": url + "/v1", "requests_per_second": 1000}).decode())
            )
        result = asyncio.run(SyncEngine(engine, fast).run(dead, full=True))
    assert result.status == "SUCCEEDED", result.error
    current = _integration(engine, dead)
    assert (current.status, current.status_reason) == ("ACTIVE", None)
    states = _state_events(engine, dead)
    assert states[-1]["state"] == "ACTIVE" and states[-1]["status_reason"] is None
    # the API process caches an integration for up to a second (AppState.integration_cache_ttl)
    deadline = time.monotonic() + 10
    while True:
        answer = httpx.get(
            f"{server.v1}/integrations/{dead}", headers={"Authorization": f"Bearer {api_key}"}, timeout=30
        ).json()
        if answer["data"]["status"] == "ACTIVE" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert answer["data"]["status"] == "ACTIVE" and answer["data"]["status_reason"] is None
    assert _due(engine, fast, dead, utcnow()) == []  # the streak is over: back to the normal schedule


def test_a_failure_on_an_active_integration_is_explained_in_needs_attention(
    engine: Engine, fast: Settings, dead: str, server: Server
) -> None:
    """Before: an ACTIVE integration whose syncs failed was listed without any reason."""
    _fail_once(engine, fast, dead, utcnow())
    with engine.begin() as conn:  # even without a recorded reason, the failed run's error is shown
        conn.execute(update(integrations).where(integrations.c.id == dead).values(status_reason=None))
    _, token = new_operator(engine, f"ops2-{dead[-6:]}")
    with login(server.url, token) as client:
        overview = client.get("/dashboard").text
    row = overview[overview.index(dead) :]
    assert "could not reach the ATS" in row[: row.index("</tr>")]
