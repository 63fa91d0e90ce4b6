"""Workable's webhooks, declared: how a delivery is verified, what it touches, and registration through
Workable's subscriptions API.

* **Signature** [doc]: ``X-Workable-Signature`` is the HMAC-SHA256 of the request payload (the raw bytes) keyed
  with the **account token** (or an OAuth application's secret; atsbridge uses account tokens). The docs do
  not show the digest's encoding: hex is read first and base64 accepted too (both are the full HMAC, compared
  in constant time). Workable signs no timestamp: no replay window.
* **Key**: registering keeps the integration's token, at that moment, as the vendor-side secret (sealed like
  every credential); after the token is replaced, register the webhook again (``PUT``).
* **Delivery id**: none documented (no header, and the body is the candidate's current state), so a retry
  queues one more delta, which finds nothing new.
* **Body**: the candidate at send time [doc]; as we read Workable's reference, wrapped as
  ``{"id", "resource_type", "event_type", "fired_at", "data": {<candidate>}}`` (unverified). Both a wrapped
  candidate event and a bare candidate object touch the candidates stream.
* **Registration** through the API [rec, doc]: ``POST /subscriptions`` ``{"target", "event"}`` once per event
  (``candidate_created``, ``candidate_moved``); ``DELETE /subscriptions/{id}`` removes one (a 404 is taken as
  already gone). Workable sends nothing for edits, disqualifications, comments or deletions: those arrive with
  the next delta poll or with a delta another event queues.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.inbound import Headers

HEADER = "X-Workable-Signature"
#: Workable event -> the connector's streams it changes (a candidate is also its one application).
TOUCHES: dict[str, tuple[str, ...]] = {"candidate_created": ("candidates",), "candidate_moved": ("candidates",)}


def verify(headers: Headers, body: bytes, secret: str, now: float) -> None:
    """``X-Workable-Signature: <HMAC-SHA256(account token, raw body)>``, hex (or base64)."""
    sent = headers.get(HEADER.lower(), "").strip()
    if not sent:
        raise kit.WebhookRefused(f"no {HEADER} header")
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    candidates = [sent.lower().encode()]
    with contextlib.suppress(binascii.Error, ValueError):
        candidates.append(base64.b64encode(base64.b64decode(sent, validate=True)))
    expected = (digest.hex().encode(), base64.b64encode(digest))
    if not any(hmac.compare_digest(c, e) for c in candidates for e in expected):
        raise kit.WebhookRefused(f"{HEADER} does not match the body")


def touches(event: Any) -> list[kit.Touch]:
    """A candidate event (wrapped or bare) touches candidates; anything else (employees) touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a Workable webhook body is a JSON object")
    if "event_type" in event or "resource_type" in event:
        found = TOUCHES.get(str(event.get("event_type")), ())
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        remote = data.get("id") if isinstance(data, dict) else None
        return [kit.Touch(s, str(remote) if remote else None) for s in found]
    if event.get("id") and isinstance(event.get("job"), dict):  # the bare candidate object
        return [kit.Touch("candidates", str(event["id"]))]
    return []


async def register(source: Any, url: str, secret: str) -> kit.Registered:
    """One subscription per followed event; Workable signs with the account token (``secret`` is unused:
    Workable takes none)."""
    info = getattr(source, "info", None)
    token = str(info.credentials.get("token") or "") if info is not None else ""
    if not token:
        raise RemoteError("INTEGRATION.AUTHENTICATION_INVALID", "no Workable token to verify deliveries with")
    async with kit.undo_on_failure(lambda made_ids: unregister(source, made_ids)) as ids:
        for event in TOUCHES:
            response = await kit.create_request(source.client, "POST", "/subscriptions",
                                                json={"target": url, "event": event})  # fmt: skip
            answer = response.json()
            made = answer.get("subscription", answer) if isinstance(answer, dict) else {}
            ids.append(kit.made_id(made, "Workable created a subscription"))
    return kit.Registered(ids, [token])


async def unregister(source: Any, ids: list[str]) -> None:
    await kit.delete_each(ids, lambda sub_id: source.client.request("DELETE", f"/subscriptions/{sub_id}"))


WEBHOOKS = kit.Webhooks(
    verify=verify,
    events=touches,
    registration="api",
    instructions="atsbridge subscribes to Workable's candidate_created and candidate_moved events through the "
    "API (the token needs the webhooks scope); Workable signs with the account token, so after replacing the "
    "token, register the webhook again.",
    event_names=tuple(TOUCHES),
    register=register,
    unregister=unregister,
)
