"""Webhook deletions, checked by id at the vendor: a deletion at the fake is pushed, signed, and the run it
queues reads the record by id and marks it deleted (with ``data-changed`` listing it); an event that is forged
is refused and a replay is taken once; an event about a record that still exists deletes nothing; a failing
read by id deletes nothing. Greenhouse (a filter by ``ids``) and Recruitee (``GET /candidates/{id}``)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, func, select

from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.store.tables import events, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from tests.conftest import Server
from tests.contract.harness import Live, live
from tests.test_vendor_webhooks import _connect_fake, _deliver, _register, _until


def _greenhouse_event(remote_id: str, secret: str, delivery: str) -> tuple[bytes, dict[str, str]]:
    body = orjson.dumps({"action": "delete_candidate", "payload": {"candidate": {"id": int(remote_id)}}})
    mac = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Signature": f"sha256 {mac}", "Greenhouse-Event-ID": delivery}


def _recruitee_event(remote_id: str, secret: str, delivery: str) -> tuple[bytes, dict[str, str]]:
    body = orjson.dumps({"id": int(delivery.removeprefix("evt-")), "event_type": "candidate_deleted",
                         "payload": {"candidate": {"id": int(remote_id)}}})  # fmt: skip
    return body, {"X-Recruitee-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


#: tool -> (a hand-signed deletion event, the fault that makes its read by id fail).
VENDORS: dict[str, tuple[Callable[[str, str, str], tuple[bytes, dict[str, str]]], Callable[[str], dict[str, Any]]]] = {
    "greenhouse": (_greenhouse_event, lambda rid: {"path": "/v3/candidates", "query": "ids"}),
    "recruitee": (_recruitee_event, lambda rid: {"path": f"/candidates/{rid}"}),
}


@pytest.fixture(params=sorted(VENDORS))
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1) as found:
        assert found.sync(full=True).status == "SUCCEEDED"
        yield found


def _queued(v: Live) -> list[Any]:
    with v.engine.connect() as conn:
        return list(conn.execute(
            select(sync_runs.c.id, sync_runs.c.deletions).where(
                sync_runs.c.integration_id == v.integration_id, sync_runs.c.trigger == "vendor-webhook",
                sync_runs.c.status == "QUEUED",
            )
        ))  # fmt: skip


def _run_queued(v: Live) -> SyncResult:
    """The queued webhook run, as the scheduler starts it."""
    (run,) = _queued(v)
    return asyncio.run(SyncEngine(v.engine, v.settings).run(v.integration_id, full=False, run_id=run.id,
                                                             trigger="scheduler"))  # fmt: skip


def _delete_at_fake(v: Live) -> str:
    """Simulated changes until one deletes a candidate (its webhook and the others' are pushed); its id."""
    for seed in range(300):
        gone = [c for c in v.simulate(1, seed=seed) if c["kind"] == "deleted" and c["resource"] == "candidates"]
        if gone:
            _until(lambda: v.control("GET", "webhooks")["pending"] == 0, "the fake's deliveries")
            return str(gone[0]["remote_id"])
    raise AssertionError("the fake deleted no candidate")


def _last_event(v: Live) -> int:
    with v.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())


def _changed_ids(v: Live, model: str, after: int) -> set[str]:
    """The ids the ``data-changed`` events emitted after event ``after`` list for ``model``."""
    with v.engine.connect() as conn:
        rows = conn.execute(select(events.c.payload).where(
            events.c.integration_id == v.integration_id, events.c.type == "data-changed", events.c.seq > after,
        ))  # fmt: skip
        found: set[str] = set()
        for row in rows:
            for entry in orjson.loads(row.payload)["data"]["changed_models"]:
                if entry["name"] == f"ats_{model}":
                    found.update(entry["ids"])
        return found


def test_a_deletion_at_the_vendor_is_applied_within_the_run(vendor: Live, server: Server) -> None:
    _connect_fake(vendor, _register(vendor, server))
    rid = _delete_at_fake(vendor)
    assert vendor.stored("candidates")[rid][1] is None, "nothing is deleted on the event's word"
    (queued,) = _queued(vendor)
    assert ["candidates", rid] in orjson.loads(queued.deletions)
    seen = _last_event(vendor)
    result = _run_queued(vendor)
    assert result.status == "SUCCEEDED", result.error
    assert result.deletion_checks is not None and result.deletion_checks.gone >= 1
    assert vendor.stored("candidates")[rid][1] is not None, "marked deleted within the webhook's run"
    assert record_id(vendor.integration_id, "candidates", rid) in _changed_ids(vendor, "candidates", seen)
    # what a complete listing now finds is what the webhook's run already did
    before = vendor.stored("candidates")
    assert vendor.sync(full=True).status == "SUCCEEDED"
    assert vendor.stored("candidates")[rid] == before[rid]


def test_a_forged_deletion_is_refused_and_a_replay_taken_once(vendor: Live, server: Server) -> None:
    hook = _register(vendor, server)
    sign = VENDORS[vendor.tool][0]
    rid = sorted(r for r, (_, deleted) in vendor.stored("candidates").items() if deleted is None)[0]
    body, headers = sign(rid, "not-the-secret", "evt-11")
    assert _deliver(hook["url"], body, headers).status_code == 401
    assert _queued(vendor) == [], "a forged event queues nothing"
    body, headers = sign(rid, hook["secret"], "evt-12")
    assert _deliver(hook["url"], body, headers).json()["data"]["accepted"] is True
    assert _deliver(hook["url"], body, headers).json()["data"]["accepted"] is False, "the retry is a duplicate"
    (queued,) = _queued(vendor)
    assert orjson.loads(queued.deletions) == [["candidates", rid]]


