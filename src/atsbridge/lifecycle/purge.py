"""Deleting an integration: stop it at once, then remove every row it owns, in small chunks.

Two phases so that a 200k-application integration never holds long locks:

1. One short transaction flags the integration ``DELETED`` (and disabled) and records the
   ``integration-deleted`` event. From that commit on, nothing serves, schedules or syncs it
   (:func:`atsbridge.store.platform.get_integration` no longer sees it; a running sync stops at its next page).
2. :func:`purge` deletes its rows table by table, ``CHUNK`` rows per transaction, and finally the
   integrations row itself. It is idempotent: an interrupted purge is finished by :func:`purge_pending`.

Every table with an ``integration_id`` column is purged, found by introspection, so tables added later are
covered without touching this module. Events the integration produced are purged too, except the
``integration-deleted`` event itself (the customer must still receive it).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Column, Connection, Engine, Table, delete, select, update

from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.store import platform
from atsbridge.store.tables import events, integrations, metadata, webhook_attempts, webhook_deliveries
from atsbridge.webhooks.events import emit, end_user

log = logging.getLogger("atsbridge.lifecycle")

#: Rows deleted per transaction: small enough that no statement holds locks for long.
CHUNK = 2000


def mark_deleted(conn: Connection, integration: platform.Integration, now: datetime | None = None) -> str:
    """Phase 1, inside the caller's transaction: make the integration invisible and emit the event."""
    now = now or utcnow()
    conn.execute(
        update(integrations)
        .where(integrations.c.id == integration.id)
        .values(status=platform.DELETED, enabled=False, updated_at=now)
    )
    return emit(
        conn,
        environment_id=integration.environment_id,
        type="integration-deleted",
        integration_id=integration.id,
        data={
            "id": integration.id,
            "tool": integration.tool,
            "category": "ATS",
            "end_user": end_user(integration),
            "deleted_at": format_ts(now),
        },
    )


def _chunk_column(table: Table) -> Column[object] | None:
    """The column a chunk of this table's rows is selected by (the most selective key beside integration_id)."""
    pk = [c for c in table.primary_key.columns if c.name != "integration_id"]
    if pk:
        return pk[-1]
    for constraint in table.constraints:
        cols = [c for c in getattr(constraint, "columns", []) if c.name != "integration_id"]
        if cols and constraint is not table.primary_key:
            first: Column[object] = cols[0]
            return first
    return None


def owned_tables() -> list[Table]:
    """Every table with an ``integration_id`` column, children before parents (integrations itself excluded)."""
    return [
        t
        for t in reversed(metadata.sorted_tables)
        if "integration_id" in t.c and t is not integrations and t is not events
    ]


def _purge_table(engine: Engine, table: Table, integration_id: str) -> int:
    key = _chunk_column(table)
    total = 0
    while True:
        with engine.begin() as conn:
            if key is None:  # no key to chunk by (none today): one statement
                done = conn.execute(delete(table).where(table.c.integration_id == integration_id)).rowcount
                return total + (done or 0)
            chunk = select(key).where(table.c.integration_id == integration_id).limit(CHUNK)
            keys = [r[0] for r in conn.execute(chunk)]
            if not keys:
                return total
            total += (
                conn.execute(delete(table).where(table.c.integration_id == integration_id, key.in_(keys))).rowcount or 0
            )


def _purge_events(engine: Engine, integration_id: str) -> int:
    """Earlier events of the integration, their deliveries and attempts (not the deletion event)."""
    total = 0
    while True:
        with engine.begin() as conn:
            ids = [
                r.id
                for r in conn.execute(
                    select(events.c.id)
                    .where(events.c.integration_id == integration_id, events.c.type != "integration-deleted")
                    .limit(CHUNK)
                )
            ]
            if not ids:
                return total
            deliveries = select(webhook_deliveries.c.id).where(webhook_deliveries.c.event_id.in_(ids))
            conn.execute(delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(deliveries)))
            conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.event_id.in_(ids)))
            total += conn.execute(delete(events).where(events.c.id.in_(ids))).rowcount or 0


def purge(engine: Engine, integration_id: str) -> dict[str, int]:
    """Phase 2: delete every row of a ``DELETED`` integration; returns rows deleted per table."""
    counts: dict[str, int] = {}
    for table in owned_tables():
        n = _purge_table(engine, table, integration_id)
        if n:
            counts[table.name] = n
    n = _purge_events(engine, integration_id)
    if n:
        counts["events"] = n
    with engine.begin() as conn:  # last: rows a racing writer slipped in go with it (foreign-key cascades)
        conn.execute(
            delete(integrations).where(integrations.c.id == integration_id, integrations.c.status == platform.DELETED)
        )
    log.info("purged integration %s: %s", integration_id, counts)
    return counts


def purge_pending(engine: Engine) -> list[str]:
    """Finish purges an interrupted process left behind; returns the integration ids purged."""
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(integrations.c.id).where(integrations.c.status == platform.DELETED))]
    for integration_id in ids:
        purge(engine, integration_id)
    return ids


def delete_integration(engine: Engine, integration: platform.Integration) -> dict[str, int]:
    """Irreversibly delete an integration: invisible at once, rows purged before this returns."""
    with engine.begin() as conn:
        mark_deleted(conn, integration)
    return purge(engine, integration.id)
