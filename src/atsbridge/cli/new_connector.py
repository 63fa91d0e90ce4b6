"""``atsbridge new-connector TOOL``: write a new vendor folder on the connector kit, ready to fill in.

The folder lints and type-checks as written; docs/connectors.md walks through filling it in, end to end.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

import atsbridge.connectors
from atsbridge.connectors.kit.scaffold import render
from atsbridge.connectors.registry import BUILTIN

#: A tool key is a Python package name (it becomes ``atsbridge.connectors.<tool>``) and a URL segment.
TOOL_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@click.command("new-connector")
@click.argument("tool")
@click.option("--label", help="The vendor's display name (default: the tool key, capitalised).")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create the vendor package in (default: atsbridge's connectors package).",
)
def new_connector(tool: str, label: str | None, into: Path | None) -> None:
    """Write a new connector folder for TOOL (declaration, streams, mappers, writes) from the kit's template."""
    if not TOOL_KEY.match(tool):
        raise click.ClickException(f"TOOL must be 2-40 lower-case letters, digits or _, from a letter on: {tool!r}")
    if tool in BUILTIN or tool in {"kit", "http"}:
        raise click.ClickException(f"{tool!r} is already taken in atsbridge.connectors")
    parent = into if into is not None else Path(atsbridge.connectors.__file__).parent
    target = parent / tool
    if target.exists():
        raise click.ClickException(f"{target} already exists; nothing was written")
    try:
        target.mkdir(parents=True)
        for name, text in render(tool, label or tool.replace("_", " ").title()).items():
            (target / name).write_text(text)
    except OSError as exc:
        raise click.ClickException(f"could not write {target}: {exc.strerror or exc}") from None
    click.echo(f"wrote {target}")
    click.echo("next: fill in api.py (base URL, auth, pager), streams.py and mappers.py from the vendor's docs;")
    click.echo(f'      register "{tool}": "atsbridge.connectors.{tool}" in connectors/registry.py BUILTIN;')
    click.echo("      add the vendor's fake and recorded payloads; see docs/connectors.md")
