"""atsbridge extension: an integration's application status -> outcome override.

``GET /v1/integrations/{id}/status-map`` shows the override and the connector's default rule;
``PUT`` replaces the override (``{"status_map": {"<vendor status or reason>": "HIRED|DECLINED|PENDING"}}``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.outcomes import describe
from atsbridge.connectors.registry import get_connector
from atsbridge.fields.status_map import set_status_map, stored
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}


class StatusMapBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Checked by the service, so a bad entry is named precisely.
    status_map: Any


def _data(tool: str, status_map: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"status_map": status_map, "default_rule": describe(get_connector(tool).outcomes), **extra}


@router.get(
    "/integrations/{integration_id}/status-map",
    responses=_ERRORS,
    operation_id="GetIntegrationsIntegrationIdStatusMap",
    summary="Get the application outcome override (atsbridge extension)",
)
def get_status_map(integration_id: str, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    return json_response({"status": "success", "data": _data(integration.tool, stored(integration.config))})


@router.put(
    "/integrations/{integration_id}/status-map",
    responses=_ERRORS,
    operation_id="PutIntegrationsIntegrationIdStatusMap",
    summary="Replace the application outcome override (atsbridge extension)",
)
def put_status_map(integration_id: str, body: StatusMapBody, request: Request) -> Response:
    """A change expires the integration's data and queues a FULL sync that re-maps every outcome."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    value, changed = set_status_map(state.engine, integration.id, body.status_map)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": _data(integration.tool, value, full_sync_queued=changed)})
