"""Secret-key rotation (library and CLI) and production-mode refusals."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, insert, select

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.lifecycle.rotation import rotate
from atsbridge.store import platform
from atsbridge.store.credentials import credential_box
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import integrations, webhook_endpoints
from tests.conftest import _pg_database

OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40


@pytest.fixture
def fresh_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A database of its own (rotation re-seals every row, which the shared test database must not see)."""
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'rotate.db'}"
    else:
        yield from _pg_database()


def _seed(engine: Engine, settings: Settings) -> tuple[str, str]:
    with engine.begin() as conn:
        env = platform.create_environment(conn, "rotation")
    iid = create_integration(
        engine, settings, env, "lever", "Acme", config={}, credentials={"api_key": "vendor-key-123456"}
    )
    box = credential_box(engine, settings)
    endpoint = "we_" + uuid.uuid4().hex[:20]
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(webhook_endpoints).values(
                id=endpoint,
                environment_id=env,
                url="https://hooks.example/x",
                secret=box.seal({"secret": "whsec-1"}),
                previous_secret=box.seal({"secret": "whsec-0"}),
                created_at=now,
                updated_at=now,
            )
        )
    return iid, endpoint


def _open_all(engine: Engine, settings: Settings) -> list[dict[str, object]]:
    box = credential_box(engine, settings)
    with engine.connect() as conn:
        blobs = [conn.execute(select(integrations.c.credentials)).scalar_one()]
        row = conn.execute(select(webhook_endpoints.c.secret, webhook_endpoints.c.previous_secret)).one()
    return [box.open(b) for b in [*blobs, row.secret, row.previous_secret]]


def test_rotate_then_old_key_removed(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    upgrade(engine)
    try:
        before = Settings(database_url=fresh_url, secret_key=OLD)
        _seed(engine, before)
        expected = _open_all(engine, before)
        assert expected == [{"api_key": "vendor-key-123456"}, {"secret": "whsec-1"}, {"secret": "whsec-0"}]

        with pytest.raises(ValueError):  # the new key alone cannot open the old blobs
            _open_all(engine, Settings(database_url=fresh_url, secret_key=NEW))
        during = Settings(database_url=fresh_url, secret_key=NEW, old_secret_keys=f" {OLD} ,unused-old-key")
        assert _open_all(engine, during) == expected

        box = credential_box(engine, during)
        dry = rotate(engine, box, dry_run=True)
        assert sum(dry.resealed.values()) == 3
        assert sum(rotate(engine, box, dry_run=True).resealed.values()) == 3  # the dry run wrote nothing
        report = rotate(engine, box)
        assert report.resealed == {
            "integrations.credentials": 1,
            "webhook_endpoints.secret": 1,
            "webhook_endpoints.previous_secret": 1,
        }
        assert not report.unreadable
        again = rotate(engine, box)  # idempotent
        assert again.resealed == {} and again.current == 3

        after = Settings(database_url=fresh_url, secret_key=NEW)
        assert _open_all(engine, after) == expected
    finally:
        engine.dispose()


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("ATSBRIDGE_")} | env
    return subprocess.run(
        [sys.executable, "-m", "atsbridge", *args], env=full, capture_output=True, text=True, timeout=120
    )


def test_cli_rotate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    _seed(engine, Settings(database_url=url, secret_key=OLD))
    engine.dispose()
    env = {"ATSBRIDGE_DATABASE_URL": url, "ATSBRIDGE_SECRET_KEY": NEW}

    refused = _cli(["secrets", "rotate"], env)  # old key unknown: nothing can be opened
    assert refused.returncode != 0 and "unreadable" in refused.stderr and "Traceback" not in refused.stderr

    env["ATSBRIDGE_OLD_SECRET_KEYS"] = OLD
    dry = _cli(["secrets", "rotate", "--dry-run"], env)
    assert dry.returncode == 0, dry.stderr
    assert "would re-seal 1 in integrations.credentials" in dry.stdout
    done = _cli(["secrets", "rotate"], env)
    assert done.returncode == 0 and "re-sealed 2 in webhook_endpoints" not in done.stdout
    assert "re-sealed 1 in webhook_endpoints.secret" in done.stdout
    again = _cli(["secrets", "rotate"], env)
    assert "3 already under the current key" in again.stdout and "re-sealed" not in again.stdout
    assert "--dry-run" in _cli(["secrets", "rotate", "--help"], env).stdout


def test_production_mode_refuses_insecure_settings() -> None:
    pg = "postgresql://u@db/atsbridge"
    with pytest.raises(ValidationError, match="ATSBRIDGE_SECRET_KEY"):
        Settings(mode="production", database_url=pg)
    with pytest.raises(ValidationError, match="ATSBRIDGE_SECRET_KEY"):
        Settings(mode="production", database_url=pg, secret_key="short")
    with pytest.raises(ValidationError, match="PostgreSQL"):
        Settings(mode="production", database_url="sqlite:///x.db", secret_key="k" * 32)
    assert Settings(mode="production", database_url=pg, secret_key="k" * 32).mode == "production"


def test_serve_in_production_without_key_exits_cleanly(tmp_path: Path) -> None:
    env = {"ATSBRIDGE_MODE": "production", "ATSBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    result = _cli(["serve", "--port", "1"], env)
    assert result.returncode != 0
    assert "ATSBRIDGE_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    env["ATSBRIDGE_SECRET_KEY"] = "k" * 40
    result = _cli(["serve", "--port", "1"], env)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr and "Traceback" not in result.stderr


def test_cli_custom_fields(tmp_path: Path) -> None:
    env = {"ATSBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'cf.db'}", "ATSBRIDGE_SECRET_KEY": NEW}
    created = _cli(["custom-fields", "create", "--model", "jobs", "--key", "team", "--label", "Team"], env)
    assert created.returncode == 0, created.stderr
    assert '"key":"team"' in created.stdout
    assert _cli(["custom-fields", "create", "--model", "nope", "--key", "x"], env).returncode != 0
    listed = _cli(["custom-fields", "list"], env)
    assert '"key":"team"' in listed.stdout
    cf_id = listed.stdout.split('"id":"')[1].split('"')[0]
    assert _cli(["custom-fields", "delete", cf_id], env).returncode == 0
    assert _cli(["custom-fields", "list"], env).stdout.strip() == ""
