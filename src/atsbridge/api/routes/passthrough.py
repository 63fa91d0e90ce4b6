"""``POST /v1/passthrough/{tool}/{api}``: a raw request to the integration's own ATS API (general.*: only
PLATFORM error codes)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import tenant
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.info import integration_info
from atsbridge.connectors.registry import TOOL_ALIASES, get_connector
from atsbridge.core.errors import ApiError
from atsbridge.core.fetch import FetchPolicy
from atsbridge.model.envelope import ErrorResponse
from atsbridge.passthrough.service import FilePart, PassthroughRequest, find_api, send
from atsbridge.runtime.state import app_state

router = APIRouter(tags=["General"])


class FileValue(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=255)
    content_type: str | None = None
    data_url: str | None = None
    data: str | None = None


class MultipartDatum(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=255)
    value: str | FileValue


class PassthroughBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    method: Literal["GET", "POST", "DELETE", "PUT", "PATCH"]
    path: str
    headers: dict[str, str] | None = None
    params: dict[str, str] | None = None
    data: Any = None
    response_as_base64: bool | None = None
    multipart_form_data: list[MultipartDatum] | None = None
    api_options: dict[str, str] | None = None


@router.post(
    "/passthrough/{tool}/{api}",
    responses={code: {"model": ErrorResponse} for code in (400, 401, 404, 500, 502)},
    operation_id="PostPassthroughToolApi",
    summary="Send passthrough request",
)
async def passthrough(tool: str, api: str, body: PassthroughBody, request: Request) -> Response:
    t = tenant(request)
    integration = t.integration
    if TOOL_ALIASES.get(tool, tool) != integration.tool:
        raise ApiError(
            "PLATFORM.INPUT_INVALID",
            f"tool: integration {integration.id} is a {integration.tool} integration, not '{tool}'",
        )
    if not integration.enabled:
        raise ApiError("PLATFORM.INPUT_INVALID", "this integration is disabled; enable it to send requests")
    found = find_api(get_connector(integration.tool), api)
    multipart: list[tuple[str, str | FilePart]] | None = None
    if body.multipart_form_data is not None:
        multipart = [
            (
                part.name,
                part.value
                if isinstance(part.value, str)
                else FilePart(part.value.name, part.value.content_type, part.value.data, part.value.data_url),
            )
            for part in body.multipart_form_data
        ]
    req = PassthroughRequest(
        method=body.method,
        path=body.path,
        headers=dict(body.headers or {}),
        params=dict(body.params or {}),
        data=body.data,
        response_as_base64=bool(body.response_as_base64),
        multipart=multipart,
        fetch=FetchPolicy.for_settings(app_state(request).settings),
    )
    state = app_state(request)
    info = integration_info(state.engine, state.settings, integration)
    data = await send(found, info, req)
    return json_response({"status": "success", "data": data, "warnings": []})
