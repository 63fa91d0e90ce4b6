"""Webhook endpoints (never their secrets) and the delivery log with its attempts; redelivery."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import orjson
from sqlalchemy import Connection, and_, or_, select, update

from atsbridge.core.safetext import ascii_digits
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import events, webhook_attempts, webhook_deliveries, webhook_endpoints
from atsbridge.webhooks.events import RETRY_WINDOW

PAGE = 50
ENDPOINTS_LIMIT = 100
STATUSES = ("PENDING", "SUCCEEDED", "FAILED")
#: The delivery log shows the latest attempts inline (errors cut short) and folds the rest into a toggle:
#: a delivery retried for a day has dozens of attempts, and a receiver's error page can be kilobytes.
RECENT_ATTEMPTS = 3
INLINE_ERROR_CHARS = 80
FULL_ERROR_CHARS = 2000


@dataclass(frozen=True)
class EndpointRow:
    id: str
    url: str
    description: str | None
    event_types: list[str] | None
    enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Attempt:
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass
class DeliveryRow:
    id: str
    endpoint_id: str
    endpoint_url: str
    event_id: str
    event_type: str
    event_seq: int
    integration_id: str | None
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[Attempt] = field(default_factory=list)

    @property
    def cursor(self) -> str:
        return f"{self.event_seq}:{self.id}"

    @property
    def folded(self) -> bool:
        """Whether the inline log hides something (older attempts or the end of an error)."""
        return len(self.log) > RECENT_ATTEMPTS or any(len(a.error or "") > INLINE_ERROR_CHARS for a in self.log)


def endpoints(conn: Connection, environment_id: str) -> list[EndpointRow]:
    """The secret columns are not even selected."""
    rows = conn.execute(
        select(
            webhook_endpoints.c.id,
            webhook_endpoints.c.url,
            webhook_endpoints.c.description,
            webhook_endpoints.c.event_types,
            webhook_endpoints.c.enabled,
            webhook_endpoints.c.created_at,
        )
        .where(webhook_endpoints.c.environment_id == environment_id)
        .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
        .limit(ENDPOINTS_LIMIT)
    )
    return [
        EndpointRow(
            r.id, r.url, r.description, orjson.loads(r.event_types) if r.event_types else None, r.enabled, r.created_at
        )
        for r in rows
    ]


def _parse_cursor(before: str | None) -> tuple[int, str] | None:
    if not before or ":" not in before:
        return None
    seq, _, delivery_id = before.partition(":")
    return (int(seq), delivery_id) if ascii_digits(seq) else None


def deliveries(
    conn: Connection, environment_id: str, *, status: str | None, before: str | None
) -> tuple[list[DeliveryRow], str | None]:
    """Newest first (keyset on event seq, then id), each with its attempts; returns the next page's cursor."""
    stmt = (
        select(
            webhook_deliveries,
            events.c.type.label("event_type"),
            events.c.integration_id.label("event_integration_id"),
            webhook_endpoints.c.url.label("endpoint_url"),
        )
        .join(events, events.c.id == webhook_deliveries.c.event_id)
        .join(webhook_endpoints, webhook_endpoints.c.id == webhook_deliveries.c.endpoint_id)
        .where(webhook_deliveries.c.environment_id == environment_id)
    )
    if status in STATUSES:
        stmt = stmt.where(webhook_deliveries.c.status == status)
    cursor = _parse_cursor(before)
    if cursor is not None:
        seq, delivery_id = cursor
        stmt = stmt.where(
            or_(
                webhook_deliveries.c.event_seq < seq,
                and_(webhook_deliveries.c.event_seq == seq, webhook_deliveries.c.id < delivery_id),
            )
        )
    rows = conn.execute(
        stmt.order_by(webhook_deliveries.c.event_seq.desc(), webhook_deliveries.c.id.desc()).limit(PAGE + 1)
    ).all()
    found = [
        DeliveryRow(
            id=r.id,
            endpoint_id=r.endpoint_id,
            endpoint_url=r.endpoint_url,
            event_id=r.event_id,
            event_type=r.event_type,
            event_seq=int(r.event_seq),
            integration_id=r.event_integration_id,
            status=r.status,
            attempts=r.attempts,
            next_attempt_at=r.next_attempt_at,
            last_status_code=r.last_status_code,
            last_error=r.last_error,
            delivered_at=r.delivered_at,
            created_at=r.created_at,
        )
        for r in rows[:PAGE]
    ]
    by_id = {d.id: d for d in found}
    if by_id:
        for a in conn.execute(
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id.in_(list(by_id)))
            .order_by(webhook_attempts.c.delivery_id, webhook_attempts.c.attempt)
        ):
            by_id[a.delivery_id].log.append(Attempt(a.attempt, a.at, a.status_code, a.error, a.duration_ms))
    return found, (found[-1].cursor if len(rows) > PAGE else None)


def redeliver(conn: Connection, environment_id: str, delivery_id: str) -> bool:
    """Send a delivery again from now on, with a fresh retry window; False when no such delivery here."""
    now = utcnow()
    result = conn.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.environment_id == environment_id)
        .values(status="PENDING", next_attempt_at=now, give_up_at=now + RETRY_WINDOW, locked_until=None)
    )
    return bool(result.rowcount)
