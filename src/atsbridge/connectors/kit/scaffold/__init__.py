"""The vendor folder ``atsbridge new-connector TOOL`` writes: each module's text, with ``$tool`` (the tool key),
``$label`` (its display name) and ``$upper`` (the key in capitals) to fill in.

Kept as Python strings (not files) so they ship with the package and a test can render, lint and type-check
them: a template that does not pass ruff and mypy would teach every new connector a mistake.
"""

from __future__ import annotations

from string import Template

from atsbridge.connectors.kit.scaffold import files


def render(tool: str, label: str) -> dict[str, str]:
    """File name -> text of a new vendor folder."""
    values = {"tool": tool, "label": label, "upper": tool.upper()}
    return {name: Template(text).substitute(values) for name, text in files.FILES.items()}
