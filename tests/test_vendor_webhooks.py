"""Vendor webhooks in, against every fake that emits its vendor's webhooks (a generated suite, like the contract
suite): the fake signs and pushes each change to the URL atsbridge issued, atsbridge verifies it, queues a
delta, and the scheduler's run leaves the store exactly as a polling delta would. Bad deliveries are refused
alike and never processed; retries are taken once.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import time
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select

from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.jobs.scheduler import EmbeddedScheduler
from atsbridge.store.tables import sync_runs
from tests.conftest import Server, make_sandbox
from tests.contract.harness import TOOLS, Live, contract_models, live

#: Tools whose connector ingests webhooks and whose fake emits them.
EMITTING = [
    t
    for t in TOOLS
    if get_connector(t).webhooks is not None
    and getattr(getattr(importlib.import_module(f"atsbridge.fakes.{t}"), "SPEC", None), "hooks", None) is not None
    and importlib.import_module(f"atsbridge.fakes.{t}").SPEC.hooks.webhooks is not None
]


def _until(check: Any, what: str, seconds: float = 120.0) -> Any:
    """Poll ``check`` until it is truthy (a hang guard, not a speed assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _register(v: Live, server: Server) -> dict[str, Any]:
    answer = httpx.put(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook",
                       headers={"Authorization": f"Bearer {v.key}"}, timeout=30)  # fmt: skip
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def _runs(v: Live, trigger: str) -> list[Any]:
    with v.engine.connect() as conn:
        return list(
            conn.execute(
                select(sync_runs.c.id, sync_runs.c.status, sync_runs.c.type, sync_runs.c.stats).where(
                    sync_runs.c.integration_id == v.integration_id, sync_runs.c.trigger == trigger
                )
            )
        )


def _connect_fake(v: Live, hook: dict[str, Any]) -> None:
    """Point the fake at the webhook: registered through the vendor API by the PUT itself (the fake must list
    it), or by hand as an admin does in the vendor's settings."""
    if hook["registration"] == "api":
        assert hook["url"] in v.control("GET", "webhooks")["targets"], "the PUT registered nothing at the vendor"
    else:
        v.control("POST", "webhooks", {"url": hook["url"], "secret": hook["secret"]})


def _disconnect_fake(v: Live, server: Server, hook: dict[str, Any]) -> None:
    """DELETE removes what the PUT registered through the vendor API, at the vendor."""
    removed = httpx.delete(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook",
                           headers={"Authorization": f"Bearer {v.key}"}, timeout=30)  # fmt: skip
    assert removed.status_code == 200 and removed.json()["data"]["removed"] is True, removed.text
    if hook["registration"] == "api":
        assert hook["url"] not in v.control("GET", "webhooks")["targets"], "DELETE left the vendor's webhooks"


@pytest.fixture(params=EMITTING)
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1) as found:
        assert found.sync(full=True).status == "SUCCEEDED"
        yield found


def test_pushed_changes_are_synced_as_a_delta_would(vendor: Live, server: Server, settings: Settings) -> None:
    hook = _register(vendor, server)
    assert hook["url"].startswith(f"{server.url}/v1/vendor-webhooks/{vendor.integration_id}/")
    assert hook["registration"] in ("manual", "api") and hook["secret"]
    _connect_fake(vendor, hook)
    scheduler = EmbeddedScheduler(vendor.engine, settings, tick_seconds=0.2,
                                  scope=lambda i: i.id == vendor.integration_id)  # fmt: skip
    scheduler.start()
    try:
        changes = vendor.simulate(12, seed=11)
        _until(lambda: (w := vendor.control("GET", "webhooks"))["deliveries"] and w["pending"] == 0,
               "every delivery of the fake")  # fmt: skip
        deliveries = vendor.control("GET", "webhooks")["deliveries"]
        assert {d["status"] for d in deliveries} == {200}, deliveries
        assert len(deliveries) <= len(changes)
        _until(lambda: (r := _runs(vendor, "vendor-webhook")) and all(x.status in ("SUCCEEDED", "FAILED") for x in r),
               "the webhook's delta run")  # fmt: skip
    finally:
        scheduler.stop()
    runs = _runs(vendor, "vendor-webhook")
    assert {r.status for r in runs} == {"SUCCEEDED"} and {r.type for r in runs} == {"DELTA"}
    assert len(runs) <= len(deliveries), "never more than one run per delivery (a burst may coalesce)"
    names = {s.name for s in get_connector(vendor.tool).streams}
    for run in runs:  # each listed only what its events touched (and what depends on that)
        listed = orjson.loads(run.stats).get("streams")
        assert isinstance(listed, list) and listed and set(listed) <= names, listed
    # the delta polling would have run now finds nothing left to do
    models = contract_models(vendor.tool)
    after_webhooks = {m: vendor.stored(m) for m in models}
    assert vendor.sync().status == "SUCCEEDED"
    assert {m: vendor.stored(m) for m in models} == after_webhooks
    _disconnect_fake(vendor, server, hook)


