"""Pinpoint's webhooks, declared: how a delivery is authenticated, and what each event touches.

Registration is manual [doc ``webhooks-overview``]: an admin adds one under Company > Profile > Webhooks (New
webhook, a URL) and then picks the events it sends. No API to create webhooks is documented, so
``registration="manual"``. Pinpoint expects a 2xx within 5 s and retries a failed delivery up to 10 times over
24 h (exponential backoff with jitter) [doc].

Signature: **none documented** [gap]. The overview only says that test events show "the exact headers"; no
signing secret, signature header or timestamp appears in the stored docs or a brief search. So deliveries are
authenticated by the unguessable path token of the URL atsbridge issued alone (``kit.PathTokenOnly``): that
URL is the secret (shown once, stored hashed; a new ``PUT`` rotates it). What a forged delivery can do is
bounded: an event only queues a delta of the streams it names, re-read from Pinpoint's API; nothing in the
body is stored. Should Pinpoint turn out to sign (an HMAC header over the raw body), swap ``verify`` for
``kit.HmacBody("<header>")``: nothing else changes.

Delivery id: none documented [gap], so ``delivery_id=None``: a retry queues one more (harmless) delta. A body
``id`` is deliberately not used, since it may be the record's id, and deduplicating on that would drop the
next real event about the same record.

Events [gap: the event list is on the docs page but not in the stored excerpts]: each event "has its own
payload". Read here: the event name in the top-level ``event`` (``event_type`` or ``event_name`` accepted
too), named ``<resource>_<verb>`` (``application_created``, ``application_stage_changed``,
``candidate_updated``, ``job_created``...; dotted ``application.created`` is read alike). Because the names
are unverified, an event is mapped by its **resource** (the name's first word), not by its exact verb:
application and candidate events touch both ``applications`` and ``candidates`` (applications carry the
person's attributes and a new application may create its candidate; deleting a candidate removes its
applications), job and stage events touch ``jobs`` (which carries the stages), user events ``users``.
Comments, interviews, offers and other resources touch nothing (atsbridge does not read them from
Pinpoint). A body that is not an object or names no event is refused as not understood.
"""

from __future__ import annotations

import re
from typing import Any

from atsbridge.connectors import kit

#: An event's resource (the first word of its name, singular) -> the streams it changes.
RESOURCES: dict[str, tuple[str, ...]] = {
    "application": ("applications", "candidates"),
    "candidate": ("candidates", "applications"),
    "job": ("jobs",),
    "stage": ("jobs",),
    "user": ("users",),
}

#: The event names the fake emits and the instructions name [gap: unverified spellings; see above].
EVENT_NAMES = (
    "application_created",
    "application_updated",
    "application_stage_changed",
    "application_hired",
    "application_rejected",
    "application_withdrawn",
    "application_deleted",
    "candidate_created",
    "candidate_updated",
    "candidate_deleted",
    "job_created",
    "job_updated",
    "job_deleted",
    "comment_created",
)

_NAME_KEYS = ("event", "event_type", "event_name")
_FIRST_WORD = re.compile(r"[a-z]+")


def event_name(event: Any) -> str:
    """The event's name; a body that is not an object or names no event is not understood (refused)."""
    if not isinstance(event, dict):
        raise ValueError("a Pinpoint event is a JSON object")
    for key in _NAME_KEYS:
        name = event.get(key)
        if isinstance(name, str) and name.strip():
            return name.strip()
    raise ValueError("the event names no event")


def touches(event: Any) -> list[kit.Touch]:
    """The streams the event's resource changes; events about resources atsbridge does not read touch nothing."""
    found = _FIRST_WORD.match(event_name(event).lower())
    resource = found.group(0) if found else ""
    streams = RESOURCES.get(resource) or RESOURCES.get(resource.removesuffix("s"), ())
    return [kit.Touch(stream) for stream in streams]


WEBHOOKS = kit.Webhooks(
    verify=kit.PathTokenOnly(),
    events=touches,
    instructions="In Pinpoint (as an admin): Company > Profile > Webhooks > New webhook. Paste the URL (keep it "
    "secret: Pinpoint does not sign its webhooks, so the URL is what authenticates them; the secret shown is "
    "not used), then select the application, candidate and job events.",
    event_names=EVENT_NAMES,
)
