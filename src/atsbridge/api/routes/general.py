"""General endpoints: key check (more arrive with the integrations lifecycle)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from atsbridge.api.deps import environment_id
from atsbridge.api.routes.ats import json_response
from atsbridge.model.envelope import CheckApiKeyResponse, ErrorResponse

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
