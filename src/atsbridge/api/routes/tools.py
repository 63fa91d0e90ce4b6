"""``GET /v1/tools/{category}``: the tools atsbridge connects to, with coverage derived from each
connector's capability declaration (never hand-maintained)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from atsbridge.api.deps import environment_id
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.catalog import ATS_TOOLS, UNAVAILABLE, WRITE_ACTIONS
from atsbridge.connectors.registry import get_connector, known_tools
from atsbridge.core.errors import ApiError
from atsbridge.model.registry import MODELS

router = APIRouter(tags=["General"])

#: Write actions of the contract, as ids the coverage lists use.


def _label(model: str) -> str:
    return model.replace("_", " ").capitalize()


def _not_available(tool: str, label: str, base_url: str) -> dict[str, Any]:
    """A tool without a connector: not built yet, or declined with a reason (nothing documented to build on),
    in which case nothing is known about what the tool could serve."""
    icon = f"{base_url}/v1/assets/{tool}.svg"
    reason = UNAVAILABLE.get(tool)
    status = "UNKNOWN" if reason else "NOT_IMPLEMENTED"
    return {
        "id": tool,
        "label": label,
        "internal_label": f"unavailable in atsbridge: {reason}" if reason else "not yet available in atsbridge",
        "assets": {"logo_url": icon, "icon_url": icon, "icon_black_url": icon},
        "paid_api_details_markdown": None,
        "fast_track_details_markdown": None,
        "partner_only_details_markdown": None,
        "connection_guide_url": None,
        "coverage": {
            "read_models": [
                {"id": f"ats_{name}", "label": _label(name), "coverage_status": status, "fields": []}
                for name in MODELS
            ],
            "write_actions": [
                {"id": f"ats_{a}", "label": label_, "coverage_status": status, "fields": []}
                for a, label_ in WRITE_ACTIONS.items()
            ],
            "features": [],
        },
    }


def all_tools(base_url: str) -> list[dict[str, Any]]:
    """Every ATS of the catalogue: connectors with their declared coverage, the rest as not yet available."""
    available = set(known_tools())
    return [
        tool_coverage(key, base_url) if key in available else _not_available(key, label, base_url)
        for key, label in ATS_TOOLS
    ]


def _action_status(action: str, served: frozenset[str], unavailable: Mapping[str, str]) -> str:
    """Served; the vendor's API cannot do it (declared with a reason); or not built (yet)."""
    if action in served:
        return "SUPPORTED"
    return "UNSUPPORTED" if action in unavailable else "NOT_IMPLEMENTED"


def tool_coverage(tool: str, base_url: str) -> dict[str, Any]:
    connector = get_connector(tool)
    caps = connector.capabilities
    read_models = [
        {
            "id": f"ats_{name}",
            "label": _label(name),
            "coverage_status": "SUPPORTED" if name in caps.models else "UNSUPPORTED",
            "fields": [
                {"id": field, "coverage_status": "SUPPORTED" if name in caps.models else "UNSUPPORTED"}
                for field in spec.fields.model_fields
            ],
        }
        for name, spec in MODELS.items()
    ]
    write_actions: list[dict[str, Any]] = [
        {
            "id": f"ats_{action}",
            "label": label,
            "coverage_status": _action_status(action, caps.actions, caps.unavailable),
            "fields": [],
        }
        for action, label in WRITE_ACTIONS.items()
    ]
    icon = f"{base_url}/v1/assets/{tool}.svg"
    return {
        "id": tool,
        "label": connector.label,
        "internal_label": None,
        "assets": {"logo_url": icon, "icon_url": icon, "icon_black_url": icon},
        "paid_api_details_markdown": None,
        "fast_track_details_markdown": None,
        "partner_only_details_markdown": None,
        "connection_guide_url": None,
        "coverage": {
            "read_models": read_models,
            "write_actions": write_actions,
            "features": [
                {
                    "id": "deletion_feed",
                    "label": "Deletions seen in delta syncs",
                    "coverage_status": "SUPPORTED" if connector.deletion_feed else "UNSUPPORTED",
                },
                {
                    "id": "vendor_webhooks",
                    "label": "Changes pushed by the vendor (webhooks in)",
                    "coverage_status": "SUPPORTED" if connector.webhooks is not None else "NOT_IMPLEMENTED",
                },
            ],
        },
    }


@router.get("/tools/{category}", operation_id="GetToolsCategory", summary="Get tools")
def get_tools(category: str, request: Request) -> Response:
    environment_id(request)
    if category not in ("ats", "hris", "assessment", "lms"):
        raise ApiError("PLATFORM.INPUT_INVALID", f"category: expected ats, hris, assessment or lms, got {category!r}")
    base = str(request.base_url).rstrip("/")
    tools = all_tools(base) if category == "ats" else []
    return json_response({"status": "success", "data": {"tools": tools}})


@router.get("/assets/{name}.svg", include_in_schema=False)
def tool_icon(name: str) -> Response:
    """A plain monogram icon (no external assets: atsbridge works offline)."""
    letter = escape((name[:1] or "?").upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        '<rect width="64" height="64" rx="12" fill="#1f2937"/>'
        f'<text x="32" y="42" font-family="sans-serif" font-size="30" fill="#fff" text-anchor="middle">{letter}</text>'
        "</svg>"
    )
    return Response(svg, media_type="image/svg+xml")
