"""General endpoints: key check (more arrive with the integrations lifecycle)."""

from __future__ import annotations

from typing import Literal

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import Response

from atsbridge.api.deps import environment_id, tenant
from atsbridge.api.routes.ats import json_response
from atsbridge.core.errors import ApiError
from atsbridge.core.timeutil import format_ts
from atsbridge.model.envelope import CheckApiKeyResponse, ErrorResponse
from atsbridge.runtime.state import app_state
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import sync_runs

router = APIRouter(tags=["General"])


@router.get(
    "/check-api-key",
    response_model=CheckApiKeyResponse,
    responses={401: {"model": ErrorResponse}},
    operation_id="GetCheckApiKey",
    summary="Check API key",
)
def check_api_key(request: Request) -> Response:
    env = environment_id(request)
    return json_response({"status": "success", "data": {"environment_id": env, "customer_id": env}})


class ForceSyncBody(BaseModel):
    type: Literal["FULL", "DELTA"] | None = "FULL"


class ForceSyncData(BaseModel):
    already_queued: bool
    sync_id: str
    type: Literal["FULL", "DELTA"]


class ForceSyncResponse(BaseModel):
    status: Literal["success"] = "success"
    data: ForceSyncData


@router.post(
    "/force-sync",
    response_model=ForceSyncResponse,
    responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
    operation_id="PostForceSync",
    summary="Trigger sync",
)
def force_sync(body: ForceSyncBody, request: Request) -> Response:
    """Queue a sync. At most one per type is queued or running; a repeat returns that one."""
    t = tenant(request)
    if not t.integration.enabled:
        raise ApiError("PLATFORM.INPUT_INVALID", "this integration is disabled; enable it before syncing")
    requested = body.type or "FULL"
    run_id, sync_type, already = runs.enqueue(app_state(request).engine, t.integration.id, requested, "force-sync")
    return json_response(
        {"status": "success", "data": {"already_queued": already, "sync_id": run_id, "type": sync_type}}
    )


@router.get("/syncs", tags=["atsbridge"], operation_id="GetSyncs", summary="Sync-run history (atsbridge extension)")
def list_syncs(request: Request, limit: int = 20) -> Response:
    """Recent sync runs of the integration named by ``X-Integration-Id``, newest first."""
    t = tenant(request)
    limit = max(1, min(limit, 200))
    with app_state(request).engine.connect() as conn:
        rows = conn.execute(
            select(sync_runs)
            .where(sync_runs.c.integration_id == t.integration.id)
            .order_by(sync_runs.c.queued_at.desc())
            .limit(limit)
        ).all()
    results = [
        {
            "id": r.id,
            "type": r.type,
            "status": r.status,
            "trigger": r.trigger,
            "queued_at": format_ts(r.queued_at),
            "started_at": format_ts(r.started_at) if r.started_at else None,
            "finished_at": format_ts(r.finished_at) if r.finished_at else None,
            "error": r.error,
            "stats": orjson.loads(r.stats or "{}"),
        }
        for r in rows
    ]
    return json_response({"status": "success", "data": {"results": results}})
