"""Outgoing webhooks end to end: the real API, a real receiver over HTTP, real databases (both).

The receiver verifies ``X-Kombo-Signature`` over the raw bytes with its own HMAC implementation and every
payload is parsed with the official SDK's models.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
from kombo import models as sdk
from sqlalchemy import Engine, select, update

from atsbridge.connectors.sandbox.simulate import simulate
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, events, integrations, sync_runs, webhook_deliveries
from atsbridge.webhooks.dispatcher import Dispatcher
from atsbridge.webhooks.events import emit
from tests.conftest import Server, sync_now
from tests.webhook_receiver import Receiver, independent_signature, receiver

SDK_MODELS: dict[str, Any] = {
    "data-changed": sdk.DataChangedWebhookPayload,
    "sync-finished": sdk.SyncFinishedWebhookPayload,
    "integration-state-changed": sdk.IntegrationStateChangedWebhookPayload,
    "integration-created": sdk.IntegrationCreatedWebhookPayload,
}


@pytest.fixture(scope="session")
def wh_settings(settings: Settings) -> Settings:
    """Fast retries and a short timeout, so outages of seconds exercise the whole retry path."""
    return settings.model_copy(
        update={"webhook_retry_base_seconds": 0.05, "webhook_timeout_seconds": 0.5, "webhook_poll_seconds": 0.05}
    )


@dataclass
class Env:
    id: str
    key: str
    http: httpx.Client

    def register(self, url: str, **extra: Any) -> dict[str, Any]:
        res = self.http.post("/webhooks", json={"url": url, **extra})
        assert res.status_code == 200, res.text
        data: dict[str, Any] = res.json()["data"]
        return data

    def sandbox(self, engine: Engine, seed: int = 3, size: str = "tiny") -> str:
        with engine.begin() as conn:
            return platform.create_integration(conn, self.id, "sandbox", "Acme Corp", {"seed": seed, "size": size})


def new_env(engine: Engine, server: Server) -> Env:
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"wh-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "test")
    return Env(env, key, httpx.Client(base_url=server.v1, headers={"Authorization": f"Bearer {key}"}, timeout=30))


@pytest.fixture
def env(engine: Engine, server: Server) -> Iterator[Env]:
    e = new_env(engine, server)
    yield e
    e.http.close()


def dispatcher(engine: Engine, settings: Settings, env: Env, **kw: Any) -> Dispatcher:
    return Dispatcher(engine, settings, environments=[env.id], **kw)


def drain(engine: Engine, settings: Settings, env: Env) -> None:
    d = dispatcher(engine, settings, env)
    try:
        d.drain()
    finally:
        d.stop()


def check_signed(rec: Receiver, secret: str) -> None:
    for r in rec.requests:
        assert r.headers["x-kombo-signature"] == independent_signature(secret, r.raw)
        assert r.headers["content-type"] == "application/json"
        assert r.headers["user-agent"] == "atsbridge-webhooks"
        assert r.headers["x-atsbridge-event-id"] == r.event_id
        assert r.headers["x-atsbridge-delivery-id"].startswith("whd_")


def parse(rec: Receiver) -> list[Any]:
    return [SDK_MODELS[str(r.payload["type"])].model_validate_json(r.raw) for r in rec.ok()]


def test_first_sync_emits_signed_events_the_sdk_parses(engine: Engine, settings: Settings, env: Env) -> None:
    with receiver() as rec:
        endpoint = env.register(rec.url, description="main")
        iid = env.sandbox(engine)
        result = sync_now(engine, settings, iid, full=True)
        drain(engine, settings, env)
    check_signed(rec, endpoint["secret"])
    parsed = parse(rec)
    assert [p.type for p in parsed] == ["integration-state-changed", "data-changed", "sync-finished"]
    state, changed, finished = parsed
    assert (state.data.state, state.data.setup_status, state.data.qa_status) == ("ACTIVE", "COMPLETED", "PASSED")
    assert state.data.end_user.organization_name == "Acme Corp"
    assert finished.data.sync_id == result.run_id and finished.data.sync_state == "SUCCEEDED"
    assert finished.data.integration_id == iid and finished.data.integration_tool == "sandbox"
    assert finished.data.log_url.endswith(f"/dashboard/syncs/{result.run_id}")
    assert finished.data.sync_duration_seconds >= 0
    with engine.connect() as conn:
        run = conn.execute(select(sync_runs).where(sync_runs.c.id == result.run_id)).one()
        stored = {r.id: r.payload for r in conn.execute(select(events).where(events.c.environment_id == env.id))}
        jobs = set(
            conn.execute(
                select(MODEL_TABLES["jobs"].c.id).where(MODEL_TABLES["jobs"].c.integration_id == iid)
            ).scalars()
        )
    assert run.status == "SUCCEEDED"
    # The body is the stored payload, byte for byte.
    assert all(r.raw == stored[r.event_id].encode() for r in rec.requests)
    models = {m.name: m for m in changed.data.changed_models}
    assert {"ats_jobs", "ats_applications", "ats_candidates"} <= set(models)
    raw_models = {m["name"]: m for m in rec.ok()[1].payload["data"]["changed_models"]}  # type: ignore[index]
    assert set(raw_models["ats_jobs"]["ids"]) == jobs
    assert "ids_truncated" not in raw_models["ats_jobs"]


def test_delta_sync_reports_just_the_changed_ids(engine: Engine, settings: Settings, env: Env) -> None:
    iid = env.sandbox(engine, seed=21, size="small")
    sync_now(engine, settings, iid, full=True)
    with receiver() as rec:
        env.register(rec.url, event_types=["data-changed"])
        report = simulate(engine, iid, 21, "small", 30, rng_seed=4)
        sync_now(engine, settings, iid, full=False)
        drain(engine, settings, env)
    assert [r.payload["type"] for r in rec.ok()] == ["data-changed"]
    reported = {m["name"]: set(m["ids"]) for m in rec.ok()[0].payload["data"]["changed_models"]}  # type: ignore[index]
    touched: dict[str, set[str]] = {}
    for kind, ids in report.deleted().items():
        touched[f"ats_{kind}"] = touched.get(f"ats_{kind}", set()) | {record_id(iid, kind, r) for r in ids}
    for kind, ids in report.upserted().items():
        touched[f"ats_{kind}"] = touched.get(f"ats_{kind}", set()) | {record_id(iid, kind, r) for r in ids}
    assert reported
    for name, ids in reported.items():
        assert ids, name
        assert name in touched, f"{name} reported but the simulation did not touch it"
        assert ids <= touched[name], f"{name}: reported ids the simulation did not touch"
    for kind, ids in report.deleted().items():
        gone = {record_id(iid, kind, r) for r in ids}
        assert gone <= reported.get(f"ats_{kind}", set()) | _already_deleted(engine, kind, iid, gone)


def _already_deleted(engine: Engine, model: str, iid: str, ids: set[str]) -> set[str]:
    """Records the first sync never stored (created and deleted by the simulation) are not news."""
    t = MODEL_TABLES[model]
    with engine.connect() as conn:
        known = set(conn.execute(select(t.c.id).where(t.c.integration_id == iid, t.c.id.in_(ids))).scalars())
    return ids - known


def emit_for(engine: Engine, env: Env, integration_ids: list[str], rounds: int) -> list[str]:
    """``rounds`` data-changed events per integration, interleaved, each in its own transaction."""
    out = []
    for n in range(rounds):
        for iid in integration_ids:
            with engine.begin() as conn:
                data = {
                    "integration_id": iid,
                    "integration_tool": "sandbox",
                    "integration_category": "ATS",
                    "changed_models": [{"name": "ats_jobs", "ids": [f"job{n}"]}],
                }
                out.append(emit(conn, environment_id=env.id, type="data-changed", data=data, integration_id=iid))
    return out


def test_failing_receiver_gets_every_event_in_order_once_it_recovers(
    engine: Engine, wh_settings: Settings, env: Env
) -> None:
    # 500s, then a request that hangs past the sender's timeout, then 503s, then healthy.
    def flaky(_body: dict[str, object], n: int) -> int | float:
        if n < 4:
            return 500
        if n == 4:
            return -1.5
        return 503 if n < 8 else 200

    with receiver(flaky) as rec:
        secret = env.register(rec.url)["secret"]
        sent = emit_for(engine, env, ["sandbox:A", "sandbox:B"], 6)
        d = dispatcher(engine, wh_settings, env)
        d.start()
        try:
            rec.wait_for(lambda: {r.event_id for r in rec.ok()} == set(sent))
        finally:
            d.stop()
    check_signed(rec, secret)
    assert any(r.status == 0 for r in rec.requests), "the timeout path was not exercised"
    for iid in ("sandbox:A", "sandbox:B"):
        expected = [e for i, e in enumerate(sent) if i % 2 == (0 if iid.endswith("A") else 1)]
        seen = [r.event_id for r in rec.requests if r.payload["data"]["integration_id"] == iid]  # type: ignore[index]
        collapsed = [e for i, e in enumerate(seen) if i == 0 or seen[i - 1] != e]
        # Strict order per integration: an event is retried until it succeeds before the next one goes.
        assert collapsed == expected
        ok = [r.event_id for r in rec.ok() if r.payload["data"]["integration_id"] == iid]  # type: ignore[index]
        assert ok == expected
    endpoint_id = env.http.get("/webhooks").json()["data"]["results"][0]["id"]
    log = env.http.get(f"/webhooks/{endpoint_id}/deliveries", params={"page_size": 250}).json()["data"]["results"]
    assert {d["status"] for d in log} == {"SUCCEEDED"}
    retried = [d for d in log if d["attempts"] > 1]
    assert retried
    attempts = [a for d in retried for a in d["attempt_log"]]
    assert any(a["status_code"] == 500 and a["error"].startswith("HTTP 500") for a in attempts)
    assert any(a["status_code"] is None and "timed out" in a["error"] for a in attempts)
    assert all(a["duration_ms"] >= 0 and a["at"].endswith("Z") for a in attempts)


def test_a_dead_event_stops_blocking_and_stays_redeliverable(engine: Engine, wh_settings: Settings, env: Env) -> None:
    refuse = {"first": True}
    with receiver(lambda body, _n: 500 if refuse["first"] and body["id"] == first else 200) as rec:
        endpoint = env.register(rec.url)
        first, second = emit_for(engine, env, ["sandbox:X"], 2)
        drain(engine, wh_settings, env)
        assert rec.ok() == []  # the second waits behind the failing first
        with engine.begin() as conn:  # the first's 24 h window is over
            conn.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.event_id == first)
                .values(give_up_at=utcnow(), next_attempt_at=utcnow())
            )
        drain(engine, wh_settings, env)
        assert [r.event_id for r in rec.ok()] == [second]
        log = env.http.get(f"/webhooks/{endpoint['id']}/deliveries", params={"status": "FAILED"}).json()["data"]
        assert [d["event_id"] for d in log["results"]] == [first]
        refuse["first"] = False
        res = env.http.post(f"/webhook-deliveries/{log['results'][0]['id']}/redeliver")
        assert res.status_code == 200 and res.json()["data"]["status"] == "PENDING"
        drain(engine, wh_settings, env)
        assert [r.event_id for r in rec.ok()] == [second, first]
    again = env.http.get(f"/webhook-deliveries/{log['results'][0]['id']}").json()["data"]
    assert again["status"] == "SUCCEEDED" and again["attempt_log"][-1]["status_code"] == 200


def test_secret_rotation_signs_with_both_secrets_during_the_grace(
    engine: Engine, wh_settings: Settings, env: Env
) -> None:
    with receiver() as rec:
        endpoint = env.register(rec.url)
        old = endpoint["secret"]
        rotated = env.http.post(f"/webhooks/{endpoint['id']}/rotate-secret", json={"grace_hours": 2}).json()["data"]
        new = rotated["secret"]
        assert new != old and rotated["previous_secret_expires_at"] is not None
        emit_for(engine, env, ["sandbox:R"], 1)
        drain(engine, wh_settings, env)
        (got,) = rec.requests
        assert got.headers["x-kombo-signature"] == independent_signature(new, got.raw)
        assert got.headers["x-atsbridge-previous-signature"] == independent_signature(old, got.raw)
        # Without a grace period the old secret stops at once.
        newest = env.http.post(f"/webhooks/{endpoint['id']}/rotate-secret", json={"grace_hours": 0}).json()["data"]
        assert newest["previous_secret_expires_at"] is None
        emit_for(engine, env, ["sandbox:R"], 1)
        drain(engine, wh_settings, env)
        last = rec.requests[-1]
        assert last.headers["x-kombo-signature"] == independent_signature(newest["secret"], last.raw)
        assert "x-atsbridge-previous-signature" not in last.headers


def test_disabled_endpoints_and_unsubscribed_types_get_nothing(engine: Engine, wh_settings: Settings, env: Env) -> None:
    with receiver() as rec:
        off = env.register(rec.url + "?which=off")
        only_syncs = env.register(rec.url + "?which=syncs", event_types=["sync-finished"])
        patched = env.http.patch(f"/webhooks/{off['id']}", json={"enabled": False}).json()["data"]
        assert patched["enabled"] is False and patched["url"].endswith("which=off")
        emit_for(engine, env, ["sandbox:D"], 2)
        drain(engine, wh_settings, env)
        assert rec.requests == []
        with engine.connect() as conn:
            queued = conn.execute(
                select(webhook_deliveries.c.id).where(
                    webhook_deliveries.c.endpoint_id.in_([off["id"], only_syncs["id"]])
                )
            ).all()
        assert queued == []
        # Re-enabled and subscribed to everything: new events flow again.
        env.http.patch(f"/webhooks/{off['id']}", json={"enabled": True, "event_types": None})
        emit_for(engine, env, ["sandbox:D"], 1)
        drain(engine, wh_settings, env)
        assert len(rec.ok()) == 1


def test_two_dispatchers_deliver_each_event_once(engine: Engine, wh_settings: Settings, env: Env) -> None:
    with receiver() as rec:
        env.register(rec.url)
        integrations_ = [f"sandbox:C{n}" for n in range(6)]
        sent = emit_for(engine, env, integrations_, 8)
        pair = [dispatcher(engine, wh_settings, env, name=f"d{n}", concurrency=4) for n in range(2)]
        for d in pair:
            d.start()
        try:
            # More events while both run: wakeups and polling race for the same rows.
            sent += emit_for(engine, env, integrations_, 4)
            rec.wait_for(lambda: len(rec.ok()) >= len(sent))
            threading.Event().wait(0.3)  # a double send would land now
        finally:
            for d in pair:
                d.stop()
    ids = [r.event_id for r in rec.requests]
    assert sorted(ids) == sorted(sent), "every event exactly once"
    for iid in integrations_:
        got = [r.event_id for r in rec.requests if r.payload["data"]["integration_id"] == iid]  # type: ignore[index]
        assert got == [e for e, src in zip(sent, integrations_ * 12, strict=True) if src == iid]


def test_authentication_failure_invalidates_and_recovery_reactivates(
    engine: Engine, settings: Settings, wh_settings: Settings, env: Env
) -> None:
    import asyncio

    from atsbridge.connect.service import create_integration
    from atsbridge.fakes.greenhouse import conformance_setup, create_app
    from atsbridge.store.credentials import credential_box
    from atsbridge.sync.engine import SyncEngine
    from atsbridge.testing import serve_asgi

    with serve_asgi(create_app(seed=2, records=20)) as fake, receiver() as rec:
        env.register(rec.url, event_types=["integration-state-changed", "sync-finished"])
        config, credentials = conformance_setup(fake)
        iid = create_integration(
            engine,
            settings,
            env.id,
            "greenhouse",
            "Acme",
            config=config,
            credentials={**credentials, "client_secret": "wrong"},
        )
        failed = asyncio.run(SyncEngine(engine, settings).run(iid, full=True))
        assert failed.status == "FAILED"
        with engine.connect() as conn:
            row = conn.execute(select(integrations).where(integrations.c.id == iid)).one()
        assert row.status == "INVALID" and row.status_reason
        with engine.begin() as conn:
            platform.save_credentials(conn, iid, credential_box(engine, settings).seal(credentials))
        sync_now(engine, settings, iid, full=True)
        drain(engine, wh_settings, env)
    parsed = parse(rec)
    summary = [
        (
            p.type,
            getattr(p.data, "state", None),
            getattr(p.data, "sync_state", None),
            getattr(p.data, "setup_status", None),
        )
        for p in parsed
    ]
    assert summary == [
        ("integration-state-changed", "INVALID", None, "FINAL_SYNC_PENDING"),
        ("sync-finished", None, "AUTHENTICATION_FAILED", None),
        ("integration-state-changed", "ACTIVE", None, "COMPLETED"),
        ("sync-finished", None, "SUCCEEDED", None),
    ]
    with engine.connect() as conn:
        row = conn.execute(select(integrations).where(integrations.c.id == iid)).one()
    assert (row.status, row.status_reason) == ("ACTIVE", None)


def test_write_through_emits_data_changed(server: Server, engine: Engine, wh_settings: Settings, env: Env) -> None:
    from kombo import Kombo

    iid = env.sandbox(engine, seed=5)
    sync_now(engine, wh_settings, iid, full=True)
    k = Kombo(api_key=env.key, integration_id=iid, server_url=server.v1)
    app = k.ats.get_applications(page_size=1).result.data.results[0]
    with receiver() as rec:
        env.register(rec.url, event_types=["data-changed"])
        k.ats.add_application_note(application_id=app.id, content="Great call.", content_type="PLAIN_TEXT")
        drain(engine, wh_settings, env)
    (changed,) = parse(rec)
    notes = k.ats.get_notes(application_ids=[app.id]).result.data.results
    raw = {m["name"]: m["ids"] for m in rec.ok()[0].payload["data"]["changed_models"]}  # type: ignore[index]
    assert changed.data.integration_id == iid
    assert set(raw["ats_notes"]) <= {n.id for n in notes} and raw["ats_notes"]


def test_events_feed_pages_resumes_and_filters(engine: Engine, env: Env, server: Server) -> None:
    sent = emit_for(engine, env, ["sandbox:F1", "sandbox:F2"], 5)
    with engine.begin() as conn:
        other = emit(
            conn,
            environment_id=env.id,
            type="integration-created",
            data={
                "id": "sandbox:F1",
                "tool": "sandbox",
                "category": "ATS",
                "end_user": {"organization_name": "A", "creator_email": None, "origin_id": None},
            },
            integration_id="sandbox:F1",
        )
    got: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"page_size": 3}
        if cursor:
            params["after"] = cursor
        data = env.http.get("/events", params=params).json()["data"]
        got += [e["id"] for e in data["results"]]
        cursor = data["next"]
        pages += 1
        if not data["has_more"]:
            break
    assert got == [*sent, other] and pages == 4
    # Polling at the end: nothing new, and the cursor stays put.
    idle = env.http.get("/events", params={"after": cursor}).json()["data"]
    assert idle["results"] == [] and idle["next"] == cursor
    newer = emit_for(engine, env, ["sandbox:F1"], 1)
    assert [e["id"] for e in env.http.get("/events", params={"after": cursor}).json()["data"]["results"]] == newer
    # Payloads are exactly what webhooks deliver; the SDK parses them.
    first = env.http.get("/events", params={"page_size": 1}).json()["data"]["results"][0]
    with engine.connect() as conn:
        stored = conn.execute(select(events.c.payload).where(events.c.id == first["id"])).scalar_one()
    assert first == orjson.loads(stored)
    sdk.DataChangedWebhookPayload.model_validate(first)
    # Type filters (repeated or comma-separated).
    only = env.http.get("/events", params={"types": "integration-created"}).json()["data"]
    assert [e["id"] for e in only["results"]] == [other]
    both = env.http.get("/events", params=[("types", "integration-created"), ("types", "data-changed")]).json()
    assert len(both["data"]["results"]) == len(sent) + 2
    bad = env.http.get("/events", params={"types": "nope"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    forged = env.http.get("/events", params={"after": cursor[:-2] + "xx"})
    assert forged.status_code == 400 and forged.json()["error"]["message"].startswith("cursor:")
    # Another environment sees none of them and cannot use this environment's cursor.
    stranger = new_env(engine, server)
    assert stranger.http.get("/events").json()["data"]["results"] == []
    assert stranger.http.get("/events", params={"after": cursor}).json()["error"]["code"] == "PLATFORM.INPUT_INVALID"


def test_other_environments_get_not_found_for_everything(
    engine: Engine, wh_settings: Settings, env: Env, server: Server
) -> None:
    with receiver() as rec:
        endpoint = env.register(rec.url)
        emit_for(engine, env, ["sandbox:T"], 1)
        drain(engine, wh_settings, env)
    delivery = env.http.get(f"/webhooks/{endpoint['id']}/deliveries").json()["data"]["results"][0]
    stranger = new_env(engine, server)
    assert stranger.http.get("/webhooks").json()["data"]["results"] == []

    def answers(wid: str, did: str) -> list[tuple[int, str, str]]:
        out = []
        for method, path, body in [
            ("GET", f"/webhooks/{wid}", None),
            ("PATCH", f"/webhooks/{wid}", {"enabled": False}),
            ("POST", f"/webhooks/{wid}/rotate-secret", {}),
            ("GET", f"/webhooks/{wid}/deliveries", None),
            ("DELETE", f"/webhooks/{wid}", None),
            ("GET", f"/webhook-deliveries/{did}", None),
            ("POST", f"/webhook-deliveries/{did}/redeliver", None),
        ]:
            res = stranger.http.request(method, path, json=body)
            err = res.json()["error"]
            out.append((res.status_code, err["code"], err["message"].replace(wid, "ID").replace(did, "ID")))
        return out

    foreign = answers(endpoint["id"], delivery["id"])
    missing = answers("whe_doesnotexist", "whd_doesnotexist")
    assert foreign == missing
    assert {(s, c) for s, c, _ in foreign} == {(404, "PLATFORM.INPUT_INVALID")}
    # Nothing changed for the owner.
    assert env.http.get(f"/webhooks/{endpoint['id']}").json()["data"]["enabled"] is True


def test_secrets_are_shown_once_sealed_and_never_logged(
    engine: Engine, wh_settings: Settings, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    with receiver(lambda _b, n: 500 if n == 0 else 200) as rec:
        created = env.register(rec.url)
        secret = created["secret"]
        assert secret.startswith("whsec_") and len(secret) > 40
        rotated = env.http.post(f"/webhooks/{created['id']}/rotate-secret").json()["data"]["secret"]
        emit_for(engine, env, ["sandbox:S"], 1)
        d = dispatcher(engine, wh_settings, env)
        d.start()
        try:
            rec.wait_for(lambda: len(rec.ok()) == 1)
        finally:
            d.stop()
    responses = [
        env.http.get("/webhooks").text,
        env.http.get(f"/webhooks/{created['id']}").text,
        env.http.patch(f"/webhooks/{created['id']}", json={"description": "x"}).text,
        env.http.get(f"/webhooks/{created['id']}/deliveries").text,
    ]
    for text in responses:
        assert secret not in text and rotated not in text and '"secret"' not in text
    from atsbridge.store.tables import webhook_endpoints

    with engine.connect() as conn:
        row = conn.execute(select(webhook_endpoints).where(webhook_endpoints.c.id == created["id"])).one()
    for blob in (row.secret, row.previous_secret):
        assert secret.encode() not in blob and rotated.encode() not in blob
    assert secret not in caplog.text and rotated not in caplog.text


def test_endpoint_urls_are_validated(env: Env, settings: Settings) -> None:
    from atsbridge.webhooks.targets import TargetRefused, check_target

    for url, fragment in [
        ("ftp://example.com/hook", "http:// or https://"),
        ("https://user:pw@example.com/hook", "credentials"),
        ("https:///nohost", "no host"),
    ]:
        res = env.http.post("/webhooks", json={"url": url})
        assert res.status_code == 400 and res.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
        assert res.json()["error"]["message"].startswith("url:") and fragment in res.json()["error"]["message"]
    bad_type = env.http.post("/webhooks", json={"url": "https://example.com", "event_types": ["nope"]})
    assert bad_type.status_code == 400 and bad_type.json()["error"]["message"].startswith("event_types:")
    extra = env.http.post("/webhooks", json={"url": "https://example.com", "secret": "mine"})
    assert extra.status_code == 400 and extra.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    # Development mode allows local receivers; production refuses http and non-public targets (SSRF).
    check_target("http://127.0.0.1:9/hook", settings)
    prod = Settings(mode="production", secret_key="p" * 40, database_url="postgresql://db/x")
    for url in [
        "http://example.com/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:192.168.0.1]/hook",
    ]:
        with pytest.raises(TargetRefused):
            check_target(url, prod)
    check_target("https://93.184.216.34/hook", prod)
    check_target("http://10.1.2.3/hook", prod.model_copy(update={"webhook_allow_private_targets": True}))


def test_backoff_grows_with_jitter_and_caps() -> None:
    import random

    from atsbridge.webhooks.dispatcher import MAX_BACKOFF, backoff

    rng = random.Random(1)
    delays = [backoff(n, 10, rng).total_seconds() for n in range(1, 15)]
    assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20 and 20 <= delays[2] <= 40
    assert max(delays) <= MAX_BACKOFF.total_seconds() and delays[-1] >= MAX_BACKOFF.total_seconds() / 2


def test_retention_prunes_finished_history_but_never_an_undelivered_event(engine: Engine, settings: Settings) -> None:
    from datetime import timedelta

    from atsbridge.core.crypto import CredentialBox
    from atsbridge.webhooks import retention
    from atsbridge.webhooks.endpoints import create_endpoint

    with engine.begin() as conn:
        env = platform.create_environment(conn, "retention")
    endpoint, _ = create_endpoint(engine, CredentialBox(b"k" * 32), settings, env, url="http://127.0.0.1:9/hook")
    endpoint_id = endpoint["id"]
    with engine.begin() as conn:
        ids = [
            emit(conn, environment_id=env, type="data-changed", data={"n": n}, integration_id="sandbox:x")
            for n in range(3)
        ]
        long_ago = utcnow() - timedelta(days=40)
        conn.execute(update(events).where(events.c.id.in_(ids)).values(created_at=long_ago))
        conn.execute(
            update(webhook_deliveries).where(webhook_deliveries.c.event_id.in_(ids)).values(created_at=long_ago)
        )
        # the first two were delivered; the third is still owed to the receiver
        conn.execute(
            update(webhook_deliveries).where(webhook_deliveries.c.event_id.in_(ids[:2])).values(status="SUCCEEDED")
        )
    assert retention.prune(engine, keep_days=30) == (2, 2)
    with engine.connect() as conn:
        left = set(conn.execute(select(events.c.id).where(events.c.environment_id == env)).scalars())
        owed = (
            conn.execute(select(webhook_deliveries.c.status).where(webhook_deliveries.c.endpoint_id == endpoint_id))
            .scalars()
            .all()
        )
    assert left == {ids[2]} and owed == ["PENDING"]
    assert retention.prune(engine, keep_days=30) == (0, 0)  # nothing more to do; idempotent
