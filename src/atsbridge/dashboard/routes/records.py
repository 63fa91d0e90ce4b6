"""The record browser: an integration's unified records per model, and one record's stored JSON."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from atsbridge.dashboard.auth import PageNotFound, Who, app_state
from atsbridge.dashboard.queries import environments, integrations, records
from atsbridge.dashboard.render import page
from atsbridge.model.registry import MODELS, SYNC_ORDER
from atsbridge.store.platform import Integration

router = APIRouter(include_in_schema=False)

Crumbs = list[tuple[str, str]]


def _crumbs(request: Request, integration_id: str, model: str) -> tuple[Integration, Crumbs]:
    if model not in MODELS:
        raise PageNotFound(f"model '{model}'")
    with app_state(request).engine.connect() as conn:
        integration = integrations.get(conn, integration_id)
        env = environments.environment(conn, integration.environment_id) if integration else None
    if integration is None or env is None:
        raise PageNotFound(f"integration '{integration_id}'")
    base = f"/dashboard/integrations/{integration.id}"
    return integration, [
        ("Overview", "/dashboard"),
        (env.name, f"/dashboard/environments/{env.id}"),
        (integration.organization_name, base),
        (model, f"{base}/records/{model}"),
    ]


@router.get("/integrations/{integration_id}/records/{model}")
def records_page(
    request: Request,
    who: Who,
    integration_id: str,
    model: str,
    q: str | None = None,
    after: str | None = None,
    deleted: str | None = None,
) -> Response:
    integration, crumbs = _crumbs(request, integration_id, model)
    search = (q or "").strip() or None
    include_deleted = deleted == "1"
    with app_state(request).engine.connect() as conn:
        rows, next_after = records.page(
            conn, model, integration.id, after=after, search=search, include_deleted=include_deleted
        )
    base = f"/dashboard/integrations/{integration.id}/records/{model}"
    keep = {k: v for k, v in (("q", search), ("deleted", "1" if include_deleted else None)) if v}
    next_url = f"{base}?{urlencode({**keep, 'after': next_after})}" if next_after else None
    first_url = f"{base}?{urlencode(keep)}" if keep else base
    return page(
        "dashboard/records.html",
        crumbs=crumbs,
        integration=integration,
        model=model,
        models=SYNC_ORDER,
        rows=rows,
        q=search or "",
        include_deleted=include_deleted,
        next_url=next_url,
        first_url=first_url if after else None,
        base=base,
        **who.context(),
    )


@router.get("/integrations/{integration_id}/records/{model}/{record_id}")
def record_page(request: Request, who: Who, integration_id: str, model: str, record_id: str) -> Response:
    integration, crumbs = _crumbs(request, integration_id, model)
    with app_state(request).engine.connect() as conn:
        record = records.get(conn, model, integration.id, record_id)
    if record is None:
        raise PageNotFound(f"{model} record '{record_id}'")
    base = f"/dashboard/integrations/{integration.id}/records/{model}"
    return page(
        "dashboard/record.html",
        crumbs=[*crumbs, (record.id, f"{base}/{record.id}")],
        integration=integration,
        model=model,
        record=record,
        **who.context(),
    )
