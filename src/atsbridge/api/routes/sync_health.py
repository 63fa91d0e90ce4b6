"""``GET /v1/integrations/{id}/sync-health`` (atsbridge extension): how current an integration's mirror is.

Per stream (one vendor listing filling one or more models): the watermark the next delta starts from and
the last complete full listing (the only kind that can find deletions without a feed); the last runs of each
type; and the vendor webhooks (configured, events accepted / duplicate / refused in the last day, the last
event and the last refusal with its reason), so a silent webhook is visible before the data goes stale.

The **drift audit** is the scheduled FULL run (every ``full_sync_hours``, default 12; a forced FULL sync is one
too): it lists every record, repairs what the mirror lacks or holds stale, and finds what the vendor no longer
lists. ``drift_audit`` reports the last one: per model the records it found ``missing``, ``stale`` and
``extra``. Webhooks are **silent** when polling found changes well after the last webhook event: the
vendor stopped sending, or sends to an old URL.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Request
from sqlalchemy import Connection, func, select
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.registry import get_connector
from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.jobs.scheduler import intervals
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.tables import sync_runs, sync_state

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}


#: How many recent runs are read to find the last audit (a busy integration runs many deltas between them).
_RECENT_FULL_RUNS = 10


def _ts(value: datetime | None) -> str | None:
    return format_ts(value) if value is not None else None


def _stats(raw: str | None) -> dict[str, Any]:
    try:
        value = orjson.loads(raw or "{}")
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def last_audit(conn: Connection, integration_id: str) -> dict[str, Any] | None:
    """The newest succeeded FULL run that was a drift audit, with its drift per model and in total."""
    rows = conn.execute(
        select(sync_runs.c.id, sync_runs.c.finished_at, sync_runs.c.trigger, sync_runs.c.stats)
        .where(
            sync_runs.c.integration_id == integration_id,
            sync_runs.c.type == "FULL",
            sync_runs.c.status == "SUCCEEDED",
        )
        .order_by(sync_runs.c.finished_at.desc())
        .limit(_RECENT_FULL_RUNS)
    )
    for row in rows:
        drift = _stats(row.stats).get("drift")
        if isinstance(drift, dict):
            totals = {k: sum(int(m.get(k, 0)) for m in drift.values()) for k in ("missing", "stale", "extra")}
            return {"sync_id": row.id, "finished_at": _ts(row.finished_at), "trigger": row.trigger, **totals,
                    "models": drift}  # fmt: skip
    return None


def changes_since(conn: Connection, integration_id: str, since: datetime) -> int:
    """Records created, changed or deleted by polling runs (not webhook-triggered) finished after ``since``."""
    found = 0
    rows = conn.execute(
        select(sync_runs.c.stats).where(
            sync_runs.c.integration_id == integration_id,
            sync_runs.c.status == "SUCCEEDED",
            sync_runs.c.trigger != "vendor-webhook",
            sync_runs.c.finished_at > since,
        )
    )
    for row in rows:
        models = _stats(row.stats).get("models")
        if isinstance(models, dict):
            found += sum(int(m.get(k, 0)) for m in models.values() if isinstance(m, dict)
                         for k in ("created", "updated", "deleted"))  # fmt: skip
    return found


@router.get(
    "/integrations/{integration_id}/sync-health",
    responses=_ERRORS,
    operation_id="GetIntegrationsIntegrationIdSyncHealth",
    summary="How current the integration's data is: watermarks, full listings, runs, webhooks (atsbridge extension)",
)
def get_sync_health(integration_id: str, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    connector = get_connector(integration.tool)
    with state.engine.connect() as conn:
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
        silence = timedelta(minutes=state.settings.webhook_silence_minutes)
        unannounced = changes_since(conn, integration.id, heard + silence) if webhooks.configured and heard else 0
    _, full_every = intervals(state.settings, integration.config)
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
    return json_response({"status": "success", "data": data})
