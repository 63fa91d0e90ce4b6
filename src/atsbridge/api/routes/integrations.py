"""Integration lifecycle: delete and enable/disable (``general.delete_integration``, ``set_integration_enabled``).

Other processes cache integrations for ``AppState.integration_cache_ttl`` (1 s): a disabled or deleted
integration is refused everywhere within that time, and at once in the process that made the change.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.core.errors import ApiError
from atsbridge.lifecycle.enable import set_enabled
from atsbridge.lifecycle.purge import delete_integration
from atsbridge.lifecycle.vendor_webhooks import auto_unregister
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state
from atsbridge.store import sync_runs as runs
from atsbridge.sync import holds

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
async def delete(integration_id: str, request: Request) -> Response:
    """Irreversible: the integration stops serving and syncing at once; all of its data is purged (the vendor
    webhooks atsbridge registered are removed at the vendor first)."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    await auto_unregister(state.engine, state.settings, integration)
    delete_integration(state.engine, integration)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": {}})


@router.put(
    "/integrations/{integration_id}/enabled",
    responses=_ERRORS,
    operation_id="PutIntegrationsIntegrationIdEnabled",
    summary="Set integration enabled",
)
async def put_enabled(integration_id: str, body: EnabledBody, request: Request) -> Response:
    """Disabling keeps credentials and data (and removes the vendor webhooks atsbridge registered, set up
    again after the next successful sync); re-enabling queues a DELTA sync."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    if not body.value:
        await auto_unregister(state.engine, state.settings, integration)
    set_enabled(state.engine, integration, body.value)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": {}})


@router.post(
    "/integrations/{integration_id}/confirm-deletions",
    responses=_ERRORS,
    operation_id="PostIntegrationsIntegrationIdConfirmDeletions",
    summary="Confirm deletions held by the breaker (atsbridge extension)",
)
def confirm_deletions(integration_id: str, request: Request) -> Response:
    """The deletion breaker held back a mass deletion; confirm it. The decision (this API key, now, how many
    per model) is recorded and a FULL sync is queued, which deletes exactly the confirmed records that the
    vendor still does not list. Answers 400 when nothing is held."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    key = request.headers.get("authorization", "").partition(" ")[2].strip()
    try:
        confirmed = holds.confirm(state.engine, integration.id, f"api key {key[:9]}…")
    except holds.NothingHeld as exc:
        raise ApiError("PLATFORM.INPUT_INVALID", str(exc)) from None
    run_id, _, _ = runs.enqueue(state.engine, integration.id, "FULL", "confirm")
    return json_response({"status": "success", "data": {"confirmed": holds.as_payload(confirmed), "sync_id": run_id}})
