"""Vendor webhooks set up and removed without an admin, for every vendor whose API registers them: after the
first successful sync (with ``ATSBRIDGE_PUBLIC_URL`` set), removed at the vendor when the integration is
disabled or deleted, set up again after it is re-enabled and synced. Checked at the vendor's fake."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.jobs.runner import run_sync
from atsbridge.lifecycle.vendor_webhooks import auto_register
from atsbridge.store import vendor_webhooks as hooks
from tests.conftest import Server
from tests.contract.harness import Live, live
from tests.test_vendor_webhooks import EMITTING

AUTOMATIC = [t for t in EMITTING if get_connector(t).webhooks.registration == "api"]  # type: ignore[union-attr]


@pytest.fixture(params=AUTOMATIC)
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1) as found:
        yield found


def _targets(v: Live) -> list[str]:
    return list(v.control("GET", "webhooks")["targets"])


def _mine(v: Live, server: Server) -> list[str]:
    """Distinct URLs of this integration the vendor pushes to (a vendor may register one per event type)."""
    return sorted({t for t in _targets(v) if t.startswith(f"{server.url}/v1/vendor-webhooks/{v.integration_id}/")})


def _api(v: Live, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{v.server_v1}/integrations/{v.integration_id}{path}", json=body,
                         headers={"Authorization": f"Bearer {v.key}"}, timeout=30)  # fmt: skip


def _configured(v: Live) -> bool:
    with v.engine.connect() as conn:
        return hooks.health(conn, v.integration_id).configured


def test_registered_after_the_first_sync_and_removed_on_disable_and_delete(vendor: Live, server: Server) -> None:
    public = vendor.settings.model_copy(update={"public_url": server.url})
    without = vendor.settings.model_copy(update={"public_url": None})
    # no public URL: nothing is registered (the vendor could not reach us)
    assert asyncio.run(run_sync(vendor.engine, without, vendor.integration_id, full=True)).status == "SUCCEEDED"
    assert _mine(vendor, server) == [] and not _configured(vendor)
    # with one, the next successful sync registers exactly one at the vendor, and later syncs keep it
    assert asyncio.run(run_sync(vendor.engine, public, vendor.integration_id)).status == "SUCCEEDED"
    first = _mine(vendor, server)
    assert len(first) == 1 and _configured(vendor)
    assert asyncio.run(run_sync(vendor.engine, public, vendor.integration_id)).status == "SUCCEEDED"
    assert _mine(vendor, server) == first
    health = _api(vendor, "GET", "/sync-health").json()["data"]["webhooks"]
    assert health["configured"] is True and health["supported"] is True
    # disabling removes it at the vendor; re-enabling and a sync set up a new one
    assert _api(vendor, "PUT", "/enabled", {"value": False}).status_code == 200
    assert _mine(vendor, server) == [] and not _configured(vendor)
    assert _api(vendor, "PUT", "/enabled", {"value": True}).status_code == 200
    assert asyncio.run(run_sync(vendor.engine, public, vendor.integration_id)).status == "SUCCEEDED"
    again = _mine(vendor, server)
    assert len(again) == 1 and again != first, "a new URL (new path token) after re-enabling"
    # deleting removes it at the vendor before the credentials are purged
    assert _api(vendor, "DELETE", "").status_code == 200
    assert _mine(vendor, server) == []


def test_a_vendor_refusal_is_recorded_and_retried_after_the_next_sync(vendor: Live, server: Server) -> None:
    public = vendor.settings.model_copy(update={"public_url": server.url})
    assert asyncio.run(run_sync(vendor.engine, vendor.settings, vendor.integration_id, full=True)).status == "SUCCEEDED"
    vendor.arm(kind="fail", status=500, n=50)  # the vendor is down while atsbridge registers
    assert asyncio.run(auto_register(vendor.engine, public, vendor.integration_id)) is False  # never raises
    vendor.disarm()
    assert _mine(vendor, server) == [] and not _configured(vendor)
    health = _api(vendor, "GET", "/sync-health").json()["data"]["webhooks"]
    assert health["last_refusal"] and "automatic registration failed" in health["last_refusal"]
    # the next successful sync tries again
    assert asyncio.run(run_sync(vendor.engine, public, vendor.integration_id)).status == "SUCCEEDED"
    assert len(_mine(vendor, server)) == 1
