"""An environment's webhook endpoints and delivery log, and redelivering a delivery."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from atsbridge.dashboard.auth import PageNotFound, Who, app_state, posted_form
from atsbridge.dashboard.queries import environments, webhooks
from atsbridge.dashboard.render import page

router = APIRouter(include_in_schema=False)


@router.get("/environments/{environment_id}/webhooks")
def webhooks_page(
    request: Request, who: Who, environment_id: str, status: str | None = None, before: str | None = None
) -> Response:
    status = status if status in webhooks.STATUSES else None
    with app_state(request).engine.connect() as conn:
        env = environments.environment(conn, environment_id)
        if env is None:
            raise PageNotFound(f"environment '{environment_id}'")
        endpoints = webhooks.endpoints(conn, environment_id)
        deliveries, next_before = webhooks.deliveries(conn, environment_id, status=status, before=before)
    base = f"/dashboard/environments/{environment_id}/webhooks"
    next_url = None
    if next_before:
        next_url = base + "?" + urlencode({k: v for k, v in (("status", status), ("before", next_before)) if v})
    return page(
        "dashboard/webhooks.html",
        crumbs=[
            ("Overview", "/dashboard"),
            (env.name, f"/dashboard/environments/{env.id}"),
            ("Webhooks", base),
        ],
        env=env,
        endpoints=endpoints,
        deliveries=deliveries,
        current_status=status,
        statuses=webhooks.STATUSES,
        recent_attempts=webhooks.RECENT_ATTEMPTS,
        inline_error_chars=webhooks.INLINE_ERROR_CHARS,
        full_error_chars=webhooks.FULL_ERROR_CHARS,
        next_url=next_url,
        base=base,
        **who.context(),
    )


@router.post("/environments/{environment_id}/webhooks/deliveries/{delivery_id}/redeliver")
async def redeliver(request: Request, who: Who, environment_id: str, delivery_id: str) -> Response:
    """Queue the delivery again now, with a new 24 h retry window; the dispatcher picks it up."""
    await posted_form(request, who)
    with app_state(request).engine.begin() as conn:
        if not webhooks.redeliver(conn, environment_id, delivery_id):
            raise PageNotFound(f"webhook delivery '{delivery_id}'")
    return RedirectResponse(f"/dashboard/environments/{environment_id}/webhooks", status_code=303)
