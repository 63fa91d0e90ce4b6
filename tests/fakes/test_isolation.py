"""Fakes never import connector code (nor the API, sync or store layers): a wrong connector declaration must
not hide in the fake that tests it, and a customer's CI can run a fake alone."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

FAKES = Path(importlib.import_module("atsbridge.fakes").__path__[0])
FORBIDDEN = ("atsbridge.connectors", "atsbridge.api", "atsbridge.sync", "atsbridge.store", "atsbridge.writes")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_fakes_import_no_connector_code() -> None:
    files = sorted(FAKES.rglob("*.py"))
    assert len(files) > 40
    offending = {
        f"{path.relative_to(FAKES)}: {name}" for path in files for name in _imports(path) if name.startswith(FORBIDDEN)
    }
    assert not offending, sorted(offending)
