"""One integration's sync health, as ``GET /v1/integrations/{id}/sync-health`` and the dashboard show it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.jobs.scheduler import intervals
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.platform import Integration
from atsbridge.store.tables import sync_runs, sync_state
from atsbridge.sync.audit import last_audit, silent_webhooks
from atsbridge.sync.audit import ts as _ts


def integration_health(conn: Connection, settings: Settings, integration: Integration) -> dict[str, Any]:
    """Per stream the watermark and last complete listing; the last runs of each type; the vendor webhooks
    (with ``silent``); the drift audit (the last one's repairs and when the next is due)."""
    connector = get_connector(integration.tool)
    mine = select(sync_state).where(sync_state.c.integration_id == integration.id)
    saved = {r.stream: r for r in conn.execute(mine)}
    last_runs = {
        (r.type, r.status): r.last
        for r in conn.execute(
            select(sync_runs.c.type, sync_runs.c.status, func.max(sync_runs.c.finished_at).label("last"))
            .where(sync_runs.c.integration_id == integration.id)
            .group_by(sync_runs.c.type, sync_runs.c.status)
        )
    }
    webhooks = hooks.health(conn, integration.id)
    audit = last_audit(conn, integration.id)
    last_full = conn.execute(
        select(func.max(sync_runs.c.queued_at)).where(
            sync_runs.c.integration_id == integration.id, sync_runs.c.type == "FULL", sync_runs.c.status != "FAILED"
        )
    ).scalar()
    heard = webhooks.last_event_at or webhooks.created_at
    # a vendor may batch its deliveries for a few minutes, and polling overlaps its own window too
    silence = timedelta(minutes=settings.webhook_silence_minutes)
    unannounced = silent_webhooks(conn, integration.id, heard, silence) if webhooks.configured else 0
    _, full_every = intervals(settings, integration.config)
    streams = [
        {
            "stream": s.name,
            "models": list(s.models),
            "watermark": saved[s.name].watermark if s.name in saved else None,
            "last_full_listing_at": _ts(saved[s.name].last_full_sync_at) if s.name in saved else None,
        }
        for s in connector.streams
    ]
    runs = {
        kind.lower(): {
            "last_succeeded_at": _ts(last_runs.get((kind, "SUCCEEDED"))),
            "last_failed_at": _ts(last_runs.get((kind, "FAILED"))),
        }
        for kind in ("FULL", "DELTA")
    }
    data = {
        "integration_id": integration.id,
        "tool": integration.tool,
        "streams": streams,
        "runs": runs,
        "webhooks": {
            "supported": connector.webhooks is not None,
            "configured": webhooks.configured,
            "configured_at": _ts(webhooks.created_at),
            "last_day": {"accepted": webhooks.accepted, "duplicates": webhooks.duplicates, "refused": webhooks.refused},
            "last_event_at": _ts(webhooks.last_event_at),
            "last_refusal_at": _ts(webhooks.last_refusal_at),
            "last_refusal": webhooks.last_refusal,
            "silent": unannounced > 0,
            "changes_found_by_polling_since_last_event": unannounced,
        },
        "drift_audit": {
            "interval_hours": full_every.total_seconds() / 3600,
            "next_due_at": _ts(last_full + full_every) if last_full is not None else _ts(utcnow()),
            "last": audit,
        },
    }
    return data
