"""Alembic environment: runs against the engine the caller hands over (no URL in an ini file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from atsbridge.store.tables import metadata

#: Several processes (API copies, workers) may start together on a fresh database: on PostgreSQL they take
#: turns, so none of them races another's DDL.
_MIGRATION_LOCK = 7_123_901_388

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
