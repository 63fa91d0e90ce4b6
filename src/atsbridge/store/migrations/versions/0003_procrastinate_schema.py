"""Procrastinate's job-queue schema (PostgreSQL only; a no-op on SQLite)

Distributed mode (``ATSBRIDGE_JOB_BACKEND=procrastinate``) runs syncs through Procrastinate. Its tables,
types, functions and triggers are applied here so that a deployment has one migration story
(``atsbridge migrate``), not two tools racing each other.

They live in their own PostgreSQL schema, ``procrastinate``: our autogenerate comparison and the
migration test only look at the default schema, so the queue's tables never show up as "unknown tables to
drop", and ``DROP SCHEMA procrastinate CASCADE`` removes the queue cleanly. Procrastinate's SQL uses
unqualified names, so its connections set ``search_path=procrastinate`` (see ``atsbridge.jobs.pg``).

The SQL is the installed Procrastinate's ``schema.sql`` (the version pinned in ``pyproject.toml``). On a
fresh database that is exactly right. When the pin is bumped, add a revision that applies Procrastinate's
``sql/migrations/*.sql`` files newer than the old pin, inside the ``procrastinate`` schema.

Revision ID: 0003_procrastinate
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003_procrastinate"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "procrastinate"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    raw = bind.connection.driver_connection  # psycopg: a parameterless execute may hold many statements
    assert raw is not None
    old_path = raw.execute("SELECT current_setting('search_path')").fetchone()[0]
    raw.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    raw.execute(f"SET LOCAL search_path TO {SCHEMA}")
    raw.execute(SchemaManager.get_schema())
    # Later revisions in this same transaction must see the default search path again.
    raw.execute("SELECT set_config('search_path', %s, true)", (old_path,))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
