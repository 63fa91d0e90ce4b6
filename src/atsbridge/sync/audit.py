"""Drift audits and silent webhooks, read back from the recorded runs (``sync-health``, the dashboard).

A FULL run over a mirror that was listed completely before records ``stats["drift"]``
(:class:`atsbridge.sync.engine.SyncResult`); nothing else is stored for it, so there is one source of truth.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, select

from atsbridge.core.timeutil import format_ts
from atsbridge.store.tables import sync_runs

#: ``stats`` is orjson output (no spaces): an audit's stats start like this.
AUDITED = '{"drift":{%'


def ts(value: datetime | None) -> str | None:
    return format_ts(value) if value is not None else None


def _stats(raw: str | None) -> dict[str, Any]:
    try:
        value = orjson.loads(raw or "{}")
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _summary(row: Any) -> dict[str, Any] | None:
    drift = _stats(row.stats).get("drift")
    if not isinstance(drift, dict):
        return None
    totals = {
        k: sum(int(m.get(k, 0)) for m in drift.values() if isinstance(m, dict)) for k in ("missing", "stale", "extra")
    }
    return {"sync_id": row.id, "finished_at": ts(row.finished_at), "trigger": row.trigger, **totals, "models": drift}


#: How many recent FULL runs are read to find the last audit.
_RECENT_FULL_RUNS = 10


def last_audit(conn: Connection, integration_id: str) -> dict[str, Any] | None:
    """The newest succeeded FULL run that was a drift audit, with its drift per model and in total."""
    rows = conn.execute(
        select(sync_runs.c.id, sync_runs.c.finished_at, sync_runs.c.trigger, sync_runs.c.stats)
        .where(
            sync_runs.c.integration_id == integration_id,
            sync_runs.c.type == "FULL",
            sync_runs.c.status == "SUCCEEDED",
        )
        .order_by(sync_runs.c.finished_at.desc())
        .limit(_RECENT_FULL_RUNS)
    )
    for row in rows:
        found = _summary(row)
        if found is not None:
            return found
    return None


def drifted(conn: Connection, since: datetime, limit: int) -> dict[str, dict[str, Any]]:
    """Integrations whose latest audit finished after ``since`` repaired something: id -> that audit."""
    rows = conn.execute(
        select(sync_runs.c.id, sync_runs.c.integration_id, sync_runs.c.finished_at, sync_runs.c.trigger,
               sync_runs.c.stats)
        .where(sync_runs.c.type == "FULL", sync_runs.c.status == "SUCCEEDED", sync_runs.c.finished_at >= since,
               sync_runs.c.stats.like(AUDITED))
        .order_by(sync_runs.c.finished_at)
    )  # fmt: skip
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        found = _summary(row)
        if found is not None:
            latest[row.integration_id] = found
    repaired = {i: a for i, a in latest.items() if a["missing"] + a["stale"] + a["extra"] > 0}
    return dict(sorted(repaired.items())[:limit])


def changes_since(conn: Connection, integration_id: str, since: datetime) -> int:
    """Records created, changed or deleted by polling runs (not webhook-triggered) finished after ``since``."""
    found = 0
    rows = conn.execute(
        select(sync_runs.c.stats).where(
            sync_runs.c.integration_id == integration_id,
            sync_runs.c.status == "SUCCEEDED",
            sync_runs.c.trigger != "vendor-webhook",
            sync_runs.c.finished_at > since,
        )
    )
    for row in rows:
        models = _stats(row.stats).get("models")
        if isinstance(models, dict):
            found += sum(int(m.get(k, 0)) for m in models.values() if isinstance(m, dict)
                         for k in ("created", "updated", "deleted"))  # fmt: skip
    return found


def silent_webhooks(conn: Connection, integration_id: str, heard: datetime | None, silence: timedelta) -> int:
    """Changes polling found ``silence`` after the webhooks' last event (or their set-up): more than 0 means the
    vendor stopped sending, or sends elsewhere."""
    return changes_since(conn, integration_id, heard + silence) if heard is not None else 0
