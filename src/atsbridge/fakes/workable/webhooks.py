"""The fake Workable's webhooks: the subscriptions API and the signed candidate events it pushes.

* ``POST /subscriptions`` ``{"target", "event", "args"?: {"job_shortcode", "stage_slug"}}`` answers ``{"id"}``;
  ``GET /subscriptions`` lists them in the recorded shape; ``DELETE /subscriptions/{id}`` removes one (404 when
  unknown). Each subscription is a receiver on the fake's emitter that gets only its event.
* Each change ``/__fake/simulate`` makes that Workable would announce is pushed as ``{"id", "resource_type",
  "event_type", "fired_at", "data": {<candidate>}}`` with ``X-Workable-Signature: <hex HMAC-SHA256(account
  token, raw body)>`` (signed here, independently of the connector). Simulated candidate updates (moves,
  hires, and also edits and disqualifications, which the fake's change does not tell apart) are announced as
  ``candidate_moved``; comments and deletions announce nothing, as in Workable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change
from atsbridge.fakes.workable.state import FakeState, WorkableError

Raw = dict[str, Any]
EVENTS = ("candidate_created", "candidate_moved", "employee_created", "employee_updated", "employee_published")


def create(request: Request, fake: FakeState, body: Raw) -> Response:
    target, event, args = body.get("target"), body.get("event"), body.get("args") or {}
    if event not in EVENTS:
        raise WorkableError(422, f"event must be one of {', '.join(EVENTS)}")
    if not isinstance(target, str) or not isinstance(args, dict):
        raise WorkableError(422, "target is required")
    fake.subscription_seq += 1
    subscription_id = str(fake.subscription_seq)
    try:  # Workable signs with the account token
        fake.webhooks.register(target, fake.token, webhook_id=subscription_id, events=[event])
    except ValueError as exc:
        raise WorkableError(422, str(exc)) from None
    fake.subscriptions[subscription_id] = {
        "id": int(subscription_id), "event": event, "target": target, "valid_until": None,
        "created_at": fake.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "stage_slug": args.get("stage_slug"), "job_shortcode": args.get("job_shortcode"),
    }  # fmt: skip
    return JSONResponse({"id": int(subscription_id)}, status_code=201)


def listing(request: Request, fake: FakeState, body: Raw) -> Response:
    return JSONResponse({"subscriptions": list(fake.subscriptions.values())})


def delete(request: Request, fake: FakeState, body: Raw) -> Response:
    subscription_id = str(request.path_params["id"])
    if fake.subscriptions.pop(subscription_id, None) is None:
        raise WorkableError(404, "Not found")
    fake.webhooks.unregister(subscription_id)
    return Response(b"", status_code=200)


ROUTES = [("POST", "/subscriptions", create), ("GET", "/subscriptions", listing),
          ("DELETE", "/subscriptions/{id}", delete)]  # fmt: skip

EVENT_OF = {("candidates", "created"): "candidate_created", ("candidates", "updated"): "candidate_moved"}


def webhook_body(change: Change) -> Raw | None:
    event = EVENT_OF.get((change.resource, change.kind))
    if event is None:
        return None
    return {"id": str(uuid.uuid4()), "resource_type": "candidate", "event_type": event,
            "fired_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "data": {"id": change.remote_id}}  # fmt: skip


WEBHOOKS = WebhookStyle(webhook_body, hmac_body("X-Workable-Signature"),
                        event=lambda body: str(body.get("event_type")))  # fmt: skip
