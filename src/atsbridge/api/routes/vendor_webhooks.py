"""Vendor webhooks in (atsbridge extension): the vendor pushes a change, atsbridge syncs it within seconds.

* ``POST /v1/vendor-webhooks/{integration_id}/{token}``: what the vendor calls. No API key (the vendor has
  none): the unguessable path token and the vendor's signature authenticate it. Every refusal (unknown
  integration, wrong token, no webhooks for the tool, bad or stale signature, not JSON, an event not
  understood) gets the same 401 answer, so a caller learns nothing about which integrations exist; the reason
  is logged for the operator. An accepted event queues a delta sync of the integration (one queued run at a
  time absorbs a burst; a running one does not, since it may have read past the change), and the scheduler
  is woken at once. A retry of a delivery already taken (the vendor's delivery id) is acknowledged and
  recorded as a duplicate, never synced twice.
* ``PUT /v1/integrations/{id}/vendor-webhook``: create (or rotate) the URL and signing secret, shown once;
  ``DELETE`` removes them (deliveries are refused from then on).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.inbound import Registered, Touch, WebhookRefused, Webhooks
from atsbridge.connectors.info import integration_info
from atsbridge.connectors.registry import get_connector
from atsbridge.core.errors import ApiError
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store import sync_runs as runs
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.credentials import credential_box
from atsbridge.store.platform import Integration

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}
#: The path of deliveries (the body guard lets it through without an API key, with a small body cap).
PREFIX = "/v1/vendor-webhooks/"
#: Path parts longer than any we issue are refused before any lookup.
_MAX_ID, _MAX_TOKEN = 80, 64


def _refused() -> ApiError:
    return ApiError("PLATFORM.AUTHENTICATION_INVALID", "the webhook delivery could not be verified")


def _spec(tool: str) -> Webhooks | None:
    try:
        return get_connector(tool).webhooks
    except KeyError:  # a tool whose connector is gone
        return None


def _verify(spec: Webhooks, headers: dict[str, str], body: bytes, secrets: list[str]) -> None:
    """Accepted when any of the integration's secrets verifies it (atsbridge's, or one the vendor generated)."""
    now = time.time()
    last: WebhookRefused | None = None
    for secret in secrets:
        try:
            spec.verify(headers, body, secret, now)
            return
        except WebhookRefused as exc:
            last = exc
    raise last or WebhookRefused("no signing secret")


def _queue(state: AppState, integration_id: str) -> None:
    if state.jobs is not None:
        state.jobs.submit_sync(integration_id, "DELTA", "vendor-webhook", reuse_running=False)
    else:  # no backend in this process (tests build the app without its lifespan): the queue is enough
        runs.enqueue(state.engine, integration_id, "DELTA", "vendor-webhook", reuse_running=False)


def _handshake(spec: Webhooks, headers: dict[str, str]) -> Response | None:
    """A vendor's check of the URL before it sends to it (SmartRecruiters echoes ``X-Hook-Secret`` on activation):
    answered only on the right path token, with the vendor's own value echoed; nothing is recorded or queued."""
    if spec.handshake_header is None:
        return None
    value = headers.get(spec.handshake_header.lower())
    if not value or len(value) > 500:
        return None
    answer = json_response({"status": "success", "data": {"handshake": True}})
    answer.headers[spec.handshake_header] = value
    return answer


@router.post(f"{PREFIX.removeprefix('/v1')}{{integration_id}}/{{token}}", include_in_schema=False)
async def receive(integration_id: str, token: str, request: Request) -> Response:
    state = app_state(request)
    body = await request.body()
    if len(integration_id) > _MAX_ID or len(token) > _MAX_TOKEN:
        raise _refused()
    integration = state.integration(integration_id)
    if integration is None or not integration.enabled:
        raise _refused()
    with state.engine.connect() as conn:
        secrets = hooks.secrets_for(conn, credential_box(state.engine, state.settings), integration.id, token)
    spec = _spec(integration.tool)
    if secrets is None or spec is None:
        reason = "wrong path token" if secrets is None else f"{integration.tool} webhooks are not ingested"
        hooks.record(state.engine, integration.id, "refused", reason=reason)
        raise _refused()
    headers = {k.lower(): v for k, v in request.headers.items()}
    echo = _handshake(spec, headers)
    if echo is not None:
        return echo
    try:
        _verify(spec, headers, body, secrets)
        try:
            event = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise WebhookRefused("the body is not JSON") from None
        try:
            touches: list[Touch] = list(spec.events_with_headers(headers, event) if spec.events_with_headers
                                        else spec.events(event))  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise WebhookRefused(f"the event was not understood ({type(exc).__name__})") from None
    except WebhookRefused as exc:
        hooks.record(state.engine, integration.id, "refused", reason=str(exc))
        raise _refused() from None
    known = {s.name for s in get_connector(integration.tool).streams}
    streams = sorted({t.stream for t in touches} & known)
    delivery = spec.delivery_id(headers, event) if spec.delivery_id else None
    fresh = hooks.record(state.engine, integration.id, "accepted", delivery_id=delivery, streams=streams)
    if fresh and streams:
        _queue(state, integration.id)
    return json_response({"status": "success", "data": {"accepted": fresh, "streams": streams}})


