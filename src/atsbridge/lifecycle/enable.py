"""Enabling and disabling an integration.

Disabled: reads and writes answer ``INTEGRATION.INACTIVE``, force-sync is refused, schedulers skip it,
queued runs are cancelled and a running one stops at its next page (the engine checks between pages).
Credentials and data are kept. Re-enabling queues a DELTA sync so the data catches up at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, update

from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.store import platform
from atsbridge.store.tables import integrations, sync_runs
from atsbridge.sync import runs
from atsbridge.webhooks.events import emit, end_user


def emit_state_changed(conn: Connection, integration: platform.Integration, *, enabled: bool) -> str:
    """The contract's ``integration-state-changed`` event for the integration's state after the change."""
    state = "INACTIVE" if not enabled else (integration.status if integration.status == "INVALID" else "ACTIVE")
    setup = integration.setup_status
    return emit(
        conn,
        environment_id=integration.environment_id,
        type="integration-state-changed",
        integration_id=integration.id,
        data={
            "integration_tool": integration.tool,
            "integration_id": integration.id,
            "integration_category": "ATS",
            "end_user": end_user(integration),
            "qa_status": "PASSED",
            "setup_status": setup if setup in ("INCOMPLETE", "FINAL_SYNC_PENDING", "COMPLETED") else "INCOMPLETE",
            "state": state,
            "updated_at": format_ts(utcnow()),
        },
    )


def set_enabled(engine: Engine, integration: platform.Integration, enabled: bool) -> str | None:
    """Change the flag (no-op when unchanged); returns the DELTA run queued by re-enabling, if any."""
    if integration.enabled == enabled:
        return None
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            update(integrations)
            .where(integrations.c.id == integration.id, integrations.c.status != platform.DELETED)
            .values(enabled=enabled, updated_at=now)
        )
        if not enabled:
            conn.execute(
                update(sync_runs)
                .where(sync_runs.c.integration_id == integration.id, sync_runs.c.status == "QUEUED")
                .values(status="CANCELLED", finished_at=now, error="cancelled: the integration was disabled")
            )
        emit_state_changed(conn, integration, enabled=enabled)
    if enabled:
        run_id, _, _ = runs.enqueue(engine, integration.id, "DELTA", "enabled")
        return run_id
    return None
