"""Connect endpoints (contract §4): create a link, exchange the flow's token, and links to relink an
integration or re-run its setup step. The hosted page itself lives in :mod:`atsbridge.connect.pages`.

Bodies are read by hand so every problem names its field precisely; unknown keys are ignored (the SDK
sends defaults such as ``enable_filtering``). Only the 8 ``PLATFORM.*`` codes are used (KomboGeneralError).
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from atsbridge.api.deps import environment_id, own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connect import links
from atsbridge.connect.i18n import LANGUAGES
from atsbridge.connectors.catalog import ATS_TOOLS
from atsbridge.connectors.registry import TOOL_ALIASES, get_connector, known_tools
from atsbridge.core.errors import input_invalid
from atsbridge.core.urls import public_base
from atsbridge.runtime.state import app_state
from atsbridge.store import platform
from atsbridge.store.tables import scope_configs

router = APIRouter(tags=["Connect"])

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
LINK_TYPES = ("EMBEDDED", "MAGIC_LINK")
#: Kombo tool keys (the SDK's ``integration_tool`` enum) are longer than our catalogue; any other
#: lower-case key is reported as not available rather than as malformed.
TOOL_KEY = re.compile(r"^[a-z0-9]{2,40}$")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_LINK_OPTIONS: dict[str, Any] = {
    "language": _nullable({"type": "string", "enum": list(LANGUAGES)}),
    "link_type": {"type": "string", "enum": list(LINK_TYPES), "default": "EMBEDDED"},
    "scope_config_id": _nullable({"type": "string"}),
}


def _body_schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """OpenAPI for a body read by hand (so the published schema, and schemathesis, know it)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"requestBody": {"required": bool(required), "content": {"application/json": {"schema": schema}}}}


CREATE_LINK_BODY = _body_schema(
    {
        "end_user_email": {"type": "string", "format": "email"},
        "end_user_organization_name": {"type": "string", "minLength": 1},
        "end_user_origin_id": _nullable({"type": "string"}),
        "integration_category": {"type": "string", "enum": ["HRIS", "ATS", "ASSESSMENT"]},
        "integration_tool": _nullable({"type": "string"}),
        "enable_filtering": {"type": "boolean", "default": False},
        "enable_field_mapping": {"type": "boolean", "default": False},
        **_LINK_OPTIONS,
    },
    ["end_user_email", "end_user_organization_name"],
)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise input_invalid("body: not valid JSON") from None
    if not isinstance(body, dict):
        raise input_invalid("body: must be a JSON object")
    return body


