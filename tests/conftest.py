"""Shared fixtures. Every storage test runs on SQLite and on PostgreSQL (a fresh database per run).

Tests isolate themselves by tenancy rather than truncation: each one works in its own environment and
integrations, exactly as separate customers do in production.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade

PG_ADMIN_URL = os.environ.get("ATSBRIDGE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_database() -> Iterator[str]:
    name = f"atsbridge_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "atsbridge.db"
        yield f"sqlite:///{path}"
    else:
        yield from _pg_database()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, secret_key="test-secret-" + "x" * 40, scheduler=False)


@pytest.fixture
def environment(engine: Engine) -> str:
    with engine.begin() as conn:
        return platform.create_environment(conn, f"test-{uuid.uuid4().hex[:6]}")


@pytest.fixture
def api_key(engine: Engine, environment: str) -> str:
    with engine.begin() as conn:
        return platform.create_api_key(conn, environment, "test")
