"""Integration lifecycle through the SDK: delete purges every row everywhere; disable/enable gates everything."""

from __future__ import annotations

import asyncio
import uuid

import orjson
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError, KomboGeneralError
from sqlalchemy import Engine, String, Text, func, insert, select

from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.store import platform, rate_budgets
from atsbridge.store.tables import (
    connect_links,
    events,
    idempotency_keys,
    integration_fields,
    metadata,
    sync_runs,
    tracked_applications,
    webhook_deliveries,
    webhook_endpoints,
)
from atsbridge.sync.engine import SyncEngine
from tests.conftest import Sandbox, Server, make_sandbox


def mentions(engine: Engine, needle: str) -> dict[str, int]:
    """Rows of every table whose integration_id or any text column contains ``needle`` (deletion event aside)."""
    found: dict[str, int] = {}
    with engine.connect() as conn:
        kept_events = {
            r.id
            for r in conn.execute(select(events.c.id).where(events.c.type == "integration-deleted"))
            if needle in (conn.execute(select(events.c.payload).where(events.c.id == r.id)).scalar_one())
        }
        for table in metadata.sorted_tables:
            cols = [c for c in table.c if isinstance(c.type, String | Text)]
            for col in cols:
                stmt = select(table).where(col.contains(needle, autoescape=True))
                rows = conn.execute(stmt).all()
                if table is events:
                    rows = [r for r in rows if r.id not in kept_events]
                if table is webhook_deliveries:
                    rows = [r for r in rows if r.event_id not in kept_events]
                if rows:
                    found[f"{table.name}.{col.name}"] = len(rows)
    return found


