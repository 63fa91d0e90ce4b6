"""Vendor webhooks in: how a vendor pushes changes, declared once per connector.

A connector says how a delivery is verified (the vendor's own signature scheme, compared in constant time,
with a replay window where the vendor signs a timestamp), which delivery id makes a retry recognisable, and
which streams an event touches. The API's ingestion endpoint does the rest (size cap, refusal without
revealing whether the integration exists, recording, and a debounced delta sync of the touched streams), so
a change that arrives by webhook goes through exactly the path polling takes. A deletion the event names
(``Touch(..., deleted=True)``) is a claim the run checks by id at the vendor (``kit.ById``) before acting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Headers = Mapping[str, str]


class WebhookRefused(Exception):
    """A delivery that must not be processed: unsigned, wrongly signed, stale, or not understood. The message
    is for the operator's log only; the vendor gets the same answer for every refusal."""


@dataclass(frozen=True)
class Touch:
    """What one event changed: a stream to re-read (and, when the vendor names it, the record)."""

    stream: str
    remote_id: str | None = None
    deleted: bool = False


def id_at(body: Any, *path: str) -> str | None:
    """The record id at ``path`` in a parsed body (``id_at(event, "payload", "candidate", "id")``): a number or
    non-empty text; None when anything on the way is missing or of another type."""
    for key in path:
        body = body.get(key) if isinstance(body, dict) else None
    if isinstance(body, bool) or not isinstance(body, int | str):
        return None
    return str(body).strip() or None


def with_deletion(streams: Sequence[str], stream: str, remote_id: str | None) -> list[Touch]:
    """The touches of an event that changes ``streams`` and deleted ``remote_id`` of ``stream`` (when the body
    names it): the deletion is only a claim, checked by id at the vendor before anything is marked deleted."""
    return [Touch(s, remote_id, deleted=True) if remote_id and s == stream else Touch(s) for s in streams]


def _hmac(algorithm: str, secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, getattr(hashlib, algorithm)).hexdigest()


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class HmacBody:
    """``<header>: <prefix><hex HMAC(secret, raw body)>`` (Greenhouse ``Signature: sha256 <hex>``, Ashby
    ``Ashby-Signature: sha256=<hex>``, JazzHR ``X-JazzHR-Signature: <hex>``). The raw bytes are signed, never
    re-serialised JSON (Greenhouse escapes unicode before signing)."""

    header: str
    prefix: str = ""
    algorithm: str = "sha256"

    def __call__(self, headers: Headers, body: bytes, secret: str, now: float) -> None:
        sent = headers.get(self.header.lower(), "")
        if not sent:
            raise WebhookRefused(f"no {self.header} header")
        if not sent.startswith(self.prefix):
            raise WebhookRefused(f"{self.header} does not start with {self.prefix!r}")
        if not _same(sent[len(self.prefix) :].strip().lower(), _hmac(self.algorithm, secret, body)):
            raise WebhookRefused(f"{self.header} does not match the body")

    def sign(self, body: bytes, secret: str) -> dict[str, str]:
        """The headers a vendor sends with ``body`` (the fakes sign with this)."""
        return {self.header: self.prefix + _hmac(self.algorithm, secret, body)}


@dataclass(frozen=True)
class PathTokenOnly:
    """For vendors that sign nothing (Fountain: "no signature documented"): the unguessable path token of the
    URL atsbridge issued is the only proof, so that URL is a secret (shown once, stored hashed, rotated by a new
    ``PUT``). Nothing in the request can be checked; deliveries still go through the body cap and dedupe."""

    def __call__(self, headers: Headers, body: bytes, secret: str, now: float) -> None:
        return None

    def sign(self, body: bytes, secret: str) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class HmacTimestampedBody:
    """A signature over ``<timestamp><separator><body>`` with the timestamp in its own header, refused outside
    ``tolerance_seconds`` (a captured delivery cannot be replayed later)."""

    header: str
    timestamp_header: str
    prefix: str = ""
    separator: str = "."
    algorithm: str = "sha256"
    tolerance_seconds: float = 300.0

    def __call__(self, headers: Headers, body: bytes, secret: str, now: float) -> None:
        stamp = headers.get(self.timestamp_header.lower(), "")
        try:
            sent_at = float(stamp[:20])
        except ValueError:
            raise WebhookRefused(f"{self.timestamp_header} is not a timestamp") from None
        if sent_at > 1e11:  # milliseconds
            sent_at /= 1000
        if abs(now - sent_at) > self.tolerance_seconds:
            raise WebhookRefused(f"{self.timestamp_header} is outside the {self.tolerance_seconds:.0f} s window")
        signed = stamp.encode() + self.separator.encode() + body
        sent = headers.get(self.header.lower(), "")
        if not sent.startswith(self.prefix) or not _same(sent[len(self.prefix) :].strip().lower(),
                                                         _hmac(self.algorithm, secret, signed)):  # fmt: skip
            raise WebhookRefused(f"{self.header} does not match the timestamp and body")

    def sign(self, body: bytes, secret: str, now: float | None = None) -> dict[str, str]:
        stamp = str(int(now if now is not None else time.time()))
        signed = stamp.encode() + self.separator.encode() + body
        return {self.timestamp_header: stamp, self.header: self.prefix + _hmac(self.algorithm, secret, signed)}


