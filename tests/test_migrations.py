"""The Alembic migrations produce exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from atsbridge.store.tables import metadata


def test_migrations_match_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_processes_starting_together_migrate_in_turn() -> None:
    """API copies and workers may boot at once on a fresh PostgreSQL database: every one must come up."""
    import subprocess
    import sys
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN_URL

    name = f"atsbridge_mig_{uuid.uuid4().hex[:8]}"
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        code = (
            "from atsbridge.store.db import make_engine; from atsbridge.store.migrate import upgrade; "
            f"upgrade(make_engine({url!r}))"
        )
        procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(4)]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else b"") for p in procs]
        assert [rc for rc, _ in results] == [0, 0, 0, 0], [err[-400:] for _, err in results]
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
