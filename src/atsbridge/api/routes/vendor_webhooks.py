"""Vendor webhooks in (atsbridge extension): the vendor pushes a change, atsbridge syncs it within seconds.

* ``POST /v1/vendor-webhooks/{integration_id}/{token}`` (``PUT``/``DELETE`` too): what the vendor calls. No API
  key (the vendor has none): the unguessable path token and the vendor's signature authenticate it. Every refusal
  (unknown integration, wrong token, no webhooks for the tool, bad or stale signature, not JSON, an event not
  understood) gets the same 401 answer, so a caller learns nothing about which integrations exist; the reason
  is logged for the operator. An accepted event queues a delta sync of the integration (one queued run at a
  time absorbs a burst; a running one does not, since it may have read past the change), and the scheduler
  is woken at once. Only the touched streams (and their dependents) are listed, from their watermarks: not the
  named records by id, which would miss the changes a vendor makes without an event. A deletion event names
  its record: the run reads that record by id at the vendor (where the connector declares how) and marks it
  deleted only if the vendor answers it is gone, so a forged or stale event deletes nothing. A retry of a delivery
  already taken (the vendor's delivery id) is acknowledged and recorded as a duplicate, never synced twice.
* ``PUT /v1/integrations/{id}/vendor-webhook``: create (or rotate) the URL and signing secret, shown once;
  ``DELETE`` removes them (deliveries are refused from then on).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from atsbridge.api.deps import own_integration
from atsbridge.api.routes.ats import json_response
from atsbridge.connectors.base import Stream
from atsbridge.connectors.inbound import Touch, WebhookRefused, Webhooks
from atsbridge.connectors.registry import get_connector
from atsbridge.core.errors import ApiError
from atsbridge.lifecycle import vendor_webhooks as setup
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store import sync_runs as runs
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.credentials import credential_box

router = APIRouter(tags=["atsbridge"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 404)}
#: The path of deliveries (the body guard lets it through without an API key, with a small body cap).
PREFIX = setup.PREFIX
#: Path parts longer than any we issue are refused before any lookup.
_MAX_ID, _MAX_TOKEN = 80, 64


def _refused() -> ApiError:
    return ApiError("PLATFORM.AUTHENTICATION_INVALID", "the webhook delivery could not be verified")


_spec = setup.spec_of


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


def _queue(state: AppState, integration_id: str, streams: list[str], deletions: list[tuple[str, str]]) -> None:
    """A delta of the streams the events touched (and what depends on them), carrying the records the events
    said were deleted (checked by id at the vendor when it runs); events arriving while it is queued widen it,
    so a burst is one run."""
    kw: dict[str, Any] = {"reuse_running": False, "streams": streams, "deletions": deletions}
    if state.jobs is not None:
        state.jobs.submit_sync(integration_id, "DELTA", "vendor-webhook", **kw)
    else:  # no backend in this process (tests build the app without its lifespan): the queue is enough
        runs.enqueue(state.engine, integration_id, "DELTA", "vendor-webhook", **kw)


def _deletions(streams: Sequence[Stream], touches: list[Touch]) -> list[tuple[str, str]]:
    """The (stream, remote id) of each deletion an event names on a stream that can read a record by id: only
    a claim to check with the vendor, never applied on the event's word."""
    readable = {s.name for s in streams if s.reads_one()}
    pairs = [(t.stream, t.remote_id[:200]) for t in touches if t.deleted and t.remote_id and t.stream in readable]
    return list(dict.fromkeys(pairs))


#: A compressed delivery may expand to at most this many bytes (the cap the body guard puts on plain ones).
_MAX_INFLATED = 1 << 20


def _decoded(headers: dict[str, str], body: bytes) -> bytes:
    """The JSON a vendor sent, ungzipped when it says ``Content-Encoding: gzip`` (iCIMS's "GZIP'd JSON"),
    inflating no more than :data:`_MAX_INFLATED` bytes (a small bomb cannot grow past the cap)."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip"):
        raise WebhookRefused(f"Content-Encoding {encoding[:40]!r} is not accepted")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, _MAX_INFLATED + 1)
    except zlib.error:
        raise WebhookRefused("the gzip body is not valid") from None
    if len(out) > _MAX_INFLATED or inflater.unconsumed_tail:
        raise WebhookRefused(f"the body inflates past {_MAX_INFLATED} bytes")
    return out


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


#: ``PUT`` and ``DELETE`` too: some vendors' method is the event (Comeet's position updates: ``POST`` created,
#: ``PUT`` updated, ``DELETE`` deleted); the body is verified and understood the same way whatever the method.
@router.api_route(
    f"{PREFIX.removeprefix('/v1')}{{integration_id}}/{{token}}",
    methods=["POST", "PUT", "DELETE"],
    include_in_schema=False,
)
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
        body = _decoded(headers, body)
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
    declared = get_connector(integration.tool).streams
    streams = sorted({t.stream for t in touches} & {s.name for s in declared})
    delivery = spec.delivery_id(headers, event) if spec.delivery_id else None
    fresh = hooks.record(state.engine, integration.id, "accepted", delivery_id=delivery, streams=streams)
    if fresh and streams:
        _queue(state, integration.id, streams, _deletions(declared, touches))
    return json_response({"status": "success", "data": {"accepted": fresh, "streams": streams}})


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
async def put_vendor_webhook(integration_id: str, request: Request, body: VendorWebhookBody | None = None) -> Response:
    """The URL and signing secret to give the vendor, shown only now (both are stored hashed or sealed).
    A previous pair stops working at once. ``{"secret": ...}`` sets the vendor's own key instead."""
    integration = own_integration(request, integration_id)
    state = app_state(request)
    if _spec(integration.tool) is None:
        raise ApiError(
            "INTEGRATION.ACTION_NOT_AVAILABLE",
            f"integration_id: atsbridge does not ingest {integration.tool} webhooks (yet); polling keeps it current",
        )
    try:
        made = await setup.register(state.engine, state.settings, integration, _public_url(state, request),
                                    body.secret if body is not None else None)  # fmt: skip
    except setup.VendorRefused as exc:
        raise ApiError(exc.code, exc.message) from None
    spec = made.spec
    data = {"url": made.url, "secret": made.secret, "registration": spec.registration,
            "instructions": spec.instructions, "events": list(spec.event_names)}  # fmt: skip
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
    try:
        removed = await setup.unregister(state.engine, state.settings, integration)
    except setup.VendorRefused as exc:
        raise ApiError(exc.code, exc.message) from None
    return json_response({"status": "success", "data": {"removed": removed}})
