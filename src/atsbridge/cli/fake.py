"""``atsbridge fake-ats TOOL``: serve a stateful fake of a vendor's API, and say how to connect to it.

It prints the fake's credentials, the exact ``atsbridge integrations create`` line to use, and where its
control API is (``/__fake/state``, ``/__fake/simulate``, ``/__fake/faults``, ``/__fake/requests``; see
docs/fakes.md), so a demo or a customer's CI needs nothing else. Kept out of ``cli/main.py`` on purpose: it
is a tool of its own.
"""

from __future__ import annotations

import importlib
import pkgutil
import shlex
from types import ModuleType
from typing import Any

import click


def _fakes() -> list[str]:
    from atsbridge import fakes

    return sorted(m.name for m in pkgutil.iter_modules(fakes.__path__) if m.ispkg and m.name != "kit")


def _module(tool: str) -> ModuleType:
    if tool not in _fakes():
        raise click.BadParameter(f"no fake for {tool!r}; available: {', '.join(_fakes())}", param_hint="TOOL")
    return importlib.import_module(f"atsbridge.fakes.{tool}")


def _pairs(option: str, values: dict[str, Any]) -> list[str]:
    return [f"{option} {shlex.quote(f'{k}={v}')}" for k, v in values.items()]


def instructions(tool: str, url: str) -> list[str]:
    """What ``fake-ats`` prints: the fake's credentials and configuration, and how to connect to it."""
    config, credentials = _module(tool).conformance_setup(url)
    explicit = " ".join(["atsbridge integrations create", tool, *_pairs("--credential", credentials),
                         *_pairs("--config", config)])  # fmt: skip
    return [
        f"fake {tool} API on {url}",
        "credentials:  " + " ".join(f"{k}={v}" for k, v in credentials.items()),
        "config:       " + " ".join(f"{k}={v}" for k, v in config.items()),
        f"connect:      atsbridge integrations create {tool} --fake {url}",
        f"explicitly:   {explicit}",
        f"control API:  {url}/__fake/state | /__fake/simulate | /__fake/faults | /__fake/requests (docs/fakes.md)",
    ]


@click.command("fake-ats")
@click.argument("tool")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--seed", default=1, show_default=True, type=int, help="Seed of the fake's generated data.")
@click.option(
    "--records", default=200, show_default=True, type=click.IntRange(1, 100_000), help="About how many applications."
)
@click.option("--no-rate-limit", is_flag=True, help="Serve without the vendor's rate limit.")
@click.option("--dry-run", is_flag=True, help="Print the credentials and the connect line, do not serve.")
def fake_ats(tool: str, host: str, port: int, seed: int, records: int, no_rate_limit: bool, dry_run: bool) -> None:
    """Run a stateful fake of TOOL's API (for demos, end-to-end tests and your own CI).

    \b
    Examples:
      atsbridge fake-ats greenhouse --port 9001 &
      atsbridge integrations create greenhouse --fake http://127.0.0.1:9001
      curl -X POST http://127.0.0.1:9001/__fake/simulate -d '{"steps": 10, "seed": 1}'
    """
    module = _module(tool)
    url = f"http://{host}:{port}"
    for line in instructions(tool, url):
        click.echo(line)
    if dry_run:
        return
    import uvicorn

    extra: dict[str, Any] = {"rate_limit": None} if no_rate_limit else {}
    app = module.create_app(seed=seed, records=records, **extra)
    uvicorn.run(app, host=host, port=port, log_level="warning")
