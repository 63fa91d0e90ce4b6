"""Keeping the event log bounded: finished deliveries and old events are removed after a retention period.

Only what can no longer matter goes: an event is kept while any delivery of it is still PENDING, whatever its
age, so pruning never loses an undelivered event. Consumers of ``GET /v1/events`` must poll at least once per
retention period (``ATSBRIDGE_EVENT_RETENTION_DAYS``, 30 by default).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Delete, Engine, Select, delete, exists, select

from atsbridge.core.timeutil import utcnow
from atsbridge.store import vendor_webhooks
from atsbridge.store.tables import events, webhook_deliveries

#: Rows per statement, so a first prune of a large backlog never holds locks for long.
CHUNK = 5_000


def prune(engine: Engine, keep_days: int, now: datetime | None = None) -> tuple[int, int]:
    """Delete finished deliveries and undeliverable-free events older than ``keep_days`` (and the vendor
    webhooks received before then); returns the counts of the first two."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    deliveries = _chunked(
        engine,
        select(webhook_deliveries.c.id)
        .where(webhook_deliveries.c.status != "PENDING", webhook_deliveries.c.created_at < cutoff)
        .limit(CHUNK),
        lambda ids: delete(webhook_deliveries).where(webhook_deliveries.c.id.in_(ids)),
    )
    pending = exists().where(webhook_deliveries.c.event_id == events.c.id, webhook_deliveries.c.status == "PENDING")
    old_events = _chunked(
        engine,
        select(events.c.seq).where(events.c.created_at < cutoff, ~pending).limit(CHUNK),
        lambda ids: delete(events).where(events.c.seq.in_(ids)),
    )
    with engine.begin() as conn:  # the log of vendor webhooks received (sync health reads the last day)
        vendor_webhooks.prune(conn, cutoff)
    return deliveries, old_events


def _chunked(engine: Engine, pick: Select[Any], remove: Callable[[list[Any]], Delete]) -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            ids = list(conn.execute(pick).scalars())
            if not ids:
                return total
            conn.execute(remove(ids))
        total += len(ids)
