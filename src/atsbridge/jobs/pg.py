"""Procrastinate's side of PostgreSQL: its connections, and the one query that joins its jobs to our runs.

Procrastinate's tables live in the ``procrastinate`` schema (see migration ``0003_procrastinate``) and its
SQL uses unqualified names, so its connections are opened with ``search_path=procrastinate``. Those are
session settings and Procrastinate LISTENs for new jobs, so workers need session-level connections: connect
them to PostgreSQL directly or through a pooler in *session* mode (see ``docs/deployment.md``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from atsbridge.store.db import normalise_url

SCHEMA = "procrastinate"
SYNC_TASK = "atsbridge.run_sync"


def conninfo(database_url: str) -> str:
    """A libpq URL from our SQLAlchemy one (``postgresql+psycopg://`` -> ``postgresql://``)."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() != "postgresql":
        raise ValueError("the procrastinate job backend needs PostgreSQL (ATSBRIDGE_DATABASE_URL)")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def pool_kwargs(database_url: str, *, min_size: int, max_size: int) -> dict[str, Any]:
    """Arguments for Procrastinate's psycopg pool: our database, its schema, a bounded pool."""
    return {
        "conninfo": conninfo(database_url),
        "kwargs": {"options": f"-c search_path={SCHEMA}"},
        "min_size": min_size,
        "max_size": max_size,
    }


def run_lock(integration_id: str) -> str:
    """Procrastinate ``lock``: at most one sync job of an integration is *running* across all workers."""
    return f"integration:{integration_id}"


def run_queueing_lock(run_id: str) -> str:
    """Procrastinate ``queueing_lock``: at most one job *waiting* per queued run."""
    return f"run:{run_id}"


_UNJOBBED = text(
    f"""
    SELECT r.id, r.integration_id, r.type
      FROM sync_runs r
     WHERE r.status = 'QUEUED'
       AND NOT EXISTS (
           SELECT 1 FROM {SCHEMA}.procrastinate_jobs j
            WHERE j.queueing_lock = 'run:' || r.id AND j.status IN ('todo', 'doing'))
     ORDER BY r.queued_at
    """
)


def unjobbed_runs(conn: Connection) -> list[tuple[str, str, str]]:
    """QUEUED runs that no live job will pick up: new scheduled runs, force-syncs, or runs whose job failed.

    Deferring a job for each of these is the whole hand-over from ``sync_runs`` to the queue, so a job that
    was never deferred (a crash between the two) or that failed for good is re-created on the next tick.
    """
    return [(r.id, r.integration_id, r.type) for r in conn.execute(_UNJOBBED)]