def _text(body: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise input_invalid(f"{key}: required")
        return None
    if not isinstance(value, str):
        raise input_invalid(f"{key}: must be a string")
    return value


def _choice(body: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = _text(body, key)
    if value is None:
        return default
    if value not in allowed:
        raise input_invalid(f"{key}: must be one of {', '.join(allowed)} (got {value!r})")
    return value


def _flag(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise input_invalid(f"{key}: must be true, false or null")
    return value


def connectable_tools() -> list[str]:
    return [tool for tool in known_tools() if get_connector(tool).connect is not None]


def _tool(value: str | None) -> str | None:
    if value is None:
        return None
    available = connectable_tools()
    value = TOOL_ALIASES.get(value, value)
    if value in available:
        return value
    labels = dict(ATS_TOOLS)
    if value in labels or TOOL_KEY.match(value):
        name = labels.get(value, value)
        raise input_invalid(
            f"integration_tool: {name!r} is not available in atsbridge; available: {', '.join(available)}"
        )
    raise input_invalid(f"integration_tool: unknown tool {value!r}; available: {', '.join(available)}")


def _scope_config(request: Request, env: str, value: str | None) -> str | None:
    if value is None:
        return None
    with app_state(request).engine.connect() as conn:
        found = conn.execute(
            select(scope_configs.c.id).where(scope_configs.c.id == value, scope_configs.c.environment_id == env)
        ).scalar_one_or_none()
    if found is None:
        raise input_invalid(f"scope_config_id: no scope config {value!r} in this environment")
    return value


def _link_url(request: Request, secret: str) -> str:
    return f"{public_base(app_state(request).settings, str(request.base_url))}/connect/{secret}"


@router.post(
    "/connect/create-link",
    operation_id="PostConnectCreateLink",
    summary="Create connection link",
    openapi_extra=CREATE_LINK_BODY,
)
async def create_link(request: Request) -> Response:
    """A link to the hosted Connect page (EMBEDDED: valid 1 hour; MAGIC_LINK: 1 year)."""
    env = environment_id(request)
    body = await _body(request)
    email = (_text(body, "end_user_email", required=True) or "").strip()
    if not EMAIL.match(email):
        raise input_invalid(f"end_user_email: {email!r} is not a valid email address")
    organization = (_text(body, "end_user_organization_name", required=True) or "").strip()
    if not organization:
        raise input_invalid("end_user_organization_name: must not be empty")
    if len(organization) > 300:
        raise input_invalid("end_user_organization_name: at most 300 characters")
    origin_id = _text(body, "end_user_origin_id")
    category = _text(body, "integration_category")
    if category not in (None, "ATS"):
        raise input_invalid(
            f'integration_category: atsbridge connects ATS tools only; pass integration_category="ATS" '
            f'(got {category!r}; the Kombo SDK sends "HRIS" unless told otherwise)'
        )
    tool = _tool(_text(body, "integration_tool"))
    remote_environment = _text(body, "remote_environment")
    if remote_environment is not None and tool is None:
        raise input_invalid("remote_environment: only allowed together with integration_tool")
    language = _choice(body, "language", LANGUAGES, "en")
    link_type = _choice(body, "link_type", LINK_TYPES, "EMBEDDED")
    scope_config_id = _scope_config(request, env, _text(body, "scope_config_id"))
    options = {key: _flag(body, key) for key in ("enable_filtering", "enable_field_mapping", "enable_static_ips")}
    with app_state(request).engine.begin() as conn:
        _, secret = links.create(
            conn,
            environment_id=env,
            purpose="connect",
            organization_name=organization,
            link_type=link_type,
            language=language,
            email=email,
            origin_id=origin_id,
            tool=tool,
            remote_environment=remote_environment,
            scope_config_id=scope_config_id,
            options=options,
        )
    data: dict[str, Any] = {"link": _link_url(request, secret)}
    if options["enable_static_ips"]:
        data["static_ips"] = []  # self-hosted: calls leave from your own servers' addresses
    return json_response({"status": "success", "data": data})


@router.get(
    "/connect/integration-by-token/{token}",
    operation_id="GetConnectIntegrationByTokenToken",
    summary="Get integration by token",
)
def integration_by_token(token: str, request: Request) -> Response:
    """Exchange the token the Connect page handed to the embedding app (valid 10 minutes, once)."""
    env = environment_id(request)
    state = app_state(request)
    with state.engine.begin() as conn:
        integration_id = links.consume_exchange_token(conn, env, token)
        integration = platform.get_integration(conn, integration_id) if integration_id else None
    if integration is None or integration.environment_id != env:
        raise input_invalid("token: unknown or expired")
    return json_response(
        {
            "status": "success",
            "data": {
                "tool": integration.tool,
                "id": integration.id,
                "end_user_origin_id": integration.end_user_origin_id,
                "end_user_organization_name": integration.organization_name,
                "end_user_email": integration.end_user_email,
                "setup_status": integration.setup_status,
            },
        }
    )


@router.post(
    "/integrations/{integration_id}/relink",
    operation_id="PostIntegrationsIntegrationIdRelink",
    summary="Create reconnection link",
    openapi_extra=_body_schema(_LINK_OPTIONS),
)
async def relink(integration_id: str, request: Request) -> Response:
    """A link whose page goes straight to the tool's form and repairs this same integration."""
    integration = own_integration(request, integration_id)
    env = integration.environment_id
    body = await _body(request)
    language = _choice(body, "language", LANGUAGES, "en")
    link_type = _choice(body, "link_type", LINK_TYPES, "EMBEDDED")
    scope_config_id = _scope_config(request, env, _text(body, "scope_config_id"))
    if get_connector(integration.tool).connect is None:
        raise input_invalid(f"integration_id: {integration.tool} integrations cannot be reconnected through Connect")
    with app_state(request).engine.begin() as conn:
        _, secret = links.create(
            conn,
            environment_id=env,
            purpose="relink",
            integration_id=integration.id,
            organization_name=integration.organization_name,
            link_type=link_type,
            language=language,
            email=integration.end_user_email,
            origin_id=integration.end_user_origin_id,
            tool=integration.tool,
            scope_config_id=scope_config_id,
        )
    return json_response({"status": "success", "data": {"link": _link_url(request, secret)}})


@router.post(
    "/integrations/{integration_id}/setup-link",
    operation_id="PostIntegrationsIntegrationIdSetupLink",
    summary="Create Setup Flow link",
    openapi_extra=_body_schema({k: v for k, v in _LINK_OPTIONS.items() if k != "scope_config_id"}),
)
async def setup_link(integration_id: str, request: Request) -> Response:
    """A link to the setup step: the field mapping (integrations connected with ``enable_field_mapping``) and
    which of the customer's statuses mean hired or declined (connectors whose outcomes follow status names)."""
    integration = own_integration(request, integration_id)
    env = integration.environment_id
    body = await _body(request)
    link_type = _choice(body, "link_type", LINK_TYPES, "EMBEDDED")
    language = _choice(body, "language", LANGUAGES, "en")
    engine = app_state(request).engine
    with engine.connect() as conn:
        enabled = (
            links.field_mapping_enabled(conn, integration.id) or get_connector(integration.tool).outcomes is not None
        )
    if not enabled:
        raise input_invalid("no setup step is enabled for this integration (connect it with enable_field_mapping=true)")
    with engine.begin() as conn:
        _, secret = links.create(
            conn,
            environment_id=env,
            purpose="setup",
            integration_id=integration.id,
            organization_name=integration.organization_name,
            link_type=link_type,
            language=language,
            email=integration.end_user_email,
            origin_id=integration.end_user_origin_id,
            tool=integration.tool,
        )
    return json_response({"status": "success", "data": {"link": _link_url(request, secret)}})
