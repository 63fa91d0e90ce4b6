"""The dispatcher: sends due deliveries, signed, at least once, in order per (endpoint, integration).

Any number of dispatchers (threads, ``serve`` and ``worker`` processes, machines) may run at once against
one database. A delivery is *claimed* with a conditional UPDATE of ``locked_until`` (a lease): only the
dispatcher whose UPDATE matched (rowcount 1) sends it, and its result is recorded only while it still holds
that lease, so a dispatcher that stalls past its lease cannot overwrite the work of the one that took over.

Ordering: a delivery is due only when no earlier (lower ``event_seq``) PENDING delivery with the same
ordering key exists for its endpoint, so a receiver sees an integration's events in order. A delivery that
gives up (FAILED after its retry window) stops blocking: the next events go, and it stays redeliverable.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, Engine, and_, event, exists, insert, or_, select, update
from sqlalchemy.orm import aliased

from atsbridge import __version__
from atsbridge.core.config import Settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.core.timeutil import utcnow
from atsbridge.store.credentials import credential_box
from atsbridge.store.tables import events, webhook_attempts, webhook_deliveries, webhook_endpoints
from atsbridge.webhooks.endpoints import open_secret
from atsbridge.webhooks.events import EMITTED_FLAG
from atsbridge.webhooks.signing import PREVIOUS_SIGNATURE_HEADER, SIGNATURE_HEADER, sign
from atsbridge.webhooks.targets import TargetRefused, check_target

log = logging.getLogger("atsbridge.webhooks")

#: Retry delays double from the configured base up to this.
MAX_BACKOFF = timedelta(hours=1)
#: What we keep of a failing receiver's answer for the delivery log.
ERROR_SNIPPET = 300


def backoff(attempts: int, base_seconds: float, rng: random.Random | None = None) -> timedelta:
    """Delay after ``attempts`` failed attempts: exponential, capped, with jitter (50-100 %) so that
    receivers recovering from an outage are not hit by every retry at the same instant."""
    ceiling = min(base_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=ceiling * (0.5 + 0.5 * (rng or random).random()))


@dataclass(frozen=True)
class Claimed:
    id: str
    event_id: str
    attempts: int
    give_up_at: datetime
    lease: datetime
    url: str
    payload: str
    secret: bytes
    previous_secret: bytes | None
    previous_secret_expires_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _Wakeups:
    """Commits that emitted events wake this process's dispatchers at once (others poll)."""

    def __init__(self) -> None:
        self.events: set[threading.Event] = set()
        self.engines: set[int] = set()
        self.lock = threading.Lock()

    def install(self, engine: Engine, wake: threading.Event) -> None:
        with self.lock:
            self.events.add(wake)
            if id(engine) not in self.engines:
                self.engines.add(id(engine))
                event.listen(engine, "commit", self._on_commit)

    def remove(self, wake: threading.Event) -> None:
        with self.lock:
            self.events.discard(wake)

    def _on_commit(self, conn: Connection) -> None:
        if conn.info.pop(EMITTED_FLAG, None):
            for wake in list(self.events):
                wake.set()


