"""Fakes push webhooks as their vendor does: every change a fake makes through ``/__fake/simulate`` is sent,
signed with the vendor's scheme, to each URL registered with it (``POST /__fake/webhooks``, what an admin
does in the vendor's settings). Deliveries go out on one background thread per fake, in order, and are
logged (``GET /__fake/webhooks``) so a test can wait for them or see a receiver's refusals.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson

if TYPE_CHECKING:  # spec imports the state, which holds an Emitter
    from atsbridge.fakes.kit.spec import Change

#: The most deliveries kept in the log (oldest dropped).
LOG_LIMIT = 2_000
MAX_TARGETS = 64  # vendors with one webhook per event type register a dozen or more, twice while rotating


@dataclass(frozen=True)
class WebhookStyle:
    """A vendor's webhooks: the JSON body announcing a change (None: the vendor sends none for it), the
    signature headers over the raw body, and the header carrying the delivery id (kept on retries)."""

    body: Callable[[Change], dict[str, Any] | None]
    sign: Callable[[bytes, str], dict[str, str]]
    delivery_header: str | None = None
    #: The event name of a body, for vendors whose webhooks each follow some events (Lever, Ashby, Workable):
    #: a receiver registered for given events gets only those. None: every receiver gets every body.
    event: Callable[[dict[str, Any]], str | None] | None = None
    #: For vendors that sign inside the body (Lever): (body, the receiver's secret) -> the body to send.
    sign_body: Callable[[dict[str, Any], str], dict[str, Any]] | None = None
    #: For a vendor whose signature covers headers besides the body (SmartRecruiters signs its event id, name,
    #: version and link): (change, raw body, secret) -> every header of the delivery, signature included; used
    #: instead of ``sign``.
    signed_headers: Callable[[Change, bytes, str], dict[str, str]] | None = None
    #: For a vendor whose HTTP method is the event (Comeet: ``POST`` created, ``PUT`` updated, ``DELETE``
    #: deleted): change -> the method. None: every delivery is a ``POST``.
    method: Callable[[Change], str] | None = None


@dataclass(frozen=True)
class Target:
    url: str
    secret: str
    #: The vendor's id of the webhook (registered through the fake's vendor API), and the events it follows
    #: (None: all).
    webhook_id: str | None = None
    events: frozenset[str] | None = None


class Emitter:
    """Registered receivers and the delivery log of one fake. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.targets: list[Target] = []
        self.deliveries: list[dict[str, Any]] = []
        #: Deliveries queued or in flight (a test waits for 0).
        self.pending = 0
        self._pool: ThreadPoolExecutor | None = None

    def register(
        self, url: str, secret: str, *, webhook_id: str | None = None, events: Iterable[str] | None = None
    ) -> None:
        """A receiver; ``webhook_id`` and ``events`` when registered through the vendor's API (one webhook
        per event type on some vendors)."""
        if not url.startswith(("http://", "https://")) or len(url) > 2_000:
            raise ValueError("url must be an http(s) URL of at most 2000 characters")
        if not secret or len(secret) > 500:
            raise ValueError("secret must be 1 to 500 characters")
        with self._lock:
            if len(self.targets) >= MAX_TARGETS:
                raise ValueError(f"at most {MAX_TARGETS} webhook URLs may be registered")
            self.targets.append(Target(url, secret, webhook_id, frozenset(events) if events is not None else None))

    def unregister(self, webhook_id: str) -> bool:
        """Remove the receiver the vendor API created with ``webhook_id``; False when there is none."""
        with self._lock:
            kept = [t for t in self.targets if t.webhook_id != webhook_id]
            removed = len(kept) < len(self.targets)
            self.targets[:] = kept
            return removed

    def registered(self) -> list[Target]:
        """The receivers registered through the vendor API (those with an id)."""
        with self._lock:
            return [t for t in self.targets if t.webhook_id is not None]

    def remove(self, url: str) -> bool:
        """Forget the receivers at ``url`` (a webhook deleted through the vendor's API); whether there were any."""
        with self._lock:
            kept = [t for t in self.targets if t.url != url]
            removed = len(kept) != len(self.targets)
            self.targets[:] = kept
            return removed

    def clear(self) -> None:
        with self._lock:
            self.targets.clear()
            self.deliveries.clear()

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"targets": [t.url for t in self.targets], "pending": self.pending,
                    "deliveries": list(self.deliveries)}  # fmt: skip

    def emit(self, style: WebhookStyle, change: Change) -> list[Future[None]]:
        body = style.body(change)
        event = style.event(body) if body is not None and style.event is not None else None
        with self._lock:
            targets = [t for t in self.targets if t.events is None or event in t.events]
            if body is None or not targets:
                return []
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fake-webhooks")
            pool = self._pool
            self.pending += len(targets)
        sign_body = style.sign_body
        raws = [orjson.dumps(sign_body(body, t.secret) if sign_body is not None else body) for t in targets]
        return [pool.submit(self._send, style, target, raw, change) for target, raw in zip(targets, raws, strict=True)]

    def _send(self, style: WebhookStyle, target: Target, raw: bytes, change: Change) -> None:
        delivery = uuid.uuid4().hex
        signed = (style.signed_headers(change, raw, target.secret) if style.signed_headers is not None
                  else style.sign(raw, target.secret))  # fmt: skip
        headers = {"Content-Type": "application/json", **signed}
        if style.delivery_header:
            headers[style.delivery_header] = delivery
        entry: dict[str, Any] = {"url": target.url, "delivery_id": delivery, **change.as_dict()}
        try:
            method = style.method(change) if style.method is not None else "POST"
            entry["status"] = httpx.request(method, target.url, content=raw, headers=headers, timeout=10.0).status_code
        except httpx.HTTPError as exc:
            entry["status"], entry["error"] = None, type(exc).__name__
        with self._lock:
            self.deliveries.append(entry)
            del self.deliveries[:-LOG_LIMIT]
            self.pending -= 1


def hmac_body(header: str, prefix: str = "", algorithm: str = "sha256") -> Callable[[bytes, str], dict[str, str]]:
    """``<header>: <prefix><hex HMAC(secret, raw body)>``, written independently of the connectors' verifier so
    a test of one checks the other."""

    def sign(raw: bytes, secret: str) -> dict[str, str]:
        return {header: prefix + hmac.new(secret.encode(), raw, getattr(hashlib, algorithm)).hexdigest()}

    return sign
