"""Scope configs (atsbridge's API for what Kombo keeps in its dashboard) and integration details."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import environment_id, own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.catalog import WRITE_ACTIONS
from atsbridge.connectors.registry import get_connector
from atsbridge.core.timeutil import format_ts
from atsbridge.model.registry import MODELS
from atsbridge.runtime.state import app_state
from atsbridge.scopes import service
from atsbridge.scopes.model import switchable_fields
from atsbridge.sync import holds

router = APIRouter(tags=["Scope configs"])


class ScopeConfigBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    settings: dict[str, Any] = Field(default_factory=dict)
    is_default: bool = False


class ScopeUpdateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    settings: dict[str, Any]
    name: str | None = Field(default=None, min_length=1, max_length=200)


class AssignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope_config_id: str | None


@router.get("/scope-configs", operation_id="GetScopeConfigs", summary="List scope configs (atsbridge)")
def list_scope_configs(request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        return json_response({"status": "success", "data": {"results": service.list_configs(conn, env)}})


@router.post("/scope-configs", operation_id="PostScopeConfigs", summary="Create a scope config (atsbridge)")
def create_scope_config(body: ScopeConfigBody, request: Request) -> Response:
    env = environment_id(request)
    state = app_state(request)
    config_id = service.create_config(state.engine, env, body.name, body.settings, is_default=body.is_default)
    state._scope_cache.clear()
    with state.engine.connect() as conn:
        return json_response({"status": "success", "data": service.as_json(service.get_config(conn, env, config_id))})


@router.get("/scope-configs/{config_id}", operation_id="GetScopeConfig", summary="Get a scope config (atsbridge)")
def get_scope_config(config_id: str, request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        return json_response({"status": "success", "data": service.as_json(service.get_config(conn, env, config_id))})


@router.put("/scope-configs/{config_id}", operation_id="PutScopeConfig", summary="Change a scope config (atsbridge)")
def update_scope_config(config_id: str, body: ScopeUpdateBody, request: Request) -> Response:
    """Narrowing purges what fell out of scope at once; widening queues the full sync that fills it."""
    env = environment_id(request)
    state = app_state(request)
    service.update_config(state.engine, env, config_id, body.settings, body.name)
    state._scope_cache.clear()
    with state.engine.connect() as conn:
        return json_response({"status": "success", "data": service.as_json(service.get_config(conn, env, config_id))})


@router.put(
    "/integrations/{integration_id}/scope-config",
    operation_id="PutIntegrationScopeConfig",
    summary="Choose an integration's scope config (atsbridge)",
)
def assign_scope_config(integration_id: str, body: AssignBody, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    service.assign(state.engine, integration.environment_id, integration.id, body.scope_config_id)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": {}})


def _setting(enabled: bool) -> str:
    return "ENABLED" if enabled else "DISABLED"


@router.get(
    "/integrations/{integration_id}",
    operation_id="GetIntegrationsIntegrationId",
    summary="Get integration details",
)
def get_integration_details(integration_id: str, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    connector = get_connector(integration.tool)
    caps = connector.capabilities
    scope = state.scope(integration.id)
    base = str(request.base_url).rstrip("/")
    read_models: list[dict[str, Any]] = []
    for name in MODELS:
        supported = name in caps.models
        enabled = scope.model_enabled(name)
        read_models.append(
            {
                "id": f"ats_{name}",
                "label": name.replace("_", " ").capitalize(),
                "is_available": supported and enabled,
                "coverage_status": "SUPPORTED" if supported else "UNSUPPORTED",
                "scope_config_setting": _setting(enabled),
                "opted_out_by_customer": False,
                "fields": [
                    {
                        "id": f,
                        "is_available": supported and enabled and f not in scope.fields_off(name),
                        "coverage_status": "SUPPORTED" if supported else "UNSUPPORTED",
                        "scope_config_setting": _setting(f not in scope.fields_off(name)),
                        "opted_out_by_customer": False,
                    }
                    for f in switchable_fields(name)
                ],
            }
        )
    write_actions: list[dict[str, Any]] = [
        {
            "id": f"ats_{action}",
            "label": label,
            "is_available": action in caps.actions and scope.action_enabled(action),
            "coverage_status": "SUPPORTED" if action in caps.actions else "NOT_IMPLEMENTED",
            "scope_config_setting": _setting(scope.action_enabled(action)),
            "opted_out_by_customer": False,
            "fields": [],
        }
        for action, label in WRITE_ACTIONS.items()
    ]
    with state.engine.connect() as conn:
        held = holds.as_payload(holds.holds(conn, [integration.id]))
    icon = f"{base}/v1/assets/{integration.tool}.svg"
    status = "INACTIVE" if not integration.enabled else integration.status
    data = {
        "id": integration.id,
        "tool": {
            "id": integration.tool,
            "label": connector.label,
            "internal_label": None,
            "logo_url": icon,
            "icon_url": icon,
        },
        "category": "ATS",
        "status": status if status in ("ACTIVE", "INVALID", "INACTIVE") else "ACTIVE",
        "setup_status": integration.setup_status,
        "end_user": {
            "organization_name": integration.organization_name,
            "creator_email": integration.end_user_email,
            "origin_id": integration.end_user_origin_id,
        },
        "scope_config": {"id": scope.config_id or "default", "name": scope.config_name or "Everything"},
        "data_expired_at": format_ts(integration.data_expired_at) if integration.data_expired_at else None,
        # atsbridge extension: why the integration is INVALID, or why its syncs keep failing (None: healthy)
        "status_reason": integration.status_reason,
        # atsbridge extension: deletions the breaker holds until confirmed (POST .../confirm-deletions)
        "deletions_held": held,
        "created_at": format_ts(integration.created_at),
        "beta": False,
        "read_models": read_models,
        "write_actions": write_actions,
    }
    return json_response({"status": "success", "data": data})