def counts(engine: Engine, integration_id: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "integration_id" in table.c:
                out[table.name] = conn.execute(
                    select(func.count()).select_from(table).where(table.c.integration_id == integration_id)
                ).scalar_one()
    return out


def _extra_rows(engine: Engine, sbx: Sandbox) -> None:
    """Rows in the side tables a sandbox sync alone does not fill."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(integration_fields).values(
                id="if_" + uuid.uuid4().hex[:20],
                integration_id=sbx.integration_id,
                model="candidates",
                key="x",
                type="DEFAULT",
                label=None,
                is_passthrough_enabled=False,
                first_seen_at=now,
                last_seen_at=now,
            )
        )
        conn.execute(
            insert(connect_links).values(
                id="cl_" + uuid.uuid4().hex[:20],
                environment_id=sbx.environment_id,
                token_hash=uuid.uuid4().hex,
                purpose="relink",
                integration_id=sbx.integration_id,
                end_user_organization_name="Sandbox Inc.",
                created_at=now,
                expires_at=now,
            )
        )
        conn.execute(
            insert(idempotency_keys).values(
                environment_id=sbx.environment_id,
                key=uuid.uuid4().hex,
                integration_id=sbx.integration_id,
                request_hash="h",
                status="done",
                created_at=now,
            )
        )
        conn.execute(
            insert(tracked_applications).values(
                integration_id=sbx.integration_id,
                application_id="a" * 24,
                remote_id="r1",
                source="created",
                tracked_at=now,
            )
        )
        conn.execute(
            insert(webhook_endpoints).values(
                id="we_" + uuid.uuid4().hex[:20],
                environment_id=sbx.environment_id,
                url="http://127.0.0.1:9/hook",
                secret=b"sealed",
                created_at=now,
                updated_at=now,
            )
        )
    rate_budgets.prepare(engine, rate_budgets.BudgetKey(sbx.integration_id, 3, 1.0))  # its vendor budget (distributed)


def test_delete_purges_every_row(engine: Engine, settings: Settings, server: Server) -> None:
    doomed = make_sandbox(engine, settings, "tiny", seed=3)
    other = make_sandbox(engine, settings, "tiny", seed=3)
    _extra_rows(engine, doomed)
    k = Kombo(api_key=doomed.key, server_url=server.v1)
    k.general.set_integration_enabled(integration_id=doomed.integration_id, value=False)  # an event to purge
    before_other = counts(engine, other.integration_id)
    assert sum(counts(engine, doomed.integration_id).values()) > 50
    assert mentions(engine, doomed.integration_id)

    # Another environment's key cannot delete it (same answer as a missing id).
    with pytest.raises(KomboGeneralError) as info:
        Kombo(api_key=other.key, server_url=server.v1).general.delete_integration(
            integration_id=doomed.integration_id, body={}
        )
    assert info.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"

    res = k.general.delete_integration(integration_id=doomed.integration_id, body={})
    assert res.data is not None
    assert mentions(engine, doomed.integration_id) == {}
    assert counts(engine, other.integration_id) == before_other
    with engine.connect() as conn:
        payloads = [
            orjson.loads(p)
            for p in conn.execute(
                select(events.c.payload).where(
                    events.c.environment_id == doomed.environment_id, events.c.type == "integration-deleted"
                )
            ).scalars()
        ]
        queued = conn.execute(
            select(func.count())
            .select_from(webhook_deliveries)
            .where(webhook_deliveries.c.environment_id == doomed.environment_id)
        ).scalar_one()
    assert [p["data"]["id"] for p in payloads] == [doomed.integration_id]
    assert payloads[0]["data"]["end_user"]["organization_name"] == "Sandbox Inc."
    assert queued == 1  # the deletion event goes out to the environment's endpoint

    with pytest.raises(KomboGeneralError) as info:
        k.general.get_integration_details(integration_id=doomed.integration_id)
    assert info.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
    with pytest.raises(KomboAtsError) as ats_info:
        Kombo(api_key=doomed.key, integration_id=doomed.integration_id, server_url=server.v1).ats.get_jobs()
    assert ats_info.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
    with pytest.raises(KomboGeneralError):
        k.general.delete_integration(integration_id=doomed.integration_id, body={})


def test_disable_enable(engine: Engine, settings: Settings, server: Server) -> None:
    sbx = make_sandbox(engine, settings, "tiny", seed=5)
    k = Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)
    assert k.ats.get_jobs().result.data.results
    k.general.set_integration_enabled(integration_id=sbx.integration_id, value=False)
    assert k.general.get_integration_details(integration_id=sbx.integration_id).data.status == "INACTIVE"
    with pytest.raises(KomboAtsError) as info:
        k.ats.get_jobs()
    assert info.value.data.error.code == "INTEGRATION.INACTIVE"
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_candidate_tag(candidate_id="x" * 24, tag={"name": "t"})
    assert info.value.data.error.code == "INTEGRATION.INACTIVE"
    with pytest.raises(KomboGeneralError) as ginfo:
        k.general.trigger_sync(type_="DELTA")
    assert ginfo.value.data.error.code == "PLATFORM.INPUT_INVALID"

    k.general.set_integration_enabled(integration_id=sbx.integration_id, value=True)
    assert k.general.get_integration_details(integration_id=sbx.integration_id).data.status == "ACTIVE"
    assert k.ats.get_jobs().result.data.results
    with engine.connect() as conn:
        queued = conn.execute(
            select(sync_runs.c.type, sync_runs.c.trigger).where(
                sync_runs.c.integration_id == sbx.integration_id, sync_runs.c.status == "QUEUED"
            )
        ).all()
        states = [
            orjson.loads(p)["data"]["state"]
            for p in conn.execute(
                select(events.c.payload)
                .where(events.c.integration_id == sbx.integration_id, events.c.type == "integration-state-changed")
                .order_by(events.c.seq)
            ).scalars()
        ]
    assert [(q.type, q.trigger) for q in queued] == [("DELTA", "enabled")]
    # the first sync completing setup reported ACTIVE; then the disable and the re-enable
    assert states == ["ACTIVE", "INACTIVE", "ACTIVE"]


def test_running_sync_stops_when_disabled(engine: Engine, settings: Settings) -> None:
    sbx = make_sandbox(engine, settings, "tiny", seed=9)
    with engine.connect() as conn:
        integration = platform.get_integration(conn, sbx.integration_id)
    assert integration is not None
    from atsbridge.lifecycle.enable import set_enabled

    def progress(_stream: str, _count: int) -> None:
        set_enabled(engine, integration, False)

    result = asyncio.run(SyncEngine(engine, settings).run(sbx.integration_id, full=True, progress=progress))
    assert result.status == "CANCELLED"
    with engine.connect() as conn:
        status = conn.execute(select(sync_runs.c.status).where(sync_runs.c.id == result.run_id)).scalar_one()
    assert status == "CANCELLED"
