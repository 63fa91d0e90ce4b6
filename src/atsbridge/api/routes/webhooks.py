"""Outgoing webhooks (atsbridge extension; Kombo keeps these in its dashboard) and the events pull feed.

Every route is scoped to the API key's environment; ids of other environments get the same not-found as
missing ones. A signing secret appears in exactly two responses: creation and rotation.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import environment_id
from atsbridge.api.routes.ats import json_response
from atsbridge.core.crypto import CredentialBox
from atsbridge.core.errors import input_invalid
from atsbridge.runtime.state import app_state
from atsbridge.webhooks import endpoints as service
from atsbridge.webhooks.events import EVENT_TYPES
from atsbridge.webhooks.feed import MAX_PAGE_SIZE, read_feed

router = APIRouter(tags=["Webhooks (atsbridge)"])


class EndpointBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000)
    #: null (or absent): every event type, including types added later.
    event_types: list[str] | None = None
    description: str | None = Field(default=None, max_length=300)


class EndpointPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, min_length=1, max_length=2000)
    event_types: list[str] | None = None
    enabled: bool | None = None
    description: str | None = Field(default=None, max_length=300)


class RotateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grace_hours: float = Field(default=24, ge=0, le=service.MAX_GRACE_HOURS)


def _box(request: Request) -> CredentialBox:
    state = app_state(request)
    return CredentialBox(state.secret, state.settings.old_secrets())


def _ok(data: Any) -> Response:
    return json_response({"status": "success", "data": data})


@router.post("/webhooks", operation_id="PostWebhooks", summary="Register a webhook endpoint (atsbridge)")
def create_webhook(body: EndpointBody, request: Request) -> Response:
    """The response carries ``secret``: store it now, it is never shown again (rotate to get a new one)."""
    env = environment_id(request)
    state = app_state(request)
    endpoint, secret = service.create_endpoint(
        state.engine,
        _box(request),
        state.settings,
        env,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
    )
    return _ok({**endpoint, "secret": secret})


@router.get("/webhooks", operation_id="GetWebhooks", summary="List webhook endpoints (atsbridge)")
def list_webhooks(request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        return _ok({"results": service.list_endpoints(conn, env)})


@router.get("/webhooks/{webhook_id}", operation_id="GetWebhook", summary="Get a webhook endpoint (atsbridge)")
def get_webhook(webhook_id: str, request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        return _ok(service.get_endpoint(conn, env, webhook_id))


@router.patch("/webhooks/{webhook_id}", operation_id="PatchWebhook", summary="Change a webhook endpoint (atsbridge)")
def patch_webhook(webhook_id: str, body: EndpointPatch, request: Request) -> Response:
    """Only the fields sent change; ``event_types: null`` subscribes to every type."""
    env = environment_id(request)
    given = body.model_fields_set
    if "url" in given and body.url is None:
        raise input_invalid("url: must be a URL, not null")
    if "enabled" in given and body.enabled is None:
        raise input_invalid("enabled: must be true or false, not null")
    changes = service.EndpointChanges(
        url=body.url,
        description=body.description,
        set_description="description" in given,
        event_types=body.event_types,
        set_event_types="event_types" in given,
        enabled=body.enabled,
    )
    state = app_state(request)
    return _ok(service.update_endpoint(state.engine, state.settings, env, webhook_id, changes))


@router.delete("/webhooks/{webhook_id}", operation_id="DeleteWebhook", summary="Delete a webhook endpoint (atsbridge)")
def delete_webhook(webhook_id: str, request: Request) -> Response:
    env = environment_id(request)
    service.delete_endpoint(app_state(request).engine, env, webhook_id)
    return _ok({})


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    operation_id="PostWebhookRotateSecret",
    summary="Rotate a webhook endpoint's signing secret (atsbridge)",
)
def rotate_webhook_secret(webhook_id: str, request: Request, body: RotateBody | None = None) -> Response:
    """Returns the new ``secret`` once. Until ``previous_secret_expires_at`` deliveries also carry
    ``X-Atsbridge-Previous-Signature`` (the old secret's signature); ``X-Kombo-Signature`` uses the new one."""
    env = environment_id(request)
    grace = (body or RotateBody()).grace_hours
    endpoint, secret = service.rotate_secret(app_state(request).engine, _box(request), env, webhook_id, grace)
    return _ok({**endpoint, "secret": secret})


def _deliveries_fingerprint(webhook_id: str, status: str | None) -> str:
    return f"deliveries:{webhook_id}:{status or ''}"


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    operation_id="GetWebhookDeliveries",
    summary="A webhook endpoint's delivery log, newest first (atsbridge)",
)
def list_webhook_deliveries(
    webhook_id: str,
    request: Request,
    status: str | None = None,
    cursor: str | None = None,
    page_size: int = Query(default=50, ge=1, le=250),
) -> Response:
    env = environment_id(request)
    state = app_state(request)
    fingerprint = _deliveries_fingerprint(webhook_id, status)
    before = int(state.cursors.decode(cursor, fingerprint)) if cursor else None
    with state.engine.connect() as conn:
        results, last = service.list_deliveries(
            conn, env, webhook_id, status=status, before_seq=before, limit=page_size
        )
    nxt = state.cursors.encode(str(last), fingerprint) if last is not None else None
    return _ok({"results": results, "next": nxt})


@router.get(
    "/webhook-deliveries/{delivery_id}",
    operation_id="GetWebhookDelivery",
    summary="One webhook delivery with its attempts (atsbridge)",
)
def get_webhook_delivery(delivery_id: str, request: Request) -> Response:
    env = environment_id(request)
    with app_state(request).engine.connect() as conn:
        return _ok(service.get_delivery(conn, env, delivery_id))


@router.post(
    "/webhook-deliveries/{delivery_id}/redeliver",
    operation_id="PostWebhookDeliveryRedeliver",
    summary="Send a delivery again (atsbridge)",
)
def redeliver_webhook_delivery(delivery_id: str, request: Request) -> Response:
    """Back to PENDING with a new 24-hour retry window."""
    env = environment_id(request)
    return _ok(service.redeliver(app_state(request).engine, env, delivery_id))


@router.get("/events", operation_id="GetEvents", summary="The environment's events, oldest first (atsbridge)")
def list_events(
    request: Request,
    after: str | None = None,
    page_size: int = Query(default=100, ge=1, le=MAX_PAGE_SIZE),
    types: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Payloads exactly as webhooks deliver them. Store ``next`` and pass it as ``after`` to get exactly
    the events after these; when nothing is new, ``next`` stays where you are (poll with it)."""
    env = environment_id(request)
    wanted = [t.strip() for item in types or [] for t in item.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in EVENT_TYPES]
    if unknown:
        raise input_invalid(f"types: unknown event type {unknown[0]!r}; known: {', '.join(EVENT_TYPES)}")
    state = app_state(request)
    with state.engine.connect() as conn:
        page = read_feed(conn, state.cursors, env, after=after, page_size=page_size, types=wanted or None)
    return _ok({"results": page.results, "next": page.next, "has_more": page.has_more})
