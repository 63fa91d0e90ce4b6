"""The fake Ashby's webhooks: the registration RPCs and the signed action bodies it pushes.

* ``webhook.create`` ``{"webhookType", "requestUrl", "secretToken"?}`` makes one webhook for one type, sends it
  a signed ``ping`` at once (as Ashby does; a ping answered >= 400 saves the webhook disabled, and a disabled
  webhook gets nothing), and answers ``{"id", "enabled", "requestUrl", "secretToken", "webhookType"}``;
  ``webhook.info`` ``{"webhookId"}`` reads one; ``webhook.delete`` ``{"webhookId"}`` removes one (an unknown id
  is a ``not_found`` failure). Ashby documents no listing; ``GET /__fake/webhooks`` lists the receivers.
* Each change ``/__fake/simulate`` makes is pushed as ``{"webhookActionId", "action", "data"}`` with
  ``Ashby-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`` (signed here, independently of the
  connector). Ashby has no candidate-update type: a simulated candidate edit (or a note) pushes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import orjson

from atsbridge.fakes.ashby.state import AshbyError, FakeState
from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change

Raw = dict[str, Any]
TYPES = (
    "applicationSubmit", "applicationUpdate", "candidateHire", "candidateStageChange", "candidateDelete",
    "candidateMerge", "interviewPlanTransition", "interviewScheduleCreate", "interviewScheduleUpdate", "jobCreate",
    "jobUpdate", "jobPostingPublish", "jobPostingUnpublish", "jobPostingUpdate", "offerCreate", "offerUpdate",
    "offerDelete", "openingCreate", "pushToHRIS", "signatureRequestUpdate", "surveySubmit",
)  # fmt: skip


def _signature(raw: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def _ping(url: str, secret: str, record: Raw) -> bool:
    """Ashby's ping on create: True when the receiver took it (< 400)."""
    raw = orjson.dumps({"webhookActionId": str(uuid.uuid4()), "action": "ping",
                        "data": {"webhook": {k: v for k, v in record.items() if k != "secretToken"}}})  # fmt: skip
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["Ashby-Signature"] = _signature(raw, secret)
    try:
        return httpx.post(url, content=raw, headers=headers, timeout=10.0).status_code < 400
    except httpx.HTTPError:
        return False


def _webhook_id(body: Raw) -> str:
    webhook_id = body.get("webhookId")
    if not isinstance(webhook_id, str) or not webhook_id:
        raise AshbyError("invalid_input", "webhookId is required")
    return webhook_id


def create(fake: FakeState, body: Raw) -> Raw:
    webhook_type, url, secret = body.get("webhookType"), body.get("requestUrl"), body.get("secretToken") or ""
    if webhook_type not in TYPES:
        raise AshbyError("invalid_input", f"webhookType must be one of {', '.join(TYPES)}")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise AshbyError("invalid_input", "requestUrl must be an http(s) URL")
    if not isinstance(secret, str):
        raise AshbyError("invalid_input", "secretToken must be a string")
    record = {"id": str(uuid.uuid4()), "enabled": True, "requestUrl": url, "secretToken": secret or None,
              "webhookType": webhook_type}  # fmt: skip
    record["enabled"] = _ping(url, secret, record)
    if record["enabled"]:
        try:  # an unsigned webhook (no secret token) is not one this fake can push signed: kept, never sent
            if secret:
                fake.webhooks.register(url, secret, webhook_id=record["id"], events=[webhook_type])
        except ValueError as exc:
            raise AshbyError("invalid_input", str(exc)) from None
    fake.webhook_records[record["id"]] = record
    return record


def info(fake: FakeState, body: Raw) -> Raw:
    found = fake.webhook_records.get(_webhook_id(body))
    if found is None:
        raise AshbyError("not_found", "Webhook not found")
    return found


def delete(fake: FakeState, body: Raw) -> Raw:
    webhook_id = _webhook_id(body)
    found = fake.webhook_records.pop(webhook_id, None)
    if found is None:
        raise AshbyError("not_found", "Webhook not found")
    fake.webhooks.unregister(webhook_id)
    return found


#: RPC method -> (the body keys it takes, handler).
METHODS: dict[str, tuple[frozenset[str], Callable[[FakeState, Raw], Raw]]] = {
    "webhook.create": (frozenset({"webhookType", "requestUrl", "secretToken"}), create),
    "webhook.info": (frozenset({"webhookId"}), info),
    "webhook.delete": (frozenset({"webhookId"}), delete),
}

#: (resource, kind) -> Ashby's webhook type and the ``data`` key. A simulated move, hire or rejection is an
#: application update; candidate edits and notes have no Ashby webhook.
ACTIONS = {
    ("applications", "updated"): ("applicationUpdate", "application"),
    ("candidates", "deleted"): ("candidateDelete", "candidate"),
}


def webhook_body(change: Change) -> Raw | None:
    found = ACTIONS.get((change.resource, change.kind))
    if found is None:
        return None
    action, key = found
    return {"webhookActionId": str(uuid.uuid4()), "action": action, "data": {key: {"id": change.remote_id}}}


WEBHOOKS = WebhookStyle(webhook_body, hmac_body("Ashby-Signature", "sha256="),
                        event=lambda body: str(body.get("action")))  # fmt: skip
