"""Integration health: last finished run, next scheduled sync, breaker trips, for a page of integrations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, select

from atsbridge.core.config import Settings
from atsbridge.jobs.scheduler import next_sync
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.platform import Integration
from atsbridge.store.tables import sync_runs
from atsbridge.sync.failures import Streak, streaks

#: ``stats`` is orjson output (no spaces): a non-empty breaker list starts like this.
BREAKER_TRIPPED = '%"breaker_trips":["%'


@dataclass(frozen=True)
class RunSummary:
    id: str
    type: str
    status: str
    trigger: str
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def breaker_trips(self) -> list[str]:
        trips = self.stats.get("breaker_trips") or []
        return [str(t) for t in trips]

    @property
    def totals(self) -> dict[str, int]:
        """Created/updated/deleted/unchanged summed over the run's models."""
        out = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
        for counts in (self.stats.get("models") or {}).values():
            for key in out:
                out[key] += int(counts.get(key, 0))
        return out


@dataclass(frozen=True)
class Health:
    last_run: RunSummary | None
    next_type: str | None
    next_at: datetime | None
    breaker_trips_24h: int
    #: Failed runs in a row (the next sync is pushed back accordingly); None when the last run did not fail.
    streak: Streak | None = None


def run_summary(row: Any) -> RunSummary:
    return RunSummary(
        id=row.id,
        type=row.type,
        status=row.status,
        trigger=row.trigger,
        queued_at=row.queued_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        error=row.error,
        stats=orjson.loads(row.stats or "{}"),
    )


def last_finished_runs(conn: Connection, ids: Sequence[str]) -> dict[str, RunSummary]:
    """The latest finished run of each integration (one query)."""
    if not ids:
        return {}
    latest = (
        select(sync_runs.c.integration_id, func.max(sync_runs.c.finished_at).label("at"))
        .where(sync_runs.c.integration_id.in_(ids), sync_runs.c.finished_at.is_not(None))
        .group_by(sync_runs.c.integration_id)
        .subquery()
    )
    rows = conn.execute(
        select(sync_runs).join(
            latest,
            and_(sync_runs.c.integration_id == latest.c.integration_id, sync_runs.c.finished_at == latest.c.at),
        )
    )
    return {r.integration_id: run_summary(r) for r in rows}


def last_queued(conn: Connection, ids: Sequence[str]) -> dict[tuple[str, str], datetime]:
    """When each (integration, type) last had a non-failed run queued: the scheduler's own input."""
    if not ids:
        return {}
    rows = conn.execute(
        select(sync_runs.c.integration_id, sync_runs.c.type, func.max(sync_runs.c.queued_at).label("last"))
        .where(sync_runs.c.integration_id.in_(ids), sync_runs.c.status != "FAILED")
        .group_by(sync_runs.c.integration_id, sync_runs.c.type)
    )
    return {(r.integration_id, r.type): r.last for r in rows}


def breaker_trips_since(conn: Connection, since: datetime, ids: Sequence[str] | None = None) -> dict[str, int]:
    """Runs per integration that tripped the deletion breaker since ``since``."""
    stmt = (
        select(sync_runs.c.integration_id, func.count().label("n"))
        .where(sync_runs.c.finished_at >= since, sync_runs.c.stats.like(BREAKER_TRIPPED))
        .group_by(sync_runs.c.integration_id)
    )
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(sync_runs.c.integration_id.in_(ids))
    return {r.integration_id: int(r.n) for r in conn.execute(stmt)}


def health(
    conn: Connection, settings: Settings, integrations: Sequence[Integration], now: datetime
) -> dict[str, Health]:
    ids = [i.id for i in integrations]
    last = last_finished_runs(conn, ids)
    queued = last_queued(conn, ids)
    trips = breaker_trips_since(conn, now - timedelta(hours=24), ids)
    failing = streaks(conn, now, ids)
    pushed = hooks.healthy(conn, now)
    out: dict[str, Health] = {}
    for integration in integrations:
        kind: str | None = None
        at: datetime | None = None
        if integration.enabled:
            kind, at = next_sync(
                settings,
                integration.config,
                queued.get((integration.id, "FULL")),
                queued.get((integration.id, "DELTA")),
                now,
                failing.get(integration.id),
                integration.id in pushed,
            )
        out[integration.id] = Health(
            last.get(integration.id), kind, at, trips.get(integration.id, 0), failing.get(integration.id)
        )
    return out
