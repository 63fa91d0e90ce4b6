"""Engine creation. SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL uses psycopg 3."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool


def normalise_url(url: str) -> str:
    """Accept the usual spellings and pick the psycopg 3 driver for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            poolclass=QueuePool,
            pool_size=8,
            max_overflow=8,
            # Reuse the most recently returned connection: each SQLite connection keeps its own page cache (up
            # to cache_size), so handing them out in turn (FIFO) kept eight cold caches, eight times the memory.
            pool_use_lifo=True,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA cache_size=-65536")
            cur.close()

        return engine
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _custom_plans(dbapi_conn: Any, _record: Any) -> None:
        # psycopg prepares a statement run five times, and PostgreSQL may then keep one generic plan for it
        # for the connection's life. A sync's statements are first planned while the tenant's tables are
        # nearly empty (a sequential scan is cheapest then) and that plan stayed as they grew to 100k rows:
        # every batch's lookups scanned the whole table (a 50k-application full sync: 111 s, 53 s with this).
        # Plans made with each execution's own values cost a fraction of a millisecond. PostgreSQL >= 12.
        if dbapi_conn.info.server_version >= 120000:
            with dbapi_conn.cursor() as cur:
                cur.execute("SET plan_cache_mode = force_custom_plan")
            dbapi_conn.commit()  # the pool's reset-on-return rolls back what is not committed

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
