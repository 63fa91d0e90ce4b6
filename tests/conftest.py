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


# ----------------------------------------------------------------------------------- live server
import asyncio  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from atsbridge.api.app import create_app  # noqa: E402
from atsbridge.api.server import uvicorn_options  # noqa: E402
from atsbridge.testing import serve_asgi  # noqa: E402  (re-exported for the test modules)


@dataclass(frozen=True)
class Server:
    url: str

    @property
    def v1(self) -> str:
        return self.url + "/v1"


@pytest.fixture(scope="session")
def server(engine: Engine, settings: Settings) -> Iterator[Server]:
    """The real app on a real port (uvicorn in a thread), as the SDK meets it in production."""
    with serve_asgi(create_app(settings, engine), **uvicorn_options(settings)) as url:
        yield Server(url)


def sync_now(engine: Engine, settings: Settings, integration_id: str, *, full: bool | None = None):  # type: ignore[no-untyped-def]
    from atsbridge.sync.engine import SyncEngine

    result = asyncio.run(SyncEngine(engine, settings).run(integration_id, full=full))
    assert result.status == "SUCCEEDED", result.error
    return result


@dataclass(frozen=True)
class Sandbox:
    key: str
    integration_id: str
    environment_id: str


def make_sandbox(engine: Engine, settings: Settings, size: str | int = "tiny", seed: int = 7) -> Sandbox:
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"sbx-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "test")
        iid = platform.create_integration(conn, env, "sandbox", "Sandbox Inc.", {"seed": seed, "size": size})
    sync_now(engine, settings, iid, full=True)
    return Sandbox(key, iid, env)


@pytest.fixture(scope="session")
def tiny_sandbox(engine: Engine, settings: Settings) -> Sandbox:
    return make_sandbox(engine, settings, "tiny")


@pytest.fixture(scope="session")
def small_sandbox(engine: Engine, settings: Settings) -> Sandbox:
    return make_sandbox(engine, settings, "small", seed=11)


#: The recorded vendor payloads live in the repository, next to the fake vendors that serve them
#: (``src/atsbridge/fakes/<vendor>/payloads``, each file with its ``.source.txt`` note).
FAKES = Path(__file__).resolve().parents[1] / "src" / "atsbridge" / "fakes"


def payloads(vendor: str) -> Path:
    """The folder of one vendor's recorded payloads."""
    return FAKES / vendor / "payloads"
