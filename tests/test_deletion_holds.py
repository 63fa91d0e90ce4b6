"""The deletion breaker holds a mass deletion, says so (run stats, sync-finished, API, dashboard), keeps
holding it until an operator confirms (API, CLI, dashboard; who/when/how many recorded), and the next full
sync then applies exactly the confirmed deletions. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import orjson
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select

from atsbridge.cli.main import main
from atsbridge.core.config import Settings, get_settings
from atsbridge.fakes.lever import create_app
from atsbridge.store.tables import MODEL_TABLES, deletion_holds, events, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from tests.conftest import Server
from tests.connectors.test_lever import Lever, serving
from tests.dashboard_fixtures import csrf_of, login, new_operator


@pytest.fixture
def lever(engine: Engine, settings: Settings, environment: str) -> Iterator[Lever]:
    with serving(engine, settings, environment, create_app(seed=11, records=30, rate_limit=None),
                 requests_per_second=5000) as served:  # fmt: skip
        yield served


def _full(engine: Engine, settings: Settings, iid: str, run_id: str | None = None) -> SyncResult:
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=True, run_id=run_id))
    assert result.status == "SUCCEEDED", result.error
    return result


def _vanish(lever: Lever, n: int) -> list[str]:
    """Opportunities disappear from the listing without a deletion feed entry (as with lost permissions)."""
    gone = sorted(lever.fake.opportunities)[:n]
    with lever.fake.lock:
        for opp in gone:
            del lever.fake.opportunities[opp]
    return gone


def _deleted(engine: Engine, iid: str) -> set[str]:
    t = MODEL_TABLES["candidates"]
    with engine.connect() as conn:
        return set(
            conn.execute(
                select(t.c.remote_id).where(t.c.integration_id == iid, t.c.remote_deleted_at.is_not(None))
            ).scalars()
        )


def _live(engine: Engine, iid: str) -> int:
    t = MODEL_TABLES["candidates"]
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(t.c.integration_id == iid, t.c.remote_deleted_at.is_(None))
            ).scalar_one()
        )


def _hold(engine: Engine, iid: str) -> object:
    with engine.connect() as conn:
        return conn.execute(
            select(deletion_holds).where(deletion_holds.c.integration_id == iid, deletion_holds.c.model == "candidates")
        ).first()


def _key(engine: Engine, environment: str) -> str:
    from atsbridge.store import platform

    with engine.begin() as conn:
        return platform.create_api_key(conn, environment, "holds")


def test_held_deletions_are_surfaced_confirmed_and_applied_exactly(
    engine: Engine, settings: Settings, environment: str, lever: Lever, server: Server
) -> None:
    iid = lever.integration_id
    _full(engine, settings, iid)
    live = _live(engine, iid)
    first = _vanish(lever, 12)  # 12 of ~30: over the 20% breaker

    held = _full(engine, settings, iid)
    assert held.deletions_held["candidates"] == {"held": 12, "live": live}
    assert any("confirm-deletions" in t for t in held.breaker_trips)
    assert _deleted(engine, iid) == set()
    with engine.connect() as conn:
        stats = orjson.loads(conn.execute(select(sync_runs.c.stats).where(sync_runs.c.id == held.run_id)).scalar_one())
        finished = [
            orjson.loads(p)["data"]
            for p in conn.execute(
                select(events.c.payload).where(events.c.integration_id == iid, events.c.type == "sync-finished")
            ).scalars()
        ]
    assert stats["deletions_held"]["candidates"] == {"held": 12, "live": live}
    mine = next(f for f in finished if f["sync_id"] == held.run_id)
    assert {"model": "ats_candidates", "held": 12, "live": live} in mine["deletions_held"]

    # Not confirmed: the next full sync keeps holding (and keeps saying so).
    again = _full(engine, settings, iid)
    assert again.deletions_held["candidates"]["held"] == 12 and _deleted(engine, iid) == set()

    # Shown: the API's extension field, the overview's "needs attention" and the integration page.
    key = _key(engine, environment)
    auth = {"Authorization": f"Bearer {key}"}
    details = httpx.get(f"{server.v1}/integrations/{iid}", headers=auth, timeout=30).json()["data"]
    shown = {h["model"]: h for h in details["deletions_held"]}
    assert shown["candidates"]["held"] == 12 and shown["candidates"]["confirmed_at"] is None
    _, token = new_operator(engine, f"ops-{iid[-6:]}")
    with login(server.url, token) as client:
        overview = client.get("/dashboard").text
        assert "deletion breaker holding" in overview and f"12 of {live} candidates" in overview
        page = client.get(f"/dashboard/integrations/{iid}").text
        assert 'id="confirm-deletions"' in page

    # Confirmed through the API: the decision is recorded and a FULL sync queued.
    answer = httpx.post(f"{server.v1}/integrations/{iid}/confirm-deletions", headers=auth, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    confirmed = {h["model"]: h for h in data["confirmed"]}
    assert confirmed["candidates"]["held"] == 12 and confirmed["candidates"]["confirmed_by"].startswith("api key ")
    row = _hold(engine, iid)
    assert row.confirmed_at is not None and row.confirmed_by.startswith("api key ")  # type: ignore[attr-defined]
    twice = httpx.post(f"{server.v1}/integrations/{iid}/confirm-deletions", headers=auth, timeout=30)
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"

    # Before it runs, 6 more vanish: those were not confirmed and are judged by the breaker anew.
    later = _vanish(lever, 6)
    applied = _full(engine, settings, iid, run_id=data["sync_id"])
    with login(server.url, token) as client:  # the run page shows the decision it applied
        run_page = client.get(f"/dashboard/syncs/{applied.run_id}").text
        assert "Confirmed deletions applied" in run_page and "api key " in run_page
    assert _deleted(engine, iid) == set(first)  # exactly the confirmed ones
    decision = applied.deletions_confirmed["candidates"]
    assert decision["applied"] == 12 and decision["confirmed"] == 12
    assert decision["confirmed_by"].startswith("api key ") and decision["confirmed_at"]
    assert applied.deletions_held["candidates"] == {"held": 6, "live": live - 12}
    row = _hold(engine, iid)
    assert row.held == 6 and row.confirmed_at is None  # type: ignore[attr-defined]

    # Confirmed from the dashboard this time.
    with login(server.url, token) as client:
        page = client.get(f"/dashboard/integrations/{iid}").text
        posted = client.post(f"/dashboard/integrations/{iid}/confirm-deletions", data={"csrf_token": csrf_of(page)})
        assert posted.status_code == 303, posted.text
    row = _hold(engine, iid)
    assert row.confirmed_by == f"operator:ops-{iid[-6:]}"  # type: ignore[attr-defined]
    _full(engine, settings, iid)
    assert _deleted(engine, iid) == set(first) | set(later)
    assert _hold(engine, iid) is None
    with engine.connect() as conn:
        left = conn.execute(select(func.count()).where(deletion_holds.c.integration_id == iid)).scalar_one()
    assert left == 0  # applications' holds were released by the same syncs


def test_cli_confirms_held_deletions(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from atsbridge.store import platform
    from atsbridge.store.db import make_engine
    from atsbridge.store.migrate import upgrade

    db = f"sqlite:///{Path(str(tmp_path)) / 'cli.db'}"
    monkeypatch.setenv("ATSBRIDGE_DATABASE_URL", db)
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "cli-" + "x" * 40)
    get_settings.cache_clear()
    settings = get_settings()
    engine = make_engine(db)
    upgrade(engine)
    try:
        with engine.begin() as conn:
            env = platform.create_environment(conn, "cli")
        with serving(engine, settings, env, create_app(seed=12, records=30, rate_limit=None),
                     requests_per_second=5000) as served:  # fmt: skip
            _full(engine, settings, served.integration_id)
            _vanish(served, 10)
            _full(engine, settings, served.integration_id)
            runner = CliRunner()
            out = runner.invoke(main, ["integrations", "confirm-deletions", served.integration_id])
            assert out.exit_code == 0, out.output
            assert "confirmed: 10 candidates of" in out.output and "queued" in out.output
            row = _hold(engine, served.integration_id)
            assert row.confirmed_by.startswith("cli")  # type: ignore[attr-defined]
            again = runner.invoke(main, ["integrations", "confirm-deletions", served.integration_id])
            assert again.exit_code != 0 and "no deletions are held" in again.output
            assert "Traceback" not in again.output
    finally:
        engine.dispose()
        get_settings.cache_clear()
