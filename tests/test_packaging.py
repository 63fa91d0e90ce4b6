"""The built wheel works on its own: every data file under ``src/atsbridge`` ships, and an installed copy serves
every page (the dashboard once answered 500 ``TemplateNotFound`` from a wheel, though it worked from a checkout).

The wheel is built offline from a copy of the sources (``--no-build-isolation``, with the setuptools of this
environment) and installed with ``--no-deps`` into a fresh venv that reuses this environment's dependencies
through a ``.pth`` line. This environment's own editable ``atsbridge`` is not visible there: a ``.pth`` file in a
directory named by another ``.pth`` line is never processed, so ``import atsbridge`` can only find the wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "atsbridge"
PROBE = Path(__file__).with_name("packaging_probe.py")

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _data_files() -> set[str]:
    """Every file of the package that is not Python source, as a wheel names it."""
    return {
        p.relative_to(PACKAGE.parent).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a clean copy of the sources (no build/ or egg-info left in the checkout)."""
    tree = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(PACKAGE, tree / "src" / "atsbridge", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", dist, tree, cwd=tree)
    [built] = dist.glob("atsbridge-*.whl")
    return built


def test_every_data_file_is_in_the_wheel(wheel: Path) -> None:
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = _data_files()
    assert "atsbridge/dashboard/templates/dashboard/login.html" in expected  # the one a wheel once lacked
    assert expected - shipped == set(), "add them to [tool.setuptools.package-data] in pyproject.toml"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed in it; returns its Python."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=home).strip()
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel, cwd=home)
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}  # after the wheel: never ahead
    (Path(purelib) / "reuse-test-env.pth").write_text("\n".join(sorted(deps)) + "\n")
    return python


def test_the_installed_wheel_serves_every_page(installed: Path, tmp_path: Path) -> None:
    out = _run(installed, PROBE, f"sqlite:///{tmp_path / 'probe.db'}", cwd=tmp_path)
    report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    assert Path(report["atsbridge"]).is_relative_to(installed.parent.parent), report["atsbridge"]
    assert report["errors"] == {}
    pages: dict[str, int] = report["pages"]
    expected = {
        "signed out: /dashboard": 303,
        "POST /dashboard/login": 303,
        "/connect/no-such-link": 404,
        "/dashboard/syncs/no-such-run": 404,
    }
    # the Connect page's JSON status of a vendor's first webhook answers only for links that just connected
    status = {url: 404 for url in pages if url.split("?")[0].endswith("/webhook-status")}
    wrong = {url: code for url, code in pages.items() if code != {**status, **expected}.get(url, 200)}
    assert wrong == {}
    # The probe reached every kind of page: dashboard, records, webhooks, Connect (pick, form, setup, done), docs.
    for part in ("/records/applications/", "/webhooks", "/connect-links/", "?tool=greenhouse", "/static/swagger-ui/"):
        assert any(part in url for url in pages), part
    assert len(pages) > 40
