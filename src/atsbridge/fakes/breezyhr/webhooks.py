"""The fake Breezy HR's webhooks: the webhook management API and the signed event envelopes it pushes.

* ``POST /webhook_endpoints`` ``{"url", "description"?, "events"}`` creates an endpoint and answers the
  endpoint object with the full ``secret`` (``whsec_...``, generated here; shown only now) [doc];
  ``GET /webhook_endpoints`` lists them under ``data`` without the secret (``secret_prefix`` only) [doc];
  ``GET`` and ``DELETE /webhook_endpoints/{id}`` read and remove one (404 ``webhookEndpointNotFound`` when
  unknown; the DELETE path and its 204 are [gap]). Each endpoint is a receiver on the fake's emitter that gets
  only its events. Plain ``http`` URLs are accepted (the doc asks for HTTPS; tests listen on loopback).
* Each change ``/__fake/simulate`` makes that Breezy announces is pushed as ``{"_id", "type", "object",
  "creation_date"}`` with ``X-Hook-Signature: <hex HMAC-SHA256(secret, raw body)>`` and
  ``X-Breezy-Webhook-Version`` [doc; the version's value is a gap], signed here, independently of the
  connector. A new application is ``candidateAdded``, a stage move ``candidateStatusUpdated``, a deletion
  ``candidateDeleted`` (its position is gone with it: not included), a note ``companyNotePosted``; a profile
  edit announces nothing (Breezy has no candidate-updated event).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime

from atsbridge.fakes.breezyhr.state import FakeState, Raw, iso
from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call, Change, StatusReply, reply

EVENTS = ("candidateAdded", "candidateDeleted", "candidateStatusUpdated", "companyPositionAdded",
          "companyPositionUpdated", "companyPositionDeleted", "companyPositionStateUpdated", "companyNotePosted",
          "companyNoteUpdated", "companyNoteDeleted")  # fmt: skip
VERSION = "2"  # [gap] the header is documented, its values are not


def _public(record: Raw) -> Raw:
    return {k: v for k, v in record.items() if k != "secret"}


def _endpoint(fake: FakeState, endpoint_id: str) -> Raw:
    if endpoint_id not in fake.webhook_endpoints:
        raise VendorError(404, "webhook endpoint not found", code="webhookEndpointNotFound")
    return fake.webhook_endpoints[endpoint_id]


def create_endpoint(call: Call[FakeState], _: str) -> StatusReply:
    body = call.json_object()
    url, events = body.get("url"), body.get("events")
    if not isinstance(url, str) or not url:
        raise VendorError(400, "url is null or empty", code="webhookEndpointMissingUrl")
    if not isinstance(events, list) or not events or any(e not in EVENTS for e in events):
        raise VendorError(400, f"events must be a non-empty list of {', '.join(EVENTS)}", code="invalidEvents")
    endpoint_id, secret = uuid.uuid4().hex[:24], "whsec_" + secrets.token_urlsafe(24)
    try:
        call.fake.webhooks.register(url, secret, webhook_id=endpoint_id, events=events)
    except ValueError as exc:
        raise VendorError(400, str(exc), code="invalidUrl") from None
    now = iso(datetime.now(UTC))
    record = {"id": endpoint_id, "url": url, "description": str(body.get("description") or ""),
              "events": list(events), "status": "active", "enabled": True,
              "stats": {"successful_deliveries": 0, "failed_deliveries": 0, "last_delivery_at": None},
              "secret_prefix": "whsec_", "secret": secret, "created_at": now, "updated_at": now,
              "is_legacy": False}  # fmt: skip
    call.fake.webhook_endpoints[endpoint_id] = record
    return reply(record, 201)


def list_endpoints(call: Call[FakeState], _: str) -> Raw:
    return {"data": [_public(r) for r in call.fake.webhook_endpoints.values()]}


def get_endpoint(call: Call[FakeState], endpoint_id: str) -> Raw:
    return _public(_endpoint(call.fake, endpoint_id))


def delete_endpoint(call: Call[FakeState], endpoint_id: str) -> None:
    """204 with no body [gap]."""
    _endpoint(call.fake, endpoint_id)
    del call.fake.webhook_endpoints[endpoint_id]
    call.fake.webhooks.unregister(endpoint_id)


def _envelope(kind: str, obj: Raw) -> Raw:
    company = {"_id": FakeState.company_id, "name": "Fake Breezy Co", "friendly_id": "fake-breezy-co"}
    return {"_id": uuid.uuid4().hex[:24], "type": kind, "object": {"company": company, **obj},
            "creation_date": iso(datetime.now(UTC))}  # fmt: skip


def webhook_body(change: Change) -> Raw | None:
    """Breezy's envelope for a simulated change (None: Breezy announces nothing for it)."""
    if change.resource == "applications" and change.kind in ("created", "updated"):
        position, _, candidate = change.remote_id.partition(":")
        kind = "candidateAdded" if change.kind == "created" else "candidateStatusUpdated"
        return _envelope(kind, {"position": {"_id": position}, "candidate": {"_id": candidate}})
    if change.resource == "candidates" and change.kind == "deleted":
        return _envelope("candidateDeleted", {"candidate": {"_id": change.remote_id}})
    if change.resource == "notes" and change.kind == "created":
        return _envelope("companyNotePosted", {"note": {"_id": change.remote_id}})
    return None


def sign(raw: bytes, secret: str) -> dict[str, str]:
    """The endpoint's whole ``whsec_`` secret keys a hex HMAC-SHA256 of the body [doc]."""
    return {"X-Hook-Signature": hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest(),
            "X-Breezy-Webhook-Version": VERSION}  # fmt: skip


WEBHOOKS = WebhookStyle(webhook_body, sign, event=lambda body: str(body.get("type")))
