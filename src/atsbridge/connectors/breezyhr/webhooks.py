"""Breezy HR's webhooks, declared: how a delivery is verified, what each event touches, and registration
through Breezy's webhook management API.

* **Signature** [doc: developer.breezy.hr "Webhook Security"]: ``X-Hook-Signature: <hex HMAC-SHA256(secret,
  body)>``, keyed with the endpoint's whole secret (``whsec_...``, used as text, prefix included, not
  base64-decoded). The reference notes guessed Standard Webhooks from the ``whsec_`` prefix; Breezy's own
  security page shows the plain body HMAC above, so that is what is checked. Its examples HMAC
  ``JSON.stringify(body)`` (compact JSON); we check the raw bytes as received, which is the same text when
  Breezy sends compact JSON [unverified: no delivery was recorded]. Nothing is timestamped, so there is no
  replay window: a replay is caught by the delivery id (below) and can only queue one more idempotent delta.
* **Events** [doc "Webhook Events"]: the envelope is ``{"_id", "type", "object": {company, position, stage,
  candidate, ...}, "creation_date"}``. ``candidateAdded``, ``candidateStatusUpdated`` (a stage move, not sent
  on creation) and ``candidateDeleted`` touch the candidates stream (candidates, applications, attachments;
  tags follow it); the ``companyPosition*`` events touch the positions stream. Team notes
  (``companyNote*``) touch nothing: notes are not served. Breezy has **no candidate-updated event**, so a
  profile edit arrives with the next event's delta (every delta re-lists from the watermark) or by polling.
  ``candidateDeleted`` is not fired for GDPR auto-purges [doc]: full syncs still find those. It names its
  candidate as deleted, but the connector declares no read by id (a Breezy candidate is read under its
  position), so that claim is not acted upon: the deletion waits for the next complete listing.
* **Delivery id**: the envelope's ``_id`` (no delivery header is documented); whether a retry keeps it is
  unverified (if not, a retry costs one more idempotent delta).
* **Registration** through the API [doc "Webhook Management API"]: ``POST /webhook_endpoints`` ``{"url",
  "description", "events"}`` answers the endpoint object with its ``id`` and, only then, the full ``secret``
  (kept sealed to verify with; atsbridge's own secret is not sent: Breezy takes none). The removal path
  ``DELETE /webhook_endpoints/{id}`` is inferred from the page's "create, update, and delete" and its
  ``GET .../webhook_endpoints/{id}`` [unverified]; a 404 there is taken as already gone. Webhooks are a Pro-plan
  feature [doc]: on other plans registration is refused and polling carries on.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError

#: Breezy event ``type`` -> the connector's streams it changes.
TOUCHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("candidateAdded", "candidateStatusUpdated", "candidateDeleted"), ("candidates",)),
    **dict.fromkeys(("companyPositionAdded", "companyPositionUpdated", "companyPositionDeleted",
                     "companyPositionStateUpdated"), ("positions",)),
}  # fmt: skip


def touches(event: Any) -> list[kit.Touch]:
    """The streams an event changes; an event we do not follow (a team note) touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a Breezy HR event is a JSON object")
    found = TOUCHES.get(str(event.get("type")), ())
    obj = event.get("object") if isinstance(event.get("object"), dict) else {}
    candidate = obj.get("candidate") if isinstance(obj, dict) and isinstance(obj.get("candidate"), dict) else {}
    cid = candidate.get("_id") if isinstance(candidate, dict) else None
    deleted = event.get("type") == "candidateDeleted"
    return [kit.Touch(s, str(cid) if cid and s == "candidates" else None, deleted=deleted) for s in found]


def _endpoint(answer: Any) -> dict[str, Any]:
    """The created endpoint: the object itself [doc customer guide], or under ``data`` like the listing."""
    if isinstance(answer, dict) and isinstance(answer.get("data"), dict):
        answer = answer["data"]
    return answer if isinstance(answer, dict) else {}


async def register(source: Any, url: str, secret: str) -> kit.Registered:
    """One endpoint for every followed event; Breezy generates its signing secret (``secret`` is unused)."""
    body = {"url": url, "description": "atsbridge", "events": list(TOUCHES)}
    response = await kit.create_request(source.client, "POST", "/webhook_endpoints", json=body)
    made = _endpoint(response.json())
    endpoint_id = kit.made_id(made, "Breezy HR created a webhook endpoint")
    if not made.get("secret"):
        await unregister(source, [endpoint_id])  # unverifiable deliveries would all be refused
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Breezy HR created a webhook endpoint without its secret")
    return kit.Registered([endpoint_id], [str(made["secret"])])


async def unregister(source: Any, ids: list[str]) -> None:
    await kit.delete_each(ids, lambda rid: source.client.request("DELETE", f"/webhook_endpoints/{quote(rid, safe='')}"))


WEBHOOKS = kit.Webhooks(
    verify=kit.HmacBody("X-Hook-Signature"),
    events=touches,
    delivery_id=kit.body_id("_id"),
    registration="api",
    instructions="atsbridge creates one Breezy HR webhook endpoint through the API (webhooks need a Pro plan); "
    "Breezy signs each delivery with that endpoint's own whsec_ secret.",
    event_names=tuple(TOUCHES),
    register=register,
    unregister=unregister,
)