def _deliver(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body, headers={"Content-Type": "application/json", **headers}, timeout=30)


@pytest.fixture
def greenhouse(engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live("greenhouse", engine, settings, server.v1) as found:
        assert found.sync(full=True).status == "SUCCEEDED"
        yield found


def test_bad_deliveries_are_refused_alike_and_retries_taken_once(greenhouse: Live, server: Server) -> None:
    """Hand-signed Greenhouse deliveries (``Signature: sha256 <hex>``, ``Greenhouse-Event-ID``)."""
    vendor = greenhouse
    hook = _register(vendor, server)
    url, secret = hook["url"], hook["secret"]

    def signed(body: bytes, key: str = secret) -> dict[str, str]:
        return {"Signature": "sha256 " + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()}

    event = orjson.dumps({"action": "candidate_stage_change", "payload": {"application": {"id": 1}}})
    refusals = {
        "wrong signature": _deliver(url, event, signed(event, "not-the-secret")),
        "no signature": _deliver(url, event, {}),
        "signature of another body": _deliver(url, event + b" ", signed(event)),
        "not JSON": _deliver(url, b"{oops", signed(b"{oops")),
        "wrong token": _deliver(url[:-4] + "AAAA", event, signed(event)),
        "unknown integration": _deliver(url.replace(vendor.integration_id, "nope"), event, signed(event)),
        "token too long": _deliver(url + "x" * 100, event, signed(event)),
    }
    bodies = {name: (r.status_code, r.json()) for name, r in refusals.items()}
    assert {status for status, _ in bodies.values()} == {401}, bodies
    assert len({orjson.dumps(b) for _, b in bodies.values()}) == 1, "every refusal looks the same"
    huge = b'{"action": "x", "pad": "' + b"x" * (2 << 20) + b'"}'
    assert _deliver(url, huge, signed(huge)).status_code == 413
    assert _runs(vendor, "vendor-webhook") == [], "nothing refused was processed"

    first = _deliver(url, event, {**signed(event), "Greenhouse-Event-ID": "evt-1"})
    again = _deliver(url, event, {**signed(event), "Greenhouse-Event-ID": "evt-1"})
    ping = orjson.dumps({"action": "ping", "payload": {}})
    pinged = _deliver(url, ping, signed(ping))
    assert first.json()["data"] == {"accepted": True, "streams": ["applications", "candidates"]}
    assert again.json()["data"]["accepted"] is False and pinged.json()["data"]["streams"] == []
    assert len(_runs(vendor, "vendor-webhook")) == 1, "one run for the event, none for its retry or the ping"

    health = httpx.get(f"{server.v1}/integrations/{vendor.integration_id}/sync-health",
                       headers={"Authorization": f"Bearer {vendor.key}"}, timeout=30).json()["data"]  # fmt: skip
    hooks = health["webhooks"]
    assert hooks["configured"] and hooks["supported"]
    assert hooks["last_day"] == {"accepted": 2, "duplicates": 1, "refused": 5}, hooks
    assert hooks["last_refusal"] and hooks["last_event_at"]
    assert {s["stream"] for s in health["streams"]} >= {"applications", "candidates"}
    assert all(s["last_full_listing_at"] for s in health["streams"] if s["models"])
    assert health["runs"]["full"]["last_succeeded_at"]

    removed = httpx.delete(f"{server.v1}/integrations/{vendor.integration_id}/vendor-webhook",
                           headers={"Authorization": f"Bearer {vendor.key}"}, timeout=30)  # fmt: skip
    assert removed.json()["data"]["removed"] is True
    assert _deliver(url, event, signed(event)).status_code == 401
    # another environment's key cannot see or change this integration's webhook
    assert httpx.put(f"{server.v1}/integrations/{vendor.integration_id}/vendor-webhook",
                     headers={"Authorization": "Bearer not-a-key"}, timeout=30).status_code == 401  # fmt: skip


def test_the_vendors_own_key_can_be_set(greenhouse: Live, server: Server) -> None:
    """Vendors that generate the signing key themselves: the admin pastes it, deliveries signed with it pass."""
    auth = {"Authorization": f"Bearer {greenhouse.key}"}
    put = f"{server.v1}/integrations/{greenhouse.integration_id}/vendor-webhook"
    short = httpx.put(put, headers=auth, json={"secret": "short"}, timeout=30)
    assert short.status_code == 400 and "secret" in short.json()["error"]["message"]
    hook = httpx.put(put, headers=auth, json={"secret": "vendor-made-key-123"}, timeout=30).json()["data"]
    assert hook["secret"] == "vendor-made-key-123"
    body = orjson.dumps({"action": "update_candidate", "payload": {"candidate": {"id": 1}}})
    mac = hmac.new(b"vendor-made-key-123", body, hashlib.sha256).hexdigest()
    assert _deliver(hook["url"], body, {"Signature": f"sha256 {mac}"}).json()["data"]["accepted"] is True


def test_a_tool_without_webhooks_says_so(engine: Engine, settings: Settings, server: Server) -> None:
    with live("personio", engine, settings, server.v1) as v:
        answer = httpx.put(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook",
                           headers={"Authorization": f"Bearer {v.key}"}, timeout=30)  # fmt: skip
        assert answer.status_code == 404 and "personio webhooks" in answer.json()["error"]["message"]
        assert answer.json()["error"]["code"] == "INTEGRATION.ACTION_NOT_AVAILABLE"
        refused = httpx.post(f"{v.url}/__fake/webhooks", json={"url": "http://x.example/h", "secret": "s"})
        assert refused.status_code == 400 and "sends no webhooks" in refused.text


def test_a_submitted_sync_wakes_the_embedded_scheduler(engine: Engine, settings: Settings) -> None:
    from atsbridge.jobs.embedded import EmbeddedBackend

    backend = EmbeddedBackend(engine, settings.model_copy(update={"scheduler": True}))
    assert backend.scheduler is not None
    assert not backend.scheduler._wake.is_set()
    iid = make_sandbox(engine, settings).integration_id
    _, _, already = backend.submit_sync(iid, "DELTA", "vendor-webhook", reuse_running=False)
    assert not already and backend.scheduler._wake.is_set()


def test_a_gzipped_delivery_is_inflated_within_the_cap(greenhouse: Live, server: Server) -> None:
    """Some vendors compress their deliveries (iCIMS: "GZIP'd JSON"): the body is inflated before the signature
    check, never past 1 MiB (a small gzip bomb is refused like any bad delivery), and an encoding nobody
    sends is refused."""
    import gzip

    hook = _register(greenhouse, server)
    url, secret = hook["url"], hook["secret"]

    def signed(body: bytes) -> dict[str, str]:
        return {"Signature": "sha256 " + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}

    event = orjson.dumps({"action": "job_updated", "payload": {"job": {"id": 7}}})
    zipped = _deliver(url, gzip.compress(event), {**signed(event), "Content-Encoding": "gzip"})
    assert zipped.status_code == 200 and zipped.json()["data"]["streams"] == ["jobs"], zipped.text
    bomb = gzip.compress(b"[" + b"0," * (3 << 20) + b"0]")  # ~6 MiB inflated, a few KiB sent
    assert len(bomb) < 100_000
    assert _deliver(url, bomb, {"Content-Encoding": "gzip"}).status_code == 401
    assert _deliver(url, b"not gzip", {**signed(event), "Content-Encoding": "gzip"}).status_code == 401
    assert _deliver(url, event, {**signed(event), "Content-Encoding": "br"}).status_code == 401
