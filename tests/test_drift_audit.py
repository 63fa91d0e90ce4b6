"""The drift audit (every scheduled FULL run) against the fakes that push webhooks: changes made while the
webhooks are dropped are found and repaired by the audit, reported per model in ``sync-health``, and the
silent webhooks are flagged. Runs on SQLite and PostgreSQL like every storage test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.api.app import create_app
from atsbridge.api.server import uvicorn_options
from atsbridge.core.config import Settings
from atsbridge.dashboard import operators
from atsbridge.store import sync_runs as runs
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi
from tests.conftest import Server
from tests.contract.harness import Live, contract_models, live
from tests.dashboard_fixtures import login
from tests.test_vendor_webhooks import EMITTING


@pytest.fixture(scope="module")
def eager(engine: Engine, settings: Settings) -> Iterator[Server]:
    """The API with webhooks counted as silent as soon as polling finds a change after their last event."""
    quick = settings.model_copy(update={"webhook_silence_minutes": 0})
    with serve_asgi(create_app(quick, engine), **uvicorn_options(quick)) as url:
        yield Server(url)


@pytest.fixture(params=EMITTING)
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, eager: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, eager.v1) as found:
        assert found.sync(full=True).status == "SUCCEEDED"
        yield found


def _health(v: Live) -> dict[str, Any]:
    answer = httpx.get(f"{v.server_v1}/integrations/{v.integration_id}/sync-health",
                       headers={"Authorization": f"Bearer {v.key}"}, timeout=30)  # fmt: skip
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def test_changes_missed_by_dropped_webhooks_are_found_and_repaired_by_the_audit(vendor: Live) -> None:
    first = _health(vendor)
    assert first["drift_audit"]["last"] is None, "the first full sync is a load, not an audit"
    hook = httpx.put(f"{vendor.server_v1}/integrations/{vendor.integration_id}/vendor-webhook",
                     headers={"Authorization": f"Bearer {vendor.key}"}, timeout=30)  # fmt: skip
    assert hook.status_code == 200, hook.text
    vendor.control("DELETE", "webhooks")  # the vendor drops every delivery from now on
    changes = vendor.simulate(10, seed=5)
    assert changes
    models = contract_models(vendor.tool)
    before = {m: vendor.stored(m) for m in models}

    audit = vendor.sync(full=True)
    assert audit.status == "SUCCEEDED", audit.error

    # repaired: the mirror now equals what the vendor lists (deleted records marked)
    truth = vendor.state()["truth"]
    for model in models:
        stored = vendor.stored(model)
        live_ids = {rid for rid, (_, deleted) in stored.items() if deleted is None}
        assert live_ids == {str(i) for i in truth[model]}, model
    assert {m: vendor.stored(m) for m in models} != before
    # reported: what the audit had to repair, per model, no more than the vendor changed (plus cascades)
    health = _health(vendor)
    last = health["drift_audit"]["last"]
    assert last is not None and last["sync_id"] == audit.run_id
    found = last["missing"] + last["stale"] + last["extra"]
    assert found > 0
    assert set(last["models"]) <= set(audit.models) | set(audit.deletions_held)
    for model, counts in last["models"].items():
        stats = audit.models[model]
        assert counts == {"missing": stats.created, "stale": stats.updated,
                          "extra": stats.deleted + audit.deletions_held.get(model, {}).get("held", 0)}  # fmt: skip
    # silent: polling found changes after the webhooks' last sign of life
    assert health["webhooks"]["configured"] is True
    assert health["webhooks"]["silent"] is True
    assert health["webhooks"]["changes_found_by_polling_since_last_event"] >= found
    # the dashboard shows it on the integration's page and flags it on the overview
    with vendor.engine.begin() as conn:
        _, token = operators.create(conn, f"auditor-{vendor.integration_id[-6:]}")
    base = vendor.server_v1.removesuffix("/v1")
    with login(base, token) as browser:
        page = browser.get(f"/dashboard/integrations/{vendor.integration_id}").text
        assert 'id="drift-found"' in page and 'id="webhooks-silent"' in page
        overview = browser.get("/dashboard").text
        row = overview[overview.index(vendor.integration_id) :][:2000]
        assert "drift audit repaired" in row and "vendor webhooks silent" in row
    # a second audit right away finds nothing left to repair
    again = vendor.sync(full=True)
    assert again.status == "SUCCEEDED"
    second = _health(vendor)["drift_audit"]["last"]
    assert second["sync_id"] == again.run_id
    assert (second["missing"], second["stale"], second["extra"]) == (0, 0, 0)


def test_runs_that_are_expected_to_change_records_are_not_audits(vendor: Live) -> None:

    run_id, _, _ = runs.enqueue(vendor.engine, vendor.integration_id, "FULL", "status_map")
    result = asyncio.run(
        SyncEngine(vendor.engine, vendor.settings).run(
            vendor.integration_id, full=True, run_id=run_id, trigger="scheduler"
        )
    )
    assert result.status == "SUCCEEDED" and not result.audit
    assert _health(vendor)["drift_audit"]["last"] is None
