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

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.jobs.health import integration_health
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}


@router.get(
    "/integrations/{integration_id}/sync-health",
    responses=_ERRORS,
    operation_id="GetIntegrationsIntegrationIdSyncHealth",
    summary="How current the integration's data is: watermarks, audits, runs, webhooks (atsbridge extension)",
)
def get_sync_health(integration_id: str, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    with state.engine.connect() as conn:
        data = integration_health(conn, state.settings, integration)
    return json_response({"status": "success", "data": data})
