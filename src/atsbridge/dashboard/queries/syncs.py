"""One sync run: its row, decoded."""

from __future__ import annotations

from sqlalchemy import Connection, select

from atsbridge.dashboard.queries.health import RunSummary, run_summary
from atsbridge.store.tables import sync_runs


def get(conn: Connection, run_id: str) -> tuple[str, RunSummary] | None:
    """(integration id, run) or None."""
    row = conn.execute(select(sync_runs).where(sync_runs.c.id == run_id)).first()
    return (row.integration_id, run_summary(row)) if row is not None else None