_wakeups = _Wakeups()


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        box: CredentialBox | None = None,
        batch: int = 100,
        concurrency: int = 8,
        name: str = "webhook-dispatcher",
        environments: Collection[str] | None = None,
    ) -> None:
        self.engine = engine
        #: Which environments this dispatcher serves (all by default; tests confine one to their own).
        self.environments = list(environments) if environments is not None else None
        self.settings = settings
        self.box = box or credential_box(engine, settings)
        self.batch = batch
        self.concurrency = concurrency
        self.name = name
        self.lease = timedelta(seconds=settings.webhook_timeout_seconds * 2 + 30)
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.webhook_timeout_seconds),
            follow_redirects=False,
            headers={"User-Agent": "atsbridge-webhooks"},
            limits=httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency),
        )
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=name)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------------------ loop
    def start(self) -> None:
        """Run :meth:`run_once` in a background thread until :meth:`stop`."""
        _wakeups.install(self.engine, self._wake)
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._wake.set()
        _wakeups.remove(self._wake)
        if self._thread is not None:
            self._thread.join(timeout=timeout if timeout is not None else self.settings.webhook_timeout_seconds + 5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                sent = self.run_once()
            except Exception:  # a database hiccup must not end dispatching; the next pass retries
                log.exception("webhook dispatch pass failed")
                sent = 0
            if not sent:
                self._wake.wait(self.settings.webhook_poll_seconds)

    # ------------------------------------------------------------------------------------------ passes
    def run_once(self) -> int:
        """Claim what is due, send it (concurrently, one per ordering key), record the outcomes.
        Returns the number of attempts made."""
        claimed = self.claim()
        if not claimed:
            return 0
        list(self._pool.map(self._attempt, claimed))
        return len(claimed)

    def drain(self, max_passes: int = 1000) -> int:
        """Run passes until nothing is due (the CLI's ``--once``, and tests)."""
        total = 0
        for _ in range(max_passes):
            sent = self.run_once()
            if not sent:
                break
            total += sent
        return total

    def due(self, now: datetime) -> list[Any]:
        d = webhook_deliveries
        earlier = aliased(webhook_deliveries)
        blocked = exists().where(
            earlier.c.endpoint_id == d.c.endpoint_id,
            earlier.c.ordering_key == d.c.ordering_key,
            earlier.c.status == "PENDING",
            earlier.c.event_seq < d.c.event_seq,
        )
        stmt = (
            select(
                d.c.id,
                d.c.event_id,
                d.c.attempts,
                d.c.give_up_at,
                events.c.payload,
                webhook_endpoints.c.url,
                webhook_endpoints.c.secret,
                webhook_endpoints.c.previous_secret,
                webhook_endpoints.c.previous_secret_expires_at,
            )
            .join(webhook_endpoints, and_(webhook_endpoints.c.id == d.c.endpoint_id, webhook_endpoints.c.enabled))
            .join(events, events.c.seq == d.c.event_seq)
            .where(
                d.c.status == "PENDING",
                d.c.next_attempt_at <= now,
                or_(d.c.locked_until.is_(None), d.c.locked_until < now),
                ~blocked,
            )
            .order_by(d.c.event_seq)
            .limit(self.batch)
        )
        if self.environments is not None:
            stmt = stmt.where(d.c.environment_id.in_(self.environments))
        with self.engine.connect() as conn:
            return list(conn.execute(stmt).all())

    def claim(self) -> list[Claimed]:
        """One conditional UPDATE for the whole batch; RETURNING names the rows this dispatcher won (a row
        another dispatcher leased in the meantime no longer matches the WHERE clause)."""
        now = utcnow()
        rows = self.due(now)
        if not rows:
            return []
        # Full microseconds: the lease doubles as this claim's token.
        lease = datetime.now(now.tzinfo) + self.lease
        with self.engine.begin() as conn:
            won = set(
                conn.execute(
                    update(webhook_deliveries)
                    .where(
                        webhook_deliveries.c.id.in_([r.id for r in rows]),
                        webhook_deliveries.c.status == "PENDING",
                        or_(webhook_deliveries.c.locked_until.is_(None), webhook_deliveries.c.locked_until < now),
                    )
                    .values(locked_until=lease)
                    .returning(webhook_deliveries.c.id)
                ).scalars()
            )
        return [
            Claimed(
                row.id,
                row.event_id,
                row.attempts,
                row.give_up_at,
                lease,
                row.url,
                row.payload,
                row.secret,
                row.previous_secret,
                row.previous_secret_expires_at,
            )
            for row in rows
            if row.id in won
        ]

    # ------------------------------------------------------------------------------------------ sending
    def headers(self, item: Claimed, body: bytes, now: datetime) -> dict[str, str]:
        secret = open_secret(self.box, item.secret)
        assert secret is not None
        headers = {
            "content-type": "application/json",
            SIGNATURE_HEADER: sign(secret, body),
            "X-Atsbridge-Delivery-Id": item.id,
            "X-Atsbridge-Event-Id": item.event_id,
            "X-Atsbridge-Version": __version__,
        }
        if item.previous_secret is not None and (
            item.previous_secret_expires_at is not None and item.previous_secret_expires_at > now
        ):
            previous = open_secret(self.box, item.previous_secret)
            if previous is not None:
                headers[PREVIOUS_SIGNATURE_HEADER] = sign(previous, body)
        return headers

    def send(self, item: Claimed) -> Outcome:
        body = item.payload.encode()
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            if self.settings.mode == "production":
                check_target(item.url, self.settings)
            headers = self.headers(item, body, utcnow())
            with self._client.stream("POST", item.url, content=body, headers=headers) as resp:
                if 200 <= resp.status_code < 300:
                    return Outcome(resp.status_code, None, took())
                snippet = b""
                for chunk in resp.iter_raw():
                    snippet += chunk
                    if len(snippet) >= ERROR_SNIPPET:
                        break
                text = snippet[:ERROR_SNIPPET].decode("utf-8", "replace").strip()
                kind = "redirect (not followed)" if resp.is_redirect else f"HTTP {resp.status_code}"
                return Outcome(resp.status_code, f"{kind}: {text}" if text else kind, took())
        except TargetRefused as exc:
            return Outcome(None, f"target refused: {exc}", took())
        except httpx.TimeoutException:
            return Outcome(None, f"timed out after {self.settings.webhook_timeout_seconds:g}s", took())
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:ERROR_SNIPPET], took())

    def _attempt(self, item: Claimed) -> None:
        try:
            outcome = self.send(item)
        except Exception as exc:  # never lose the claim silently: record it as a failed attempt
            log.exception("webhook delivery %s: unexpected error", item.id)
            outcome = Outcome(None, f"internal error: {type(exc).__name__}", 0)
        self.record(item, outcome)

    def record(self, item: Claimed, outcome: Outcome) -> bool:
        """Store the attempt and the delivery's next state, if this dispatcher still holds the lease."""
        now = utcnow()
        attempts = item.attempts + 1
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_attempt_at": now,
            "last_status_code": outcome.status_code,
            "last_error": outcome.error,
            "locked_until": None,
        }
        if outcome.ok:
            values.update(status="SUCCEEDED", delivered_at=now)
        elif now >= item.give_up_at:
            values.update(status="FAILED")
        else:
            retry_at = now + backoff(attempts, self.settings.webhook_retry_base_seconds)
            values.update(next_attempt_at=min(retry_at, item.give_up_at))
        with self.engine.begin() as conn:
            held = conn.execute(
                update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id == item.id,
                    webhook_deliveries.c.status == "PENDING",
                    webhook_deliveries.c.locked_until == item.lease,
                )
                .values(**values)
            ).rowcount
            if held != 1:
                log.warning("webhook delivery %s: lease lost before its outcome was recorded", item.id)
                return False
            conn.execute(
                insert(webhook_attempts).values(
                    delivery_id=item.id,
                    attempt=attempts,
                    at=now,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=outcome.duration_ms,
                )
            )
        if not outcome.ok:
            log.info("webhook delivery %s attempt %d failed: %s", item.id, attempts, outcome.error)
        return True
