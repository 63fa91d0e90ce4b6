"""Ashby's webhooks, declared: how a delivery is verified, what each event touches, and registration through
Ashby's API.

* **Signature** [doc]: ``Ashby-Signature: sha256=<hex HMAC-SHA256(secret token, raw body)>``, over the raw
  bytes. Ashby signs no timestamp, so there is no replay window; a replayed delivery carries a
  ``webhookActionId`` already taken and is acknowledged without a second sync.
* **Delivery id** [doc]: the body's ``webhookActionId``, the same on every retry of one action.
* **Body** [doc]: ``{"webhookActionId", "action": "<webhook type>", "data": {...}}``; an action queues a
  delta of the streams it names (never takes ``data`` into the store). ``ping`` (sent when a webhook is
  created or edited; a failed ping saves it disabled) touches nothing.
* **Registration** through the API [doc: ``webhook.create``; one webhook per event type with an optional
  secret token]: one ``webhook.create`` ``{"webhookType", "requestUrl", "secretToken"}`` per followed type with
  atsbridge's secret; ``webhook.delete`` ``{"webhookId"}`` removes one (an unknown id counts as already
  gone). The request and answer field names are from Ashby's API reference as remembered, not from the
  reference notes: unverified against a recording.
* Ashby has no candidate-update event: a candidate's own edits arrive with the next delta poll (or the delta
  another event queues).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.ashby import rpc

#: Ashby webhook type -> the connector's streams it changes [3p list matching the OpenAPI].
TOUCHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("applicationSubmit", "applicationUpdate", "candidateHire", "candidateStageChange",
                     "candidateDelete", "candidateMerge"), ("applications", "candidates")),
    **dict.fromkeys(("interviewScheduleCreate", "interviewScheduleUpdate"), ("interview_schedules",)),
    **dict.fromkeys(("jobCreate", "jobUpdate", "jobPostingPublish", "jobPostingUnpublish", "jobPostingUpdate"),
                    ("jobs",)),
    **dict.fromkeys(("offerCreate", "offerUpdate", "offerDelete"), ("offers",)),
}  # fmt: skip


def touches(event: Any) -> list[kit.Touch]:
    """The streams an action changes; a ``ping`` (or an action we do not follow) touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("an Ashby webhook body is a JSON object")
    return [kit.Touch(stream) for stream in TOUCHES.get(str(event.get("action")), ())]


async def register(source: Any, url: str, secret: str) -> kit.Registered:
    """One Ashby webhook per followed type, each signing with atsbridge's secret."""
    async with kit.undo_on_failure(lambda made_ids: unregister(source, made_ids)) as ids:
        for webhook_type in TOUCHES:
            body = {"webhookType": webhook_type, "requestUrl": url, "secretToken": secret}
            made = await rpc.call(source.client, "webhook.create", body, retry=False)
            ids.append(kit.made_id(made, "Ashby created a webhook"))
    return kit.Registered(ids)


async def unregister(source: Any, ids: list[str]) -> None:
    """Ashby answers an id it no longer has as invalid input: already gone."""
    await kit.delete_each(ids, lambda webhook_id: rpc.call(source.client, "webhook.delete", {"webhookId": webhook_id}),
                          lambda exc: exc.code == "REMOTE.INPUT_INVALID")  # fmt: skip


WEBHOOKS = kit.Webhooks(
    verify=kit.HmacBody("Ashby-Signature", prefix="sha256="),
    events=touches,
    delivery_id=kit.body_id("webhookActionId"),
    registration="api",
    instructions="atsbridge creates one Ashby webhook per event type it follows through the API (the API key "
    "needs the API-key permission to manage webhooks); each signs with atsbridge's secret.",
    event_names=tuple(TOUCHES),
    register=register,
    unregister=unregister,
)
