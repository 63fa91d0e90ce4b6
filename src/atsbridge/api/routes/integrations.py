"""Integration lifecycle: delete and enable/disable (``general.delete_integration``, ``set_integration_enabled``).

Other processes cache integrations for ``AppState.integration_cache_ttl`` (1 s): a disabled or deleted
integration is refused everywhere within that time, and at once in the process that made the change.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from atsbridge.api.deps import app_state, own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.lifecycle.enable import set_enabled
from atsbridge.lifecycle.purge import delete_integration
from atsbridge.model.envelope import ErrorResponse

router = APIRouter(tags=["General"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404, 500)}


class EnabledBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    value: bool


@router.delete(
    "/integrations/{integration_id}",
    responses=_ERRORS,
    operation_id="DeleteIntegrationsIntegrationId",
    summary="Delete integration",
)
def delete(integration_id: str, request: Request) -> Response:
    """Irreversible: the integration stops serving and syncing at once; all of its data is purged."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    delete_integration(state.engine, integration)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": {}})


@router.put(
    "/integrations/{integration_id}/enabled",
    responses=_ERRORS,
    operation_id="PutIntegrationsIntegrationIdEnabled",
    summary="Set integration enabled",
)
def put_enabled(integration_id: str, body: EnabledBody, request: Request) -> Response:
    """Disabling keeps credentials and data; re-enabling queues a DELTA sync."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    set_enabled(state.engine, integration, body.value)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": {}})
