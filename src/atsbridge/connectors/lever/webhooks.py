"""Lever's webhooks, declared: how a delivery is verified, what each event touches, and registration through
Lever's API.

* **Signature** [doc, as the reference notes read Lever's documentation; one third-party page disagrees]: the
  JSON body carries ``token`` (random per event), ``triggeredAt`` (epoch ms), ``signature``, ``event`` and
  ``data``; ``signature`` is the hex HMAC-SHA256 of ``token + str(triggeredAt)`` keyed with the webhook's
  **signature token**, which Lever generates per webhook. A third-party page describes a ``Lever-Signature``
  header over ``timestamp.body`` instead; that variant is unverified and not accepted: we pick the documented
  body-field scheme. ``triggeredAt`` is checked against a 300 s replay window. Only the token and timestamp are
  signed (not ``data``), so an event never carries data into the store: it queues a delta, which re-reads
  Lever.
* **Delivery id**: the body's ``token`` (one per event; Lever sends no delivery header). Whether a retry
  re-uses it is unverified; if not, a retry costs one more (idempotent) delta.
* **Registration** through the API: ``POST /v1/webhooks`` ``{"url", "event", "configuration"}`` [rec: the
  listing shape], one webhook per event, each answered with its own ``signatureToken`` (the create answer's
  field name is unverified), which atsbridge keeps sealed to verify with; ``DELETE /v1/webhooks/{id}``
  removes one (a 404 is taken as already gone).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.inbound import HmacBodyFields

#: Lever event -> the connector's streams it changes [doc help center; 3p list]. Interviews hang off
#: opportunities, so their events re-read both.
TOUCHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("applicationCreated", "candidateHired", "candidateStageChange", "candidateArchiveChange",
                     "candidateDeleted", "contactCreated", "contactUpdated"), ("opportunities",)),
    **dict.fromkeys(("interviewCreated", "interviewUpdated", "interviewDeleted"), ("interviews", "opportunities")),
}  # fmt: skip

#: Every origin Lever lists, so a webhook fires for every opportunity whatever its origin [rec].
ORIGINS = ["applied", "sourced", "referred", "university", "internal", "agency"]


def touches(event: Any) -> list[kit.Touch]:
    """The streams an event changes; an event we do not follow touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a Lever event is a JSON object")
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    opportunity = data.get("opportunityId") if isinstance(data, dict) else None
    found = TOUCHES.get(str(event.get("event")), ())
    return [kit.Touch(s, str(opportunity) if opportunity and s == "opportunities" else None) for s in found]


async def register(source: Any, url: str, secret: str) -> kit.Registered:
    """One Lever webhook per followed event; Lever signs with each one's own token (``secret`` is unused:
    Lever takes none)."""
    tokens: list[str] = []
    async with kit.undo_on_failure(lambda made_ids: unregister(source, made_ids)) as ids:
        for event in TOUCHES:
            body = {"url": url, "event": event, "configuration": {"conditions": {"origins": ORIGINS}}}
            response = await kit.create_request(source.client, "POST", "/webhooks", json=body)
            answer = response.json()
            made = (answer.get("data") if isinstance(answer, dict) else None) or {}
            ids.append(kit.made_id(made, "Lever created a webhook"))
            if made.get("signatureToken"):
                tokens.append(str(made["signatureToken"]))
    return kit.Registered(ids, tokens)


async def unregister(source: Any, ids: list[str]) -> None:
    await kit.delete_each(ids, lambda webhook_id: source.client.request("DELETE", f"/webhooks/{webhook_id}"))


WEBHOOKS = kit.Webhooks(
    verify=HmacBodyFields("signature", "token", "triggeredAt", tolerance_seconds=300.0),
    events=touches,
    delivery_id=kit.body_id("token"),
    registration="api",
    instructions="atsbridge creates one Lever webhook per event it follows through the API (the API key needs "
    "access to webhooks); Lever signs each delivery with that webhook's own signature token.",
    event_names=tuple(TOUCHES),
    register=register,
    unregister=unregister,
)
