"""One Jinja2 environment for every server-rendered page (autoescaped; templates live next to their routes)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse

#: Packages with a ``templates/`` folder; the shared base layout lives in ``atsbridge.web``.
TEMPLATE_PACKAGES = ("atsbridge.web", "atsbridge.connect", "atsbridge.dashboard")


@lru_cache(maxsize=1)
def environment() -> Environment:
    loaders = []
    for package in TEMPLATE_PACKAGES:
        try:
            loaders.append(PackageLoader(package, "templates"))
        except (ModuleNotFoundError, ValueError):  # a package without templates (yet)
            continue
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """Render a page with headers that keep it from being framed by strangers or loading foreign assets."""
    html = environment().get_template(template).render(**context)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
