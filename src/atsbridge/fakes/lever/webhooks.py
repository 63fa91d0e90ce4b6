"""The fake Lever's webhooks: the registration API and the signed event bodies it pushes.

* ``POST /v1/webhooks`` ``{"url", "event", "configuration"}`` creates one webhook for one event and answers it
  with the ``signatureToken`` Lever generates for it; ``GET /v1/webhooks`` lists them in the recorded shape
  (without tokens); ``DELETE /v1/webhooks/{id}`` removes one (204; 404 when unknown). Each webhook is a receiver
  on the fake's emitter that gets only its own event.
* Each change ``/__fake/simulate`` makes is pushed as Lever's body ``{"token", "triggeredAt", "signature",
  "event", "data"}``, signed (independently of the connector) with the receiver's signature token over
  ``token + str(triggeredAt)``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change
from atsbridge.fakes.lever.state import FakeState, LeverError, bad_request

Raw = dict[str, Any]
EVENTS = ("applicationCreated", "candidateHired", "candidateStageChange", "candidateArchiveChange",
          "candidateDeleted", "interviewCreated", "interviewUpdated", "interviewDeleted", "contactCreated",
          "contactUpdated")  # fmt: skip


def _body(request: Request) -> Raw:
    try:
        body = json.loads(getattr(request.state, "body", b"") or b"{}")
    except ValueError:
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def _public(record: Raw) -> Raw:
    return {k: v for k, v in record.items() if k != "signatureToken"}


def create_webhook(request: Request, fake: FakeState) -> Response:
    body = _body(request)
    url, event = body.get("url"), body.get("event")
    if event not in EVENTS:
        raise bad_request(f"event must be one of {', '.join(EVENTS)}")
    if not isinstance(url, str):
        raise bad_request("url is required")
    webhook_id, token = str(uuid.uuid4()), secrets.token_hex(24)
    try:
        fake.webhooks.register(url, token, webhook_id=webhook_id, events=[event])
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    now = fake.now_ms()
    configuration = body.get("configuration") if isinstance(body.get("configuration"), dict) else {}
    record = {"id": webhook_id, "event": event, "url": url, "configuration": configuration,
              "signatureToken": token, "createdAt": now, "updatedAt": now}  # fmt: skip
    fake.webhook_records[webhook_id] = record
    return JSONResponse({"data": record}, status_code=201)


def list_webhooks(request: Request, fake: FakeState) -> Response:
    return JSONResponse({"data": [_public(r) for r in fake.webhook_records.values()], "hasNext": False})


def delete_webhook(request: Request, fake: FakeState) -> Response:
    webhook_id = str(request.path_params["id"])
    if fake.webhook_records.pop(webhook_id, None) is None:
        raise LeverError(404, "ResourceNotFound", "webhook not found")
    fake.webhooks.unregister(webhook_id)
    return Response(status_code=204)


ROUTES = [
    ("/v1/webhooks", "POST", create_webhook),
    ("/v1/webhooks", "GET", list_webhooks),
    ("/v1/webhooks/{id}", "DELETE", delete_webhook),
]

#: (resource, kind) -> Lever's event. A simulated edit, move, hire or rejection all report as a stage change
#: (the fake's change does not say which); notes have no Lever webhook.
EVENT_OF = {
    ("opportunities", "created"): "applicationCreated",
    ("opportunities", "updated"): "candidateStageChange",
    ("opportunities", "deleted"): "candidateDeleted",
}


def webhook_body(change: Change) -> Raw | None:
    event = EVENT_OF.get((change.resource, change.kind))
    if event is None:
        return None
    return {"event": event, "data": {"opportunityId": change.remote_id, "candidateId": change.remote_id}}


def sign_body(body: Raw, signature_token: str) -> Raw:
    """Lever signs ``token + str(triggeredAt)`` with the webhook's signature token, in the body."""
    token, triggered_at = uuid.uuid4().hex, int(time.time() * 1000)
    signature = hmac.new(signature_token.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest()
    return {"token": token, "triggeredAt": triggered_at, "signature": signature, **body}


WEBHOOKS = WebhookStyle(webhook_body, lambda _raw, _secret: {}, event=lambda body: str(body.get("event")),
                        sign_body=sign_body)  # fmt: skip
