"""``atsbridge new-connector``: the template folder lints, type-checks, declares and syncs-reads as written."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

import atsbridge.connectors
from atsbridge.cli.main import main
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.kit import KitSource

CONNECTORS = Path(atsbridge.connectors.__file__).parent
BIN = Path(sys.executable).parent


def vendor(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    rows: list[dict[str, Any]] = []
    if path == "/v1/users":
        rows = [{"id": "u1", "first_name": "Ada", "last_name": "L", "email": "ada@x.test"}]
    elif path == "/v1/applications":
        rows = [{"id": "a1", "status": "Hired", "job_id": "j1", "candidate": {"id": "c1", "first_name": "Bo"}}]
    elif path == "/v1/applications/a1/notes":
        rows = [{"id": "n1", "body": "<p>hi</p>"}]
    return httpx.Response(200, json={"data": rows})


def test_the_template_lints_type_checks_and_reads_as_written() -> None:
    tool = f"scaffold_{uuid.uuid4().hex[:8]}"
    target = CONNECTORS / tool
    try:
        result = CliRunner().invoke(main, ["new-connector", tool, "--label", "Scaffold"])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in target.iterdir()) == [
            "__init__.py",
            "actions.py",
            "api.py",
            "mappers.py",
            "streams.py",
        ]
        lint = subprocess.run([BIN / "ruff", "check", str(target)], capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout
        types = subprocess.run([BIN / "mypy", str(target)], capture_output=True, text=True)
        assert types.returncode == 0, types.stdout
        module = importlib.import_module(f"atsbridge.connectors.{tool}")
        connector = module.CONNECTOR
        assert [s.name for s in connector.streams] == ["users", "jobs", "applications", "notes"]
        assert connector.connect is not None and [f.key for f in connector.connect.fields] == ["api_key", "base_url"]
        info = IntegrationInfo("i", tool, {}, {"api_key": "k"})
        api = importlib.import_module(f"atsbridge.connectors.{tool}.api").API
        source = KitSource(api, api.client(info, httpx.MockTransport(vendor)), {}, streams=connector.streams)
        ctx = MapContext("i")

        async def read_all() -> dict[str, list[Any]]:
            out: dict[str, list[Any]] = {}
            for stream in connector.streams:
                async for page in source.read(stream, None):
                    for raw in page:
                        for rec in stream.mapper(raw, ctx):
                            out.setdefault(rec.model, []).append(rec)
            await source.aclose()
            return out

        records = asyncio.run(read_all())
        assert records["applications"][0].fields["outcome"] == "HIRED"
        assert records["notes"][0].fields["application_id"] == ctx.ref("applications", "a1")
        assert records["candidates"][0].fields["first_name"] == "Bo"
    finally:
        shutil.rmtree(target, ignore_errors=True)
        sys.modules.pop(f"atsbridge.connectors.{tool}", None)


def test_bad_or_taken_tool_keys_are_refused_without_writing(tmp_path: Path) -> None:
    runner = CliRunner()
    for args, message in [
        (["new-connector", "Bad-Key", "--into", str(tmp_path)], "TOOL must be"),
        (["new-connector", "lever", "--into", str(tmp_path)], "already taken"),
    ]:
        result = runner.invoke(main, args)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    (tmp_path / "acme").mkdir()
    result = runner.invoke(main, ["new-connector", "acme", "--into", str(tmp_path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert list((tmp_path / "acme").iterdir()) == []
    assert runner.invoke(main, ["new-connector", "--help"]).exit_code == 0
