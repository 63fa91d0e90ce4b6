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


# --- issue 13: first-run friction -------------------------------------------------------------------------------


def _key_works(key: str) -> bool:
    from atsbridge.store import platform
    from atsbridge.store.db import make_engine

    engine = make_engine(get_settings().database_url)
    with engine.connect() as conn:
        found = platform.environment_for_key(conn, key)
    engine.dispose()
    return found is not None


def _quickstart_secrets(stdout: str) -> tuple[str, str]:
    import re

    key = re.search(r"API key \(([^)]*)\): (atsb_\S+)", stdout)
    token = re.search(r"Operator token \(([^)]*)\): (atsbop_\S+)", stdout)
    assert key and token, stdout
    return key.group(2), token.group(2)


def test_quickstart_rerun_keeps_the_key_and_the_token(cli: CliRunner) -> None:
    first = cli.invoke(main, ["quickstart", "--size", "tiny"])
    assert first.exit_code == 0, first.output
    key, token = _quickstart_secrets(first.stdout)
    second = cli.invoke(main, ["quickstart", "--size", "tiny"])
    assert second.exit_code == 0, second.output
    assert _quickstart_secrets(second.stdout) == (key, token)
    assert "same as the previous run" in second.stdout
    assert f'api_key="{key}"' in second.stdout  # the pasted client code is the same
    assert _key_works(key)
    listed = cli.invoke(main, ["keys", "list"])
    assert listed.stdout.count("\tquickstart\t") == 1  # no second key was issued


def test_quickstart_rerun_under_another_secret_key_keeps_the_old_key_working(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli.invoke(main, ["quickstart", "--size", "tiny"])
    key, _ = _quickstart_secrets(first.stdout)
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "another-" + "y" * 40)
    get_settings.cache_clear()
    second = cli.invoke(main, ["quickstart", "--size", "tiny"])
    assert second.exit_code == 0, second.output
    assert f"unchanged: {key[:9]}…" in second.stdout and key not in second.stdout
    assert _key_works(key)


def test_quickstart_issues_a_new_key_when_the_old_one_was_revoked(cli: CliRunner) -> None:
    key, _ = _quickstart_secrets(cli.invoke(main, ["quickstart", "--size", "tiny"]).stdout)
    key_id = next(line.split("\t")[0] for line in cli.invoke(main, ["keys", "list"]).stdout.splitlines())
    assert cli.invoke(main, ["keys", "revoke", key_id]).exit_code == 0
    again = cli.invoke(main, ["quickstart", "--size", "tiny"])
    new_key, _ = _quickstart_secrets(again.stdout)
    assert new_key != key and _key_works(new_key) and not _key_works(key)


def test_default_database_is_the_same_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATSBRIDGE_DATABASE_URL", raising=False)
    monkeypatch.delenv("ATSBRIDGE_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "cli-" + "x" * 40)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    get_settings.cache_clear()
    try:
        monkeypatch.chdir(one)
        created = CliRunner().invoke(main, ["keys", "create", "--name", "from-one"])
        assert created.exit_code == 0, created.output
        assert "database:" not in created.stderr  # the default is not announced
        monkeypatch.chdir(two)
        listed = CliRunner().invoke(main, ["keys", "list"])
        assert "from-one" in listed.stdout
        assert not (one / "atsbridge.db").exists() and not (two / "atsbridge.db").exists()
        assert (tmp_path / "xdg" / "atsbridge" / "atsbridge.db").is_file()
    finally:
        get_settings.cache_clear()


def test_data_dir_and_database_url_are_respected_and_announced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATSBRIDGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("ATSBRIDGE_DATA_DIR", str(tmp_path / "data" / "nested"))
    monkeypatch.setenv("ATSBRIDGE_SECRET_KEY", "cli-" + "x" * 40)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["environments", "list"])
        assert result.exit_code == 0, result.output
        db = tmp_path / "data" / "nested" / "atsbridge.db"
        assert db.is_file() and f"database: sqlite:///{db}" in result.stderr
    finally:
        get_settings.cache_clear()


