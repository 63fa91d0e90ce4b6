"""The package layout is a map of the architecture: no package imports one above it.

Layers, bottom first. A module may import its own package and any package on a lower layer; packages on the
same layer do not import each other. ``fakes`` sits beside ``connectors`` on purpose: a fake must never see the
connector it tests (a wrong declaration could hide in the fake), and ``tests/fakes`` checks that separately.
"""

from __future__ import annotations

import ast
from pathlib import Path

import atsbridge

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("model",),
    ("store",),
    ("web",),  # the HTML shell (templates, forms) shared by Connect pages, the dashboard and error pages
    ("connectors", "fakes"),
    ("fields", "scopes"),
    ("webhooks",),
    ("sync",),
    ("lifecycle",),
    ("jobs", "runtime"),
    ("writes", "passthrough"),
    ("connect",),
    ("dashboard",),
    ("api",),
    ("cli", "testing"),
    ("__main__",),
)
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}
ROOT = Path(atsbridge.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("atsbridge."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "atsbridge":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("atsbridge."))
    return found


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def test_every_package_has_a_layer() -> None:
    packages = {_package(p) for p in ROOT.rglob("*.py")} - {"__init__"}
    assert packages <= set(LEVEL), f"give these a layer in {__file__}: {sorted(packages - set(LEVEL))}"


def test_no_package_imports_one_above_it() -> None:
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        mine = _package(path)
        if mine == "__init__":
            continue
        for target in _imports(path) - {mine}:
            if target in LEVEL and LEVEL[target] >= LEVEL[mine]:
                upward.append(f"{path.relative_to(ROOT)} imports atsbridge.{target}")
    assert upward == [], "\n".join(upward)
