"""Enabling and disabling an integration.

Disabled: reads and writes answer ``INTEGRATION.INACTIVE``, force-sync is refused, schedulers skip it,
queued runs are cancelled and a running one stops at its next page (the engine checks between pages).
Credentials and data are kept. Re-enabling queues a DELTA sync so the data catches up at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, update

from atsbridge.core.timeutil import utcnow
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import integrations, sync_runs
from atsbridge.webhooks.emitters import integration_state_changed


def emit_state_changed(conn: Connection, integration: platform.Integration, *, enabled: bool) -> str | None:
    """The contract's ``integration-state-changed`` event for the integration as the change left it."""
    current = platform.get_integration(conn, integration.id)
    if current is None:
        return None
    return integration_state_changed(conn, current, utcnow())


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
