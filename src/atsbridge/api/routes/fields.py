"""general.* integration fields and custom-field mappings, and the atsbridge extension defining custom fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import environment_id, own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.fields import service
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import app_state

router = APIRouter(tags=["General"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}


class PassthroughToggle(BaseModel):
    model_config = ConfigDict(extra="ignore")
    enable_passthrough: bool | None = None


class MappingBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    integration_field_id: str | None


class CustomFieldBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str
    key: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")
    label: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=2000)


@router.get(
    "/integrations/{integration_id}/integration-fields",
    responses=_ERRORS,
    operation_id="GetIntegrationsIntegrationIdIntegrationFields",
    summary="Get integration fields",
)
def get_integration_fields(
    integration_id: str, request: Request, cursor: str | None = None, page_size: int | None = None
) -> Response:
    integration = own_integration(request, integration_id)
    size = service.page_size(page_size, 2000)
    with app_state(request).engine.connect() as conn:
        results, nxt = service.list_integration_fields(conn, integration.id, cursor, size)
    return json_response({"status": "success", "data": {"results": results, "next": nxt}})


@router.patch(
    "/integrations/{integration_id}/integration-fields/{integration_field_id}",
    responses=_ERRORS,
    operation_id="PatchIntegrationsIntegrationIdIntegrationFieldsIntegrationFieldId",
    summary="Updates an integration fields passthrough setting",
)
def patch_integration_field(
    integration_id: str, integration_field_id: str, body: PassthroughToggle, request: Request
) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    data = service.set_passthrough(state.engine, integration.id, integration_field_id, body.enable_passthrough)
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": data})


@router.get(
    "/integrations/{integration_id}/custom-fields",
    responses=_ERRORS,
    operation_id="GetIntegrationsIntegrationIdCustomFields",
    summary="Get custom fields with current mappings",
)
def get_custom_fields(
    integration_id: str, request: Request, cursor: str | None = None, page_size: int | None = None
) -> Response:
    integration = own_integration(request, integration_id)
    size = service.page_size(page_size, 250)
    with app_state(request).engine.connect() as conn:
        results, nxt = service.list_custom_fields(conn, integration.environment_id, integration.id, cursor, size)
    return json_response({"status": "success", "data": {"results": results, "next": nxt}})


@router.put(
    "/integrations/{integration_id}/custom-fields/{custom_field_id}",
    responses=_ERRORS,
    operation_id="PutIntegrationsIntegrationIdCustomFieldsCustomFieldId",
    summary="Put custom field mappings",
)
def put_custom_field_mapping(
    integration_id: str, custom_field_id: str, body: MappingBody, request: Request
) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    data = service.set_mapping(
        state.engine, integration.environment_id, integration.id, custom_field_id, body.integration_field_id
    )
    state.forget_integration(integration.id)
    return json_response({"status": "success", "data": data})


@router.post("/custom-fields", tags=["atsbridge"], operation_id="PostCustomFields", summary="Define a custom field")
def define_custom_field(body: CustomFieldBody, request: Request) -> Response:
    """The environment's custom fields per model (Kombo keeps these in its dashboard)."""
    env = environment_id(request)
    data = service.define(app_state(request).engine, env, body.model, body.key, body.label, body.description)
    return json_response({"status": "success", "data": data})


@router.get("/custom-fields", tags=["atsbridge"], operation_id="GetCustomFields", summary="List custom fields")
def list_custom_field_definitions(request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        results = service.list_definitions(conn, env)
    return json_response({"status": "success", "data": {"results": results}})


@router.delete(
    "/custom-fields/{custom_field_id}", tags=["atsbridge"], operation_id="DeleteCustomField", summary="Delete one"
)
def delete_custom_field(custom_field_id: str, request: Request) -> Response:
    env = environment_id(request)
    service.undefine(app_state(request).engine, env, custom_field_id)
    return json_response({"status": "success", "data": {}})
