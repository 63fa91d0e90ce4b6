"""One integration: details, scope, sync runs, record counts per model, and its Connect links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from atsbridge.dashboard.queries.environments import LinkRow, latest_links
from atsbridge.dashboard.queries.health import RunSummary, run_summary
from atsbridge.model.registry import SYNC_ORDER
from atsbridge.scopes.model import Scope
from atsbridge.scopes.service import scope_for
from atsbridge.store import platform
from atsbridge.store.platform import Integration
from atsbridge.store.tables import MODEL_TABLES, connect_links, sync_runs

RUNS_LIMIT = 50
#: Config keys that could name a secret are never shown, whatever a connector put there.
_SECRET_WORDS = ("secret", "token", "password", "key", "credential", "auth")


@dataclass(frozen=True)
class ModelCount:
    model: str
    live: int
    deleted: int
    enabled: bool


def get(conn: Connection, integration_id: str) -> Integration | None:
    return platform.get_integration(conn, integration_id)


def visible_config(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if not any(word in k.lower() for word in _SECRET_WORDS)}


def scope(conn: Connection, integration_id: str) -> Scope:
    return scope_for(conn, integration_id)


def runs(conn: Connection, integration_id: str, limit: int = RUNS_LIMIT) -> list[RunSummary]:
    rows = conn.execute(
        select(sync_runs)
        .where(sync_runs.c.integration_id == integration_id)
        .order_by(sync_runs.c.queued_at.desc(), sync_runs.c.id.desc())
        .limit(limit)
    )
    return [run_summary(r) for r in rows]


def record_counts(conn: Connection, integration_id: str, current_scope: Scope) -> list[ModelCount]:
    """Live and deleted records per model (one indexed count per model table)."""
    out = []
    for model in SYNC_ORDER:
        table = MODEL_TABLES[model]
        row = conn.execute(
            select(
                func.count().label("total"),
                func.count(table.c.remote_deleted_at).label("deleted"),
            ).where(table.c.integration_id == integration_id)
        ).one()
        total, gone = int(row.total), int(row.deleted)
        out.append(ModelCount(model, total - gone, gone, current_scope.model_enabled(model)))
    return out


def links(conn: Connection, integration_id: str, limit: int = 20) -> list[LinkRow]:
    return latest_links(conn, connect_links.c.integration_id == integration_id, limit)
