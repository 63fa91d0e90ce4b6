"""SmartRecruiters' webhooks, declared: registered through the Webhooks API, verified by SmartRecruiters' own
HMAC scheme, and what each event touches.

Registration (``registration="api"``) [doc]: ``POST /webhooks-api/v201907/subscriptions`` with ``{"callbackUrl",
"events": [{"name", "version"}]}`` makes an ``inactive`` subscription; ``POST .../subscriptions/{id}/secret-key``
generates its signing key (SmartRecruiters generates it: it is returned as ``Registered.secrets``, atsbridge's
own secret is not used) [doc says "generate a secret key"; the path and the ``secretKey`` field are from memory of
the vendor's reference, not verbatim]; ``PUT .../subscriptions/{id}/activation`` then makes SmartRecruiters POST
the callback URL with an ``X-Hook-Secret`` header which must be echoed in a 200 within 20 s (the ingestion
endpoint does, through ``handshake_header``). ``DELETE .../subscriptions/{id}`` removes it (a 404 is taken as
already gone). One subscription carries every event the connector follows, so there is one id.

Signature [doc]: ``smartrecruiters-signature: v1=<hex>`` (several ``;``-separated when several keys are active;
any one matching is enough) with ``v1 = hex HMAC-SHA256(key, "<timestamp>.<raw body>.<event-id>.<event-name>.
<event-version>.<link>")``, each part the value of the header of that name, an empty string when missing, and the
timestamp from ``smartrecruiters-timestamp``. The doc does not say whether the timestamp is in seconds or
milliseconds: both are accepted (a value above 1e11 is read as milliseconds), and deliveries outside a 5 minute
window are refused as replays. Compared in constant time. The delivery id is the ``event-id`` header (kept on
retries, as it is part of what is signed).

Events [doc partial]: the name travels in the ``event-name`` header (the bodies are thin: ids only), so the
events are read from the headers. Applications are read under the ``candidates`` stream here.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.inbound import Headers

SUBSCRIPTIONS = "/webhooks-api/v201907/subscriptions"
EVENT_VERSION = "1.0.0"
TOLERANCE_SECONDS = 300.0
SIGNED_HEADERS = ("event-id", "event-name", "event-version", "link")

#: event name -> the streams it changes.
TOUCHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("application.created", "application.status.updated", "candidate.created",
                     "candidate.updated", "candidate.deleted"), ("candidates",)),
    **dict.fromkeys(("job.created", "job.updated", "job.status.updated"), ("jobs",)),
}  # fmt: skip


def verify(headers: Headers, body: bytes, secret: str, now: float) -> None:
    """SmartRecruiters' ``v1`` signature over timestamp, body and the event headers, with a replay window."""
    stamp = headers.get("smartrecruiters-timestamp", "")
    try:
        sent_at = float(stamp[:20])
    except ValueError:
        raise kit.WebhookRefused("smartrecruiters-timestamp is not a timestamp") from None
    if sent_at > 1e11:  # milliseconds
        sent_at /= 1000
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise kit.WebhookRefused("smartrecruiters-timestamp is outside the 300 s window")
    sent = [part.strip() for part in headers.get("smartrecruiters-signature", "").split(";")]
    offered = [part[3:].strip().lower() for part in sent if part.startswith("v1=")]
    if not offered:
        raise kit.WebhookRefused("no v1 smartrecruiters-signature")
    message = b".".join([stamp.encode(), body, *(headers.get(h, "").encode() for h in SIGNED_HEADERS)])
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().encode()
    if not any(hmac.compare_digest(candidate.encode(), expected) for candidate in offered):
        raise kit.WebhookRefused("smartrecruiters-signature does not match")


def touches(headers: Headers, event: Any) -> list[kit.Touch]:
    """The streams the ``event-name`` header's event changes; an event we do not follow touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a SmartRecruiters event is a JSON object")
    return [kit.Touch(stream) for stream in TOUCHES.get(headers.get("event-name", ""), ())]


def _body_only(event: Any) -> list[kit.Touch]:
    """Without the headers the event is unknown (``touches`` is used instead)."""
    return []


async def _call(source: Any, method: str, path: str, *, once: bool = False, **kw: Any) -> Any:
    """One request; ``once``: a create, never blindly re-sent after a 5xx or a timeout (re-sent after a 429)."""
    if once:
        response = await kit.create_request(source.client, method, path, **kw)
    else:
        response = await source.client.request(method, path, **kw)
    return response.json() if response.content else None


async def register(source: Any, url: str, secret: str) -> kit.Registered:
    """Subscribe ``url`` to every followed event, generate its key, activate it (the handshake hits ``url``)."""
    events = [{"name": name, "version": EVENT_VERSION} for name in TOUCHES]
    made = await _call(source, "POST", SUBSCRIPTIONS, json={"callbackUrl": url, "events": events}, once=True)
    sub_id = str(made["id"])
    try:
        key = await _call(source, "POST", f"{SUBSCRIPTIONS}/{sub_id}/secret-key", once=True)
        await _call(source, "PUT", f"{SUBSCRIPTIONS}/{sub_id}/activation")
    except RemoteError:
        await unregister(source, [sub_id])  # nothing half-made stays at the vendor
        raise
    return kit.Registered([sub_id], [str(key["secretKey"])])


async def unregister(source: Any, ids: list[str]) -> None:
    await kit.delete_each(ids, lambda sub_id: _call(source, "DELETE", f"{SUBSCRIPTIONS}/{sub_id}"))


WEBHOOKS = kit.Webhooks(
    verify=verify,
    events=_body_only,
    events_with_headers=touches,
    delivery_id=kit.header_id("event-id"),
    registration="api",
    instructions="atsbridge subscribes through SmartRecruiters' Webhooks API (the API token needs the webhooks "
    "scope); nothing to paste.",
    event_names=tuple(TOUCHES),
    register=register,
    unregister=unregister,
    handshake_header="X-Hook-Secret",
)
