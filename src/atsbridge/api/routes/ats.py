"""``/v1/ats/*`` read endpoints. List routes are generated from the model registry, one per model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from fastapi import APIRouter, Request
from sqlalchemy import or_, select
from starlette.responses import Response

from atsbridge.api.deps import Tenant, ready_tenant
from atsbridge.api.files import download_url
from atsbridge.api.params import openapi_parameters, parse_list_params
from atsbridge.connectors.registry import get_connector
from atsbridge.core.cursor import query_fingerprint
from atsbridge.core.errors import ApiError
from atsbridge.model import ats
from atsbridge.model.envelope import ErrorResponse, ListResponse, ResultsWithWarnings
from atsbridge.model.registry import MODELS, ModelSpec
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store.reads import ListQuery, list_page
from atsbridge.store.tables import MODEL_TABLES

router = APIRouter(prefix="/ats", tags=["ATS"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 429, 500, 503)
}


def json_response(payload: Any) -> Response:
    return Response(orjson.dumps(payload), media_type="application/json")


def require_model(state: AppState, t: Tenant, model: str) -> None:
    connector = get_connector(t.integration.tool)
    if model not in connector.capabilities.models:
        raise ApiError(
            "INTEGRATION.MODEL_NOT_AVAILABLE",
            f"{connector.label} does not provide {model.replace('_', ' ')}",
        )
    scope = state.scope(t.integration.id)
    if not scope.model_enabled(model):
        raise ApiError(
            "INTEGRATION.MODEL_DISABLED",
            f"{model.replace('_', ' ')} is disabled by scope config {scope.config_name or scope.config_id!r}",
        )


def _list_handler(spec: ModelSpec) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        t = ready_tenant(request)
        state = app_state(request)
        params = parse_list_params(spec, request.query_params)
        require_model(state, t, spec.name)
        capabilities = get_connector(t.integration.tool).capabilities
        filters: dict[str, Any] = {}
        unsupported = False
        for param, value in params.filters.items():
            if capabilities.supports_filter(spec.name, param):
                filters[param] = value
            elif not params.ignore_unsupported_filters:
                unsupported = True  # the contract: an unsupported filter filters out everything
        fingerprint = query_fingerprint(
            {
                "i": t.integration.id,
                "m": spec.name,
                "ua": params.updated_after.isoformat() if params.updated_after else None,
                "d": params.include_deleted,
                "iu": params.ignore_unsupported_filters,
                "ids": params.ids,
                "rids": params.remote_ids,
                "f": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.filters.items()},
            }
        )
        after = state.cursors.decode(params.cursor, fingerprint) if params.cursor else None
        next_cursor = None
        records: list[bytes] = []
        if not unsupported:
            query = ListQuery(
                model=spec.name,
                integration_id=t.integration.id,
                ids=params.ids,
                remote_ids=params.remote_ids,
                filters=filters,
                updated_after=params.updated_after,
                include_deleted=params.include_deleted,
                after_id=after,
                limit=params.page_size,
            )
            with state.engine.connect() as conn:
                records, last = list_page(conn, query)
            if last is not None:
                next_cursor = state.cursors.encode(last, fingerprint)
        body = b'{"status":"success","data":{"next":%s,"results":[%s]}}' % (
            orjson.dumps(next_cursor),
            b",".join(records),
        )
        return Response(body, media_type="application/json")

    return handler


def _operation_id(spec: ModelSpec) -> str:
    return "GetAts" + "".join(part.capitalize() for part in spec.path.split("-"))


for _spec in MODELS.values():
    router.add_api_route(
        f"/{_spec.path}",
        _list_handler(_spec),
        methods=["GET"],
        response_model=ListResponse[_spec.wire],  # type: ignore[name-defined]
        responses=_ERRORS,
        operation_id=_operation_id(_spec),
        summary=f"Get {_spec.path.replace('-', ' ')}",
        openapi_extra={"parameters": openapi_parameters(_spec)},
    )


# ------------------------------------------------------------------------- live attachment lists
def _attachments(request: Request, t: Tenant, *, application_id: str | None, candidate_id: str | None) -> Response:
    state = app_state(request)
    table = MODEL_TABLES["attachments"]
    with state.engine.connect() as conn:
        if application_id is not None:
            apps = MODEL_TABLES["applications"]
            owner = conn.execute(
                select(apps.c.candidate_id).where(
                    apps.c.integration_id == t.integration.id, apps.c.id == application_id
                )
            ).first()
            if owner is None:
                raise ApiError(
                    "PLATFORM.INPUT_INVALID", f"application_id: no application '{application_id}'", status=404
                )
            cond = or_(
                table.c.application_id == application_id,
                (table.c.candidate_id == owner.candidate_id) & table.c.application_id.is_(None),
            )
        else:
            cands = MODEL_TABLES["candidates"]
            exists = conn.execute(
                select(cands.c.id).where(cands.c.integration_id == t.integration.id, cands.c.id == candidate_id)
            ).first()
            if exists is None:
                raise ApiError("PLATFORM.INPUT_INVALID", f"candidate_id: no candidate '{candidate_id}'", status=404)
            cond = table.c.candidate_id == candidate_id
        rows = conn.execute(
            select(table.c.id, table.c.remote_id, table.c.data)
            .where(table.c.integration_id == t.integration.id, cond, table.c.remote_deleted_at.is_(None))
            .order_by(table.c.id)
        ).all()
    results = []
    for row in rows:
        data = orjson.loads(row.data)
        results.append(
            {
                "id": row.id,
                "remote_id": row.remote_id,
                "application_id": data.get("application_id"),
                "candidate_id": data["candidate_id"],
                "type": data.get("type") or "OTHER",
                "data_url": download_url(request, state, t.integration.id, row.id),
                "file_name": data.get("file_name") or f"{row.remote_id}",
                "content_type": data.get("content_type") or "application/octet-stream",
                "remote_created_at": data.get("remote_created_at"),
                "remote_updated_at": data.get("remote_updated_at"),
            }
        )
    return json_response({"status": "success", "data": {"results": results}, "warnings": []})


@router.get(
    "/applications/{application_id}/attachments",
    response_model=ResultsWithWarnings[ats.LiveAttachment],
    responses=_ERRORS,
    operation_id="GetAtsApplicationsApplicationIdAttachments",
    summary="Get application attachments",
)
def get_application_attachments(application_id: str, request: Request) -> Response:
    t = ready_tenant(request)
    require_model(app_state(request), t, "attachments")
    return _attachments(request, t, application_id=application_id, candidate_id=None)


@router.get(
    "/candidates/{candidate_id}/attachments",
    response_model=ResultsWithWarnings[ats.LiveAttachment],
    responses=_ERRORS,
    operation_id="GetAtsCandidatesCandidateIdAttachments",
    summary="Get candidate attachments",
)
def get_candidate_attachments(candidate_id: str, request: Request) -> Response:
    t = ready_tenant(request)
    require_model(app_state(request), t, "attachments")
    return _attachments(request, t, application_id=None, candidate_id=candidate_id)