async def _at_vendor(state: AppState, integration: Integration, call: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run ``call`` with a source of the integration; the vendor's refusal is answered like a write's."""
    source = get_connector(integration.tool).open(integration_info(state.engine, state.settings, integration))
    try:
        return await call(source)
    except RemoteError as exc:
        raise ApiError(exc.code, f"{integration.tool} refused the webhook registration: {exc.message}") from None
    finally:
        await source.aclose()


async def _register_at_vendor(
    state: AppState, integration: Integration, spec: Webhooks, url: str, secret: str, previous: list[str]
) -> None:
    """Create the vendor's webhooks for the new URL, then remove the previous ones (rotation). A refusal removes
    the new registration, so nothing half-made stays."""
    assert spec.register is not None and spec.unregister is not None  # checked by Webhooks
    register, unregister = spec.register, spec.unregister
    try:
        made: Registered = await _at_vendor(state, integration, lambda source: register(source, url, secret))
    except ApiError:
        with state.engine.begin() as conn:
            hooks.unregister(conn, integration.id)
        raise
    with state.engine.begin() as conn:
        hooks.set_vendor_side(conn, credential_box(state.engine, state.settings), integration.id, made.ids,
                              made.secrets)  # fmt: skip
    if previous:
        await _at_vendor(state, integration, lambda source: unregister(source, previous))


def _public_url(state: AppState, request: Request) -> str:
    base = state.settings.public_url or str(request.base_url)
    return base.rstrip("/")


class VendorWebhookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: For vendors that generate the signing key themselves (paste it here from the vendor's settings);
    #: otherwise atsbridge generates one.
    secret: str | None = Field(default=None, min_length=8, max_length=500)


@router.put(
    "/integrations/{integration_id}/vendor-webhook",
    responses=_ERRORS,
    operation_id="PutIntegrationsIntegrationIdVendorWebhook",
    summary="Create or rotate the integration's inbound vendor webhook (atsbridge extension)",
)
async def put_vendor_webhook(
    integration_id: str, request: Request, body: VendorWebhookBody | None = None
) -> Response:
    """The URL and signing secret to give the vendor, shown only now (both are stored hashed or sealed).
    A previous pair stops working at once. ``{"secret": ...}`` sets the vendor's own key instead."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    spec = _spec(integration.tool)
    if spec is None:
        raise ApiError(
            "INTEGRATION.ACTION_NOT_AVAILABLE",
            f"integration_id: atsbridge does not ingest {integration.tool} webhooks (yet); polling keeps it current",
        )
    box = credential_box(state.engine, state.settings)
    with state.engine.connect() as conn:
        previous = hooks.vendor_ids(conn, box, integration.id)
    with state.engine.begin() as conn:
        reg = hooks.register(conn, box, integration.id, body.secret if body is not None else None)
    url = f"{_public_url(state, request)}{PREFIX}{integration.id}/{reg.token}"
    if spec.registration == "api":
        await _register_at_vendor(state, integration, spec, url, reg.secret, previous)
    data = {"url": url, "secret": reg.secret, "registration": spec.registration, "instructions": spec.instructions,
            "events": list(spec.event_names)}  # fmt: skip
    return json_response({"status": "success", "data": data})


@router.delete(
    "/integrations/{integration_id}/vendor-webhook",
    responses=_ERRORS,
    operation_id="DeleteIntegrationsIntegrationIdVendorWebhook",
    summary="Stop accepting the integration's vendor webhooks (atsbridge extension)",
)
async def delete_vendor_webhook(integration_id: str, request: Request) -> Response:
    integration = own_integration(request, integration_id)
    state = app_state(request)
    spec = _spec(integration.tool)
    with state.engine.connect() as conn:
        ids = hooks.vendor_ids(conn, credential_box(state.engine, state.settings), integration.id)
    unregister = spec.unregister if spec is not None else None
    if unregister is not None and ids:
        await _at_vendor(state, integration, lambda source: unregister(source, ids))
    with state.engine.begin() as conn:
        removed = hooks.unregister(conn, integration.id)
    return json_response({"status": "success", "data": {"removed": removed}})