@dataclass(frozen=True)
class HmacBodyFields:
    """A signature carried inside the JSON body rather than in a header (Lever): ``body[signature_field]`` is
    the hex HMAC(secret, ``body[token_field] + str(body[timestamp_field])``). The signed timestamp (seconds or
    milliseconds) is refused outside ``tolerance_seconds``. Only the token and the timestamp are signed, not
    the rest of the body: that is the vendor's scheme, which is why an event only ever queues a delta (the
    changed records are re-read from the vendor's API, never taken from the body)."""

    signature_field: str = "signature"
    token_field: str = "token"
    timestamp_field: str = "triggeredAt"
    algorithm: str = "sha256"
    tolerance_seconds: float = 300.0

    def __call__(self, headers: Headers, body: bytes, secret: str, now: float) -> None:
        try:
            event = json.loads(body)
        except ValueError:
            raise WebhookRefused("the body is not JSON") from None
        if not isinstance(event, dict):
            raise WebhookRefused("the body is not a JSON object")
        token, stamp, sent = (event.get(self.token_field), event.get(self.timestamp_field),
                              event.get(self.signature_field))  # fmt: skip
        if not isinstance(token, str) or not token or not isinstance(sent, str) or not sent:
            raise WebhookRefused(f"no {self.token_field} or {self.signature_field} in the body")
        if isinstance(stamp, bool) or not isinstance(stamp, (int, str)) or not str(stamp).isdigit():
            raise WebhookRefused(f"{self.timestamp_field} is not a timestamp")
        sent_at = float(str(stamp)[:20])
        if sent_at > 1e11:  # milliseconds
            sent_at /= 1000
        if abs(now - sent_at) > self.tolerance_seconds:
            raise WebhookRefused(f"{self.timestamp_field} is outside the {self.tolerance_seconds:.0f} s window")
        if not _same(sent.strip().lower(), _hmac(self.algorithm, secret, (token + str(stamp)).encode())):
            raise WebhookRefused(f"{self.signature_field} does not match {self.token_field} and {self.timestamp_field}")

    def sign(self, token: str, stamp: int | str, secret: str) -> str:
        """The signature a vendor puts in the body for ``token`` and ``stamp``."""
        return _hmac(self.algorithm, secret, (token + str(stamp)).encode())


Verifier = Callable[[Headers, bytes, str, float], None]
#: The parsed JSON body -> the streams it touches (empty: nothing to do, e.g. a ping).
Events = Callable[[Any], Sequence[Touch]]
#: (headers, parsed body) -> the vendor's delivery id, the same on every retry of one event (or None).
DeliveryId = Callable[[Headers, Any], str | None]


def header_id(name: str) -> DeliveryId:
    """The delivery id from a header (Greenhouse ``Greenhouse-Event-ID``)."""
    return lambda headers, _body: headers.get(name.lower()) or None


def body_id(key: str) -> DeliveryId:
    """The delivery id from a top-level body field (Ashby ``webhookActionId``)."""
    return lambda _headers, body: str(body[key]) if isinstance(body, dict) and body.get(key) else None


@dataclass(frozen=True)
class Registered:
    """What registering through the vendor API made: the vendor's ids of the webhooks (one per event type on
    some vendors), and the signing secrets the vendor generated itself, if it does (Lever: one per webhook),
    which are then tried besides atsbridge's own."""

    ids: list[str]
    secrets: list[str] = field(default_factory=list)


#: (source, url, secret) -> what was registered.
Register = Callable[[Any, str, str], Awaitable[Registered]]
#: (source, the ids ``register`` returned): remove them; ids already gone at the vendor are not an error.
Unregister = Callable[[Any, list[str]], Awaitable[None]]


@dataclass(frozen=True)
class Webhooks:
    """A vendor's webhooks. ``registration``: ``"manual"`` (the admin pastes atsbridge's URL and secret in the
    vendor's settings: ``instructions`` say where) or ``"api"`` (atsbridge registers through the vendor API with
    ``register``, and removes them with ``unregister`` when the webhook is deleted or rotated)."""

    verify: Verifier
    events: Events
    delivery_id: DeliveryId | None = None
    registration: Literal["manual", "api"] = "manual"
    instructions: str = ""
    #: Event names the connector understands (documentation and the fakes' emitters).
    event_names: tuple[str, ...] = field(default_factory=tuple)
    register: Register | None = None
    unregister: Unregister | None = None
    #: A vendor that checks the URL before sending to it (SmartRecruiters ``X-Hook-Secret`` on activation): a
    #: request to the right path carrying this header is answered 200 with the header echoed, nothing processed.
    handshake_header: str | None = None
    #: Where the event's name travels in a header (SmartRecruiters ``event-name``): (headers, parsed body) ->
    #: touches, used instead of ``events``.
    events_with_headers: Callable[[Headers, Any], Sequence[Touch]] | None = None

    def __post_init__(self) -> None:
        if self.registration == "api" and (self.register is None or self.unregister is None):
            raise ValueError("webhooks registered through the vendor API need register and unregister")