def test_a_deletion_event_for_a_live_record_deletes_nothing(vendor: Live, server: Server) -> None:
    hook = _register(vendor, server)
    stored = vendor.stored("candidates")
    rid = sorted(r for r, (_, deleted) in stored.items() if deleted is None)[0]
    body, headers = VENDORS[vendor.tool][0](rid, hook["secret"], "evt-21")
    assert _deliver(hook["url"], body, headers).json()["data"]["accepted"] is True
    seen = _last_event(vendor)
    result = _run_queued(vendor)
    assert result.status == "SUCCEEDED", result.error
    assert result.deletion_checks is not None
    assert (result.deletion_checks.present, result.deletion_checks.gone) == (1, 0)
    assert vendor.stored("candidates") == stored, "re-written unchanged, nothing deleted"
    assert record_id(vendor.integration_id, "candidates", rid) not in _changed_ids(vendor, "candidates", seen)


def test_a_failing_read_by_id_deletes_nothing(vendor: Live, server: Server) -> None:
    _connect_fake(vendor, _register(vendor, server))
    rid = _delete_at_fake(vendor)
    vendor.arm(kind="fail", n=50, status=503, **VENDORS[vendor.tool][1](rid))
    seen = _last_event(vendor)
    try:
        result = _run_queued(vendor)
    finally:
        vendor.disarm()
    assert result.status == "SUCCEEDED", result.error
    assert result.deletion_checks is not None
    assert (result.deletion_checks.unverified, result.deletion_checks.gone) == (1, 0)
    assert vendor.stored("candidates")[rid][1] is None, "a vendor that cannot answer deletes nothing"
    assert record_id(vendor.integration_id, "candidates", rid) not in _changed_ids(vendor, "candidates", seen)


def test_a_burst_widens_one_run_and_the_list_is_capped(vendor: Live, server: Server) -> None:
    from atsbridge.store import sync_runs as runs

    hook = _register(vendor, server)
    sign = VENDORS[vendor.tool][0]
    for n in range(3):
        body, headers = sign(str(900_000 + n), hook["secret"], f"evt-{31 + n}")
        assert _deliver(hook["url"], body, headers).json()["data"]["accepted"] is True
    (queued,) = _queued(vendor)
    assert orjson.loads(queued.deletions) == [["candidates", str(900_000 + n)] for n in range(3)]
    many = [("candidates", str(n)) for n in range(runs.MAX_DELETIONS + 10)]
    runs.enqueue(vendor.engine, vendor.integration_id, "DELTA", "vendor-webhook", reuse_running=False,
                 streams=["candidates"], deletions=many)  # fmt: skip
    (queued,) = _queued(vendor)
    assert len(orjson.loads(queued.deletions)) == runs.MAX_DELETIONS


@pytest.mark.parametrize("vendor", ["greenhouse"], indirect=True)
def test_a_timeout_on_the_read_by_id_deletes_nothing(vendor: Live, server: Server) -> None:
    """A read by id the vendor holds and then answers with a gateway timeout (504) is no answer either."""
    _connect_fake(vendor, _register(vendor, server))
    rid = _delete_at_fake(vendor)
    vendor.arm(kind="timeout", n=50, seconds=1, **VENDORS[vendor.tool][1](rid))
    try:
        result = _run_queued(vendor)
    finally:
        vendor.disarm()
    assert result.deletion_checks is not None and result.deletion_checks.gone == 0
    assert vendor.stored("candidates")[rid][1] is None


def test_deletion_events_name_their_record_and_others_do_not() -> None:
    """What each vendor's parser makes of a deletion event (the route keeps it only for streams read by id)."""
    from atsbridge.connectors import kit
    from atsbridge.connectors.greenhouse.webhooks import touches as greenhouse
    from atsbridge.connectors.recruitee.webhooks import touches as recruitee

    assert greenhouse({"action": "delete_candidate", "payload": {"person": {"id": 7}}}) == [
        kit.Touch("candidates", "7", deleted=True), kit.Touch("applications")]  # fmt: skip
    assert greenhouse({"action": "delete_application", "payload": {"application": {"id": "9"}}}) == [
        kit.Touch("applications", "9", deleted=True), kit.Touch("candidates")]  # fmt: skip
    assert greenhouse({"action": "delete_candidate", "payload": {"candidate": {"id": True}}}) == [
        kit.Touch("candidates"), kit.Touch("applications")], "no usable id: a plain delta"  # fmt: skip
    assert greenhouse({"action": "update_candidate", "payload": {"candidate": {"id": 7}}})[0].deleted is False
    assert recruitee({"event_type": "candidate_deleted", "payload": {"candidate": {"id": 3}}}) == [
        kit.Touch("candidates", "3", deleted=True), kit.Touch("tags")]  # fmt: skip
    assert not any(t.deleted for t in recruitee({"event_type": "candidate_moved", "payload": {"candidate": {"id": 3}}}))


def test_a_read_by_id_is_declared_where_it_can_be() -> None:
    from atsbridge.connectors import kit
    from atsbridge.connectors.base import MapContext
    from atsbridge.connectors.registry import get_connector

    def nothing(raw: dict[str, Any], ctx: MapContext) -> list[Any]:
        return []

    with pytest.raises(ValueError, match="no \\{key\\}"):
        kit.ById("/candidates")
    with pytest.raises(ValueError, match="Position"):
        kit.stream("stages", "application_stages", nothing, kit.Listed("/stages"), steps=[kit.Position("_i")],
                   by_id=kit.ById("/stages/{key}"))  # fmt: skip
    readable = {s.name for s in get_connector("greenhouse").streams if s.reads_one()}
    assert readable == {"candidates", "applications"}
    assert {s.name for s in get_connector("recruitee").streams if s.reads_one()} == {"candidates"}
