"""The command line: every command has --help, and the documented flows work (run in-process with CliRunner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from atsbridge.cli.main import main
from atsbridge.core.config import get_settings
from atsbridge.testing import serve_asgi


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("ATSBRIDGE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "cli-" + "x" * 40)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _commands(group: click.Group, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, [*prefix, name])
        else:
            yield [*prefix, name]


def test_help_everywhere(cli: CliRunner) -> None:
    for path in _commands(main, []):
        result = cli.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_keys_integrations_sync_simulate(cli: CliRunner) -> None:
    key = cli.invoke(main, ["keys", "create", "--name", "ci"])
    assert key.exit_code == 0, key.output
    assert key.stdout.strip().splitlines()[-1].startswith("atsb_")
    created = cli.invoke(main, ["integrations", "create", "sandbox", "--size", "tiny"])
    assert created.exit_code == 0, created.output
    iid = created.stdout.strip().splitlines()[-1]
    assert iid.startswith("sandbox:")
    listed = cli.invoke(main, ["integrations", "list"])
    assert iid in listed.stdout and "COMPLETED" in listed.stdout
    simulated = cli.invoke(main, ["sandbox", "simulate", iid, "--steps", "20", "--seed", "3"])
    assert simulated.exit_code == 0, simulated.output
    synced = cli.invoke(main, ["sync", iid])
    assert synced.exit_code == 0, synced.output
    runs = cli.invoke(main, ["syncs", "list", iid])
    lines = runs.stdout.strip().splitlines()
    assert len(lines) == 2 and "DELTA" in lines[0] and "SUCCEEDED" in lines[0]
    shown = cli.invoke(main, ["syncs", "show", lines[0].split()[0]])
    assert '"applications"' in shown.stdout
    bad = cli.invoke(main, ["sync", "sandbox:nope"])
    assert bad.exit_code != 0 and "no integration" in bad.output


def test_connect_a_running_fake(cli: CliRunner) -> None:
    from atsbridge.fakes.greenhouse import create_app

    with serve_asgi(create_app(seed=2, records=20, rate_limit=None)) as url:
        created = cli.invoke(main, ["integrations", "create", "greenhouse", "--fake", url])
        assert created.exit_code == 0, created.output
        assert created.stdout.strip().splitlines()[-1].startswith("greenhouse:")


def test_matrix_prints(cli: CliRunner) -> None:
    result = cli.invoke(main, ["tools", "matrix"])
    assert result.exit_code == 0 and "| **Greenhouse** |" in result.stdout


def test_fake_ats_prints_credentials_and_the_connect_line(cli: CliRunner) -> None:
    result = cli.invoke(main, ["fake-ats", "lever", "--port", "9123", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "credentials:  api_key=lever_key" in result.stdout
    assert "atsbridge integrations create lever --fake http://127.0.0.1:9123" in result.stdout
    assert "atsbridge integrations create lever --credential api_key=lever_key --config" in result.stdout
    assert "/__fake/simulate" in result.stdout
    unknown = cli.invoke(main, ["fake-ats", "nope", "--dry-run"])
    assert unknown.exit_code != 0 and "available: ashby" in unknown.output and "Traceback" not in unknown.output