def test_settings_data_home_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from atsbridge.core.config import Settings

    monkeypatch.delenv("ATSBRIDGE_DATABASE_URL", raising=False)
    monkeypatch.delenv("ATSBRIDGE_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings().database_url == f"sqlite:///{tmp_path / 'atsbridge' / 'atsbridge.db'}"
    assert Settings().database_is_default()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings().data_dir == str(tmp_path / "home" / ".local" / "share" / "atsbridge")
    monkeypatch.setenv("ATSBRIDGE_DATABASE_URL", "postgresql://u:pw@db/x")
    assert Settings().database_url == "postgresql://u:pw@db/x" and not Settings().database_is_default()


def test_database_url_password_is_never_printed() -> None:
    from atsbridge.cli.common import display_url

    shown = display_url("postgresql://user:hunter2@db.example:5432/ats")
    assert "hunter2" not in shown and "db.example:5432/ats" in shown


def test_unknown_environment_is_a_one_line_error(cli: CliRunner) -> None:
    result = cli.invoke(main, ["keys", "create", "--name", "x", "--environment", "env_bogus"])
    assert result.exit_code == 2
    assert "--environment" in result.stderr and "env_bogus" in result.stderr
    assert "Traceback" not in result.output and "IntegrityError" not in result.output
    assert cli.invoke(main, ["keys", "list"]).stdout == ""  # nothing was created


def test_unreachable_vendor_names_the_host_and_leaves_nothing_behind(cli: CliRunner) -> None:
    result = cli.invoke(main, ["integrations", "create", "greenhouse", "--fake", "http://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "127.0.0.1:9" in errors[0], result.stderr
    assert "Traceback" not in result.output
    assert cli.invoke(main, ["integrations", "list"]).stdout == ""
    for bad in (["greenhouse", "--fake", "127.0.0.1:9"], ["sandbox", "--fake", "http://127.0.0.1:9"]):
        refused = cli.invoke(main, ["integrations", "create", *bad])
        assert refused.exit_code == 2 and "--fake" in refused.stderr and "Traceback" not in refused.output


def test_a_failed_first_sync_leaves_no_integration_behind(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from atsbridge.sync.engine import SyncEngine

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("vendor exploded\nwith a second line")

    monkeypatch.setattr(SyncEngine, "run", broken)
    result = cli.invoke(main, ["integrations", "create", "sandbox", "--size", "tiny"])
    assert result.exit_code == 1
    assert "Error: RuntimeError: vendor exploded" in result.stderr
    assert "second line" not in result.output and "Traceback" not in result.output
    assert cli.invoke(main, ["integrations", "list"]).stdout == ""


def test_unexpected_errors_are_one_line_unless_debugging(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from atsbridge.store import platform

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(platform, "list_integrations", broken)
    result = cli.invoke(main, ["integrations", "list"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: KeyError: 'surprise' (set ATSBRIDGE_DEBUG=1 for details)" in result.stderr
    monkeypatch.setenv("ATSBRIDGE_DEBUG", "1")
    debugged = cli.invoke(main, ["integrations", "list"])
    assert isinstance(debugged.exception, KeyError)


def test_unreachable_database_is_a_one_line_error(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATSBRIDGE_DATABASE_URL", "postgresql://nobody:secretpw@127.0.0.1:1/none")
    get_settings.cache_clear()
    result = cli.invoke(main, ["keys", "list"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: database error:" in result.stderr and "secretpw" not in result.output


def test_environments_keys_and_integrations_commands(cli: CliRunner) -> None:
    env = cli.invoke(main, ["environments", "create", "--name", "staging"])
    assert env.exit_code == 0, env.output
    env_id = env.stdout.strip()
    assert env_id.startswith("env_")
    assert f"{env_id}\tstaging\t0 integrations\t0 keys" in cli.invoke(main, ["environments", "list"]).stdout
    assert cli.invoke(main, ["environments", "create", "--name", " "]).exit_code == 2

    key = cli.invoke(main, ["keys", "create", "--name", "ci", "--environment", env_id]).stdout.strip()
    listed = cli.invoke(main, ["keys", "list", "--environment", env_id]).stdout
    key_id, name, prefix, _, state = listed.strip().split("\t")
    assert (name, prefix, state) == ("ci", key[:9] + "…", "active") and key not in listed
    assert _key_works(key)
    assert cli.invoke(main, ["keys", "revoke", key_id, "--environment", env_id]).exit_code == 0
    assert not _key_works(key)
    assert cli.invoke(main, ["keys", "list", "--environment", env_id]).stdout == ""
    assert "revoked" in cli.invoke(main, ["keys", "list", "--environment", env_id, "--all"]).stdout
    again = cli.invoke(main, ["keys", "revoke", key_id, "--environment", env_id])
    assert again.exit_code == 2 and "KEY_ID" in again.stderr

    iid = cli.invoke(main, ["integrations", "create", "sandbox", "--size", "tiny", "--environment", env_id])
    integration_id = iid.stdout.strip().splitlines()[-1]
    import orjson

    shown = orjson.loads(cli.invoke(main, ["integrations", "show", integration_id]).stdout)
    assert shown["environment_id"] == env_id and shown["setup_status"] == "COMPLETED"
    assert shown["records"]["applications"]["live"] > 0 and shown["recent_syncs"][0]["status"] == "SUCCEEDED"
    refused = cli.invoke(main, ["integrations", "delete", integration_id], input="n\n")
    assert refused.exit_code == 1 and integration_id in cli.invoke(main, ["integrations", "list"]).stdout
    deleted = cli.invoke(main, ["integrations", "delete", integration_id, "--yes"])
    assert deleted.exit_code == 0, deleted.output
    assert cli.invoke(main, ["integrations", "list"]).stdout == ""
    missing = cli.invoke(main, ["integrations", "show", integration_id])
    assert missing.exit_code == 2 and "no integration" in missing.stderr


def test_full_sync_progress_shows_totals(cli: CliRunner) -> None:
    created = cli.invoke(main, ["integrations", "create", "sandbox", "--size", "tiny"])
    iid = created.stdout.strip().splitlines()[-1]
    synced = cli.invoke(main, ["sync", iid, "--full"])
    assert synced.exit_code == 0, synced.output
    import re

    # Not a terminal: plain lines, one per stream at least, with the total the previous sync stored.
    assert "\r" not in synced.stderr
    assert re.search(r"syncing applications\s+[\d,]+ / ~[\d,]+ \(100%\)", synced.stderr), synced.stderr


BAD_INVOCATIONS = [
    ["keys", "create", "--name", "x", "--environment", "env_bogus"],
    ["keys", "revoke", "key_nope"],
    ["integrations", "create", "greenhouse", "--fake", "http://127.0.0.1:9"],
    ["integrations", "show", "sandbox:nope"],
    ["sync", "sandbox:nope"],
    ["scopes", "create", "x", "{not json"],
    ["custom-fields", "create", "--model", "nope", "--key", "k"],
]


def test_no_traceback_reaches_a_cli_user(tmp_path: Path) -> None:
    """Real processes (not CliRunner): what a user sees on stderr for bad invocations and a dead database."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "ATSBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path}/sub.db",
        "ATSBRIDGE_SECRET_KEY": "cli-" + "x" * 40,
    }
    env.pop("ATSBRIDGE_DEBUG", None)
    # One database per case: parallel processes must not race each other's first migration.
    cases = [
        (args, {**env, "ATSBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path}/sub{i}.db"})
        for i, args in enumerate(BAD_INVOCATIONS)
    ]
    cases.append((["keys", "list"], {**env, "ATSBRIDGE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}))
    cases.append((["keys", "list"], {**env, "ATSBRIDGE_DATABASE_URL": "not a url"}))
    cases.append((["keys", "list"], {**env, "ATSBRIDGE_MODE": "production", "ATSBRIDGE_SECRET_KEY": ""}))

    def run(case: tuple[list[str], dict[str, str]]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from atsbridge.cli.main import main; main(prog_name='atsbridge')", *case[0]],
            env=case[1],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(run, cases))
    for (args, _), done in zip(cases, outcomes, strict=True):
        assert done.returncode in (1, 2), (args, done.returncode, done.stderr)
        assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, (args, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and len(errors[0]) < 400, (args, done.stderr)


def test_progress_on_a_terminal_rewrites_one_line_with_total_and_eta() -> None:
    import io

    from atsbridge.cli.progress import CLEAR_LINE, Progress

    now = [0.0]
    out = io.StringIO()
    progress = Progress(out=out, tty=True, clock=lambda: now[0])
    now[0] = 10.0
    progress("applications", 50, 200)  # 5 records/s, 150 to go: 30 s
    assert out.getvalue() == CLEAR_LINE + "syncing applications                50 / 200 ( 25%)  ETA 30s  5/s"
    now[0] = 20.0
    progress("applications", 50)
    assert out.getvalue().endswith(CLEAR_LINE + "syncing applications               100 / 200 ( 50%)  ETA 20s  5/s")
    assert "\n" not in out.getvalue()
    now[0] = 24.0
    progress("jobs", 8)  # a new stream: the finished one keeps its line (as of its last page, no ETA)
    progress.done()
    lines = out.getvalue().split("\n")
    assert lines[0].endswith(CLEAR_LINE + "syncing applications               100 / 200 ( 50%)  5/s")
    assert lines[1].endswith(CLEAR_LINE + "syncing jobs                         8  2/s")  # no total known: no ETA
    assert lines[2] == "synced 108 vendor records in 24s"


def test_progress_without_a_terminal_prints_plain_lines_and_marks_estimates() -> None:
    import io

    from atsbridge.cli.progress import Progress

    now = [0.0]
    out = io.StringIO()
    progress = Progress({"candidates": 1000}, out=out, tty=False, clock=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        progress("candidates", 10)  # a line every 5 s, and one when the stream ends
    progress.done()
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert out.getvalue().splitlines() == [
        "syncing candidates                  60 / ~1,000 (  6%)  ETA 1m34s  10/s",
        "syncing candidates                 100 / ~1,000 ( 10%)  10/s",
        "synced 100 vendor records in 10s",
    ]


def test_info_says_where_the_data_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATSBRIDGE_DATABASE_URL", raising=False)
    monkeypatch.delenv("ATSBRIDGE_SECRET_KEY", raising=False)
    monkeypatch.setenv("ATSBRIDGE_DATA_DIR", str(tmp_path / "d"))
    get_settings.cache_clear()
    try:
        shown = CliRunner().invoke(main, ["info"])
        assert shown.exit_code == 0, shown.output
        assert f"data directory: {tmp_path / 'd'}" in shown.stdout
        assert f"sqlite:///{tmp_path / 'd' / 'atsbridge.db'}" in shown.stdout
        assert "generated once and kept in the database" in shown.stdout
        assert CliRunner().invoke(main, ["info", "--data-dir"]).stdout == f"{tmp_path / 'd'}\n"
    finally:
        get_settings.cache_clear()


def test_fake_ats_prints_credentials_and_the_connect_line(cli: CliRunner) -> None:
    result = cli.invoke(main, ["fake-ats", "lever", "--port", "9123", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "credentials:  api_key=lever_key" in result.stdout
    assert "atsbridge integrations create lever --fake http://127.0.0.1:9123" in result.stdout
    assert "atsbridge integrations create lever --credential api_key=lever_key --config" in result.stdout
    assert "/__fake/simulate" in result.stdout
    unknown = cli.invoke(main, ["fake-ats", "nope", "--dry-run"])
    assert (
        unknown.exit_code != 0
        and "available: abacusumantis, afas, ashby" in unknown.output
        and "Traceback" not in unknown.output
    )
