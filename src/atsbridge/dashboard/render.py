"""Rendering dashboard pages: the shared Jinja2 environment plus the dashboard's filters and context."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from atsbridge.dashboard import humanize
from atsbridge.web import templates

_FILTERS: dict[str, Any] = {
    "ts": humanize.timestamp,
    "ago": humanize.ago,
    "badge": humanize.badge,
}


def _install_filters() -> None:
    env = templates.environment()
    for name, func in _FILTERS.items():
        env.filters.setdefault(name, func)
    env.globals.setdefault("duration", humanize.duration)


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a dashboard template (``dashboard/...``) with the dashboard filters available."""
    _install_filters()
    return templates.render(template, status_code=status_code, **context)
