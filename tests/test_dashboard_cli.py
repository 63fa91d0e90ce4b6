"""``atsbridge operators`` and the dashboard lines of ``atsbridge quickstart``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from atsbridge.cli.main import main
from atsbridge.core.config import get_settings
from atsbridge.dashboard import operators
from atsbridge.store.db import make_engine


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("ATSBRIDGE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "cli-" + "x" * 40)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _valid(token: str) -> bool:
    engine = make_engine(get_settings().database_url)
    with engine.connect() as conn:
        found = operators.by_token(conn, token)
    engine.dispose()
    return found is not None


def test_operators_create_list_revoke(cli: CliRunner) -> None:
    created = cli.invoke(main, ["operators", "create", "--name", "alice"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("atsbop_") and _valid(token)
    operator_id = re.search(r"operator: (op_\w+)", created.stderr)
    assert operator_id
    listed = cli.invoke(main, ["operators", "list"])
    assert "alice" in listed.output and "active" in listed.output and token not in listed.output
    revoked = cli.invoke(main, ["operators", "revoke", operator_id.group(1)])
    assert revoked.exit_code == 0 and not _valid(token)
    again = cli.invoke(main, ["operators", "revoke", operator_id.group(1)])
    assert again.exit_code != 0 and "no active operator" in again.output


def test_quickstart_prints_a_dashboard_token(cli: CliRunner) -> None:
    first = cli.invoke(main, ["quickstart", "--size", "tiny"])
    assert first.exit_code == 0, first.output
    assert "/dashboard" in first.stdout
    token = re.search(r"Operator token[^:]*: (atsbop_\S+)", first.stdout)
    assert token and _valid(token.group(1))
    second = cli.invoke(main, ["quickstart", "--size", "tiny"])
    again = re.search(r"Operator token[^:]*: (atsbop_\S+)", second.stdout)
    # A re-run keeps the token: a signed-in browser and saved passwords keep working.
    assert again and again.group(1) == token.group(1) and _valid(token.group(1))


def test_quickstart_prints_a_working_connect_link(cli: CliRunner) -> None:
    import httpx

    from atsbridge.api.app import create_app
    from atsbridge.testing import serve_asgi

    out = cli.invoke(main, ["quickstart", "--size", "tiny"])
    assert out.exit_code == 0, out.output
    found = re.search(r"Connect page[^:]*: http://[^/]+(/connect/\S+)", out.stdout)
    assert found
    with serve_asgi(create_app(get_settings())) as url:
        page = httpx.get(url + found.group(1))
    assert page.status_code == 200 and "Sandbox" in page.text  # the tool grid offers the credential-free sandbox
