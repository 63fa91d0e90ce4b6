"""``GET /v1/integrations/{id}/sync-health`` (atsbridge extension): how current an integration's mirror is.

Per stream (one vendor listing filling one or more models): the watermark the next delta starts from and
the last complete full listing (the only kind that can find deletions without a feed); the last runs of each
type; and the vendor webhooks (configured, events accepted / duplicate / refused in the last day, the last
event and the last refusal with its reason), so a silent webhook is visible before the data goes stale.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.registry import get_connector
from atsbridge.core.timeutil import format_ts
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.tables import sync_runs, sync_state

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}


def _ts(value: datetime | None) -> str | None:
    return format_ts(value) if value is not None else None


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
        },
    }
    return json_response({"status": "success", "data": data})
