"""Recording events. Every change that webhooks report calls :func:`emit` inside the transaction that makes
the change, so an event exists exactly when its change committed (the outbox pattern); delivery happens
later, from the ``webhook_deliveries`` rows written here, by the dispatcher.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, text

from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.platform import Integration
from atsbridge.store.tables import events, webhook_deliveries, webhook_endpoints

#: Every event type atsbridge emits (the contract's names).
EVENT_TYPES: tuple[str, ...] = (
    "data-changed",
    "sync-finished",
    "integration-created",
    "integration-deleted",
    "integration-state-changed",
    "connection-flow-failed",
)

#: Set on a connection that emitted, so its commit can wake this process's dispatchers at once.
EMITTED_FLAG = "atsbridge.events_emitted"

#: Deliveries are retried with backoff for this long, then marked FAILED (redeliverable on demand).
RETRY_WINDOW = timedelta(hours=24)


def end_user(integration: Integration) -> dict[str, Any]:
    return {
        "organization_name": integration.organization_name,
        "creator_email": integration.end_user_email,
        "origin_id": integration.end_user_origin_id,
    }


def emit(
    conn: Connection,
    *,
    environment_id: str,
    type: str,
    data: dict[str, Any],
    integration_id: str | None = None,
) -> str:
    """Record one event and queue it for every enabled endpoint subscribed to its type; returns its id.

    On PostgreSQL, emitters of one environment take turns (a transaction-scoped advisory lock held until
    commit): ``seq`` values come from a sequence, so two concurrent transactions could otherwise commit in
    the opposite order of their ``seq`` and a feed reader or dispatcher that already moved past the higher
    one would never see the lower. Keep emitting transactions short.
    """
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "atsbridge.events:" + environment_id},
        )
    now = utcnow()
    event_id = "evt_" + random_id(20)
    payload = orjson.dumps({"id": event_id, "type": type, "data": data}).decode()
    seq = conn.execute(
        insert(events)
        .values(
            id=event_id,
            environment_id=environment_id,
            integration_id=integration_id,
            type=type,
            payload=payload,
            created_at=now,
        )
        .returning(events.c.seq)
    ).scalar_one()
    endpoints = conn.execute(
        select(webhook_endpoints.c.id, webhook_endpoints.c.event_types).where(
            webhook_endpoints.c.environment_id == environment_id, webhook_endpoints.c.enabled.is_(True)
        )
    ).all()
    rows = [
        {
            "id": "whd_" + random_id(20),
            "endpoint_id": ep.id,
            "event_seq": seq,
            "event_id": event_id,
            "environment_id": environment_id,
            "ordering_key": integration_id or "",
            "status": "PENDING",
            "attempts": 0,
            "next_attempt_at": now,
            "give_up_at": now + RETRY_WINDOW,
            "created_at": now,
        }
        for ep in endpoints
        if ep.event_types is None or type in orjson.loads(ep.event_types)
    ]
    if rows:
        conn.execute(insert(webhook_deliveries), rows)
    conn.info[EMITTED_FLAG] = True
    return event_id
