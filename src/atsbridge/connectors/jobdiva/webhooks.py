"""JobDiva's webhooks, declared: how a delivery is verified and what each event touches.

No JobDiva webhook documentation is in our sources; the scheme is Nango's JobDiva webhook routing [conn]:

* **Registration** is manual: an admin enters atsbridge's URL and a secret of their choosing in JobDiva's
  webhook settings (JobDiva support enables webhooks for the account [unverified]). No registration API is
  known, so atsbridge registers nothing itself.
* **Signature**: ``X-Hub-Signature: sha1=<hex HMAC-SHA1(secret, raw body)>`` over the raw bytes [conn]. SHA-1
  is weak but it is the vendor's scheme; nothing is timestamped, so there is no replay window (a replay can
  only queue one more idempotent delta).
* **Events**: ``{"type": "activity"|"contact"|"job"|"candidate"|"company", "operation":
  "Insert"|"Update"|"delete", "id": "<record id>", "data": [...]}`` [conn]. ``data``'s contents are unknown
  [gap] and never read: an event only queues a delta of the streams it touches, and the records are re-read
  from the BI reports. ``job`` touches jobs; ``activity`` (a submittal/application) touches applications and
  candidates (a new activity often brings a new candidate whose own event may come later or not at all);
  ``candidate`` touches candidates and notes (JobDiva has no note event: notes live on the candidate, and a
  note is taken to be announced as a candidate ``Update`` [unverified]), and a candidate ``delete`` also
  touches applications (its activities and notes go with it). ``contact`` and ``company`` touch nothing:
  client contacts and companies are not served (a company's name on a job is re-read with the job's next
  change). Deletions are announced (the only push signal of one) but still just queue a delta: the BI
  deletion reports of that window carry them.
* **Delivery id**: none documented (no header, and the body's ``id`` is the record's, shared by every event
  of that record), so retries are not recognised: a retried delivery queues one more idempotent delta.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: event ``type`` -> the streams it changes (the first is the one ``id`` names).
TOUCHES: dict[str, tuple[str, ...]] = {
    "job": ("jobs",),
    "activity": ("applications", "candidates"),
    "candidate": ("candidates", "notes"),
    "contact": (),
    "company": (),
}
#: A candidate's deletion takes its activities (applications) and notes with it.
DELETE_ALSO: dict[str, tuple[str, ...]] = {"candidate": ("applications",)}


def touches(event: Any) -> list[kit.Touch]:
    """The streams an event changes; an unknown type (or a contact/company) touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a JobDiva event is a JSON object")
    kind = str(event.get("type") or "").lower()
    deleted = str(event.get("operation") or "").lower() == "delete"
    streams = TOUCHES.get(kind, ()) + (DELETE_ALSO.get(kind, ()) if deleted else ())
    rid = event.get("id")
    named = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid) else None
    return [kit.Touch(s, named if i == 0 else None, deleted=deleted and i == 0) for i, s in enumerate(streams)]


WEBHOOKS = kit.Webhooks(
    verify=kit.HmacBody("X-Hub-Signature", prefix="sha1=", algorithm="sha1"),
    events=touches,
    instructions="In JobDiva, open the webhook settings (ask JobDiva support to enable webhooks if they are "
    "missing), add a webhook with the URL as its endpoint and the secret as its secret, and subscribe it to "
    "job, candidate and activity inserts, updates and deletes.",
    event_names=tuple(TOUCHES),
)
