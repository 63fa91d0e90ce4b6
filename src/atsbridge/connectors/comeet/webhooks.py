"""Comeet's webhooks, declared: what each push touches, and how a delivery is verified.

Comeet pushes two kinds of webhook, both configured on Comeet's side (no registration API):

* **Position updates** (developers.comeet.com "Position updates" [doc]): the endpoint is set up by Comeet
  support (not in the customer's settings). The event is the HTTP method: ``POST`` a position was created,
  ``PUT`` updated, ``DELETE`` deleted; the body is the full Careers position model (``uid``, ``name``,
  ``time_updated``...), for a deletion at least the position's ``uid``. They touch ``positions`` (jobs).
* **Hires API** "Create an employee" (developers.comeet.com "Hires API overview" [doc]): ``POST`` of the hired
  candidate (``comeet_id``, ``person_uid``, ``first_name``, ``position{comeet_id, ...}``...). This connector
  is careers-only (published positions), so a hire changes nothing it stores: accepted, touches nothing.

Signature: ``Signature: sha256 <hex HMAC-SHA256(secret key, raw body)>``, documented for the Hires API (the
Secret Key set on Comeet's Integrations page; the doc's sample prefixes ``"sha256 "``). The position-updates page
documents no signature [unverified]: the most defensible reading is that Comeet signs them the same way with the
secret given to support, and atsbridge refuses unsigned deliveries either way (Comeet signs only "when a Secret
Key is defined", so the admin must define one). No delivery id is documented: a retry is synced again (a
harmless delta). The event is told apart by the body's shape (``uid`` for a position, ``comeet_id`` for a hire),
not the method, so one URL serves both webhooks; the ingestion route takes ``POST``, ``PUT`` and ``DELETE``.
Whether a ``DELETE`` body carries the full model or only ``uid`` is unverified; only ``uid`` is read.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: What the connector understands (the position event is the HTTP method Comeet uses).
EVENTS = ("position created (POST)", "position updated (PUT)", "position deleted (DELETE)", "hire (Create an employee)")


def touches(event: Any) -> list[kit.Touch]:
    """A position (created, updated or deleted: the body names its ``uid``) touches ``positions``; a hire
    touches nothing stored. Any other body is not a Comeet event and is refused."""
    if not isinstance(event, dict):
        raise ValueError("a Comeet webhook body is a JSON object")
    uid = event.get("uid")
    if isinstance(uid, str) and uid:
        return [kit.Touch("positions", uid)]
    if event.get("comeet_id") or event.get("person_uid"):
        return []  # a hire: no stream of this careers-only connector holds candidates
    raise ValueError("neither a position (uid) nor a hired candidate (comeet_id)")


WEBHOOKS = kit.Webhooks(
    verify=kit.HmacBody("Signature", prefix="sha256 "),
    events=touches,
    registration="manual",
    instructions="Comeet sets up position webhooks on request: email Comeet support (the address on "
    "developers.comeet.com 'Position updates') the URL and the secret, asking for position create/update/delete "
    "events signed with that secret key. Optionally, in Comeet Settings > Integrations > Hires API, paste the "
    "same URL as 'Create an employee' and the secret as the Secret Key (leave 'Request hire questionnaire' empty).",
    event_names=EVENTS,
)
