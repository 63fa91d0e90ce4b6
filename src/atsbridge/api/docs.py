"""The human entry points: ``GET /`` and the Swagger UI at ``/v1/docs``, both working without internet.

FastAPI's built-in docs page loads Swagger UI from a CDN, so on an offline or firewalled host it is blank.
Swagger UI 5 is vendored under ``web/static/swagger-ui`` instead (see its SOURCE.txt) and served with the
dashboard's and Connect's own static files.
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

DOCS_PATH = "/v1/docs"
#: Where the vendored Swagger UI files are served (by the app's ``/static`` mount).
ASSETS_PATH = "/static/swagger-ui"

_HOME = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>atsbridge</title><link rel="stylesheet" href="/static/base.css"></head>
<body><main class="card" style="max-width:40rem;margin:2rem auto">
<h1>atsbridge {version}</h1>
<p>A self-hosted unified ATS API, wire-compatible with Kombo's ATS API.</p>
<ul>
<li><a href="/dashboard">Dashboard</a>: integrations, syncs, records, webhooks and API keys (operator token).</li>
<li><a href="{docs}">API reference</a>: every endpoint, tried from the browser (API key).</li>
<li><a href="/v1/openapi.json">OpenAPI document</a>.</li>
</ul>
</main></body>
</html>
"""


def home_page(version: str) -> str:
    """The landing page: a new user who opens the server's root finds the two places to go."""
    return _HOME.format(version=escape(version), docs=DOCS_PATH)


def install(app: FastAPI) -> None:
    """Serve ``/`` and the docs page. The app must be created with ``docs_url=None``."""
    page = home_page(app.version)

    async def home(_request: Request) -> Response:
        return HTMLResponse(page)

    async def docs(_request: Request) -> Response:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/v1/openapi.json",
            title=f"{app.title} API reference",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
            # No call to the public validator service (its badge is not shown in this layout anyway).
            swagger_ui_parameters={"validatorUrl": None},
        )

    app.add_route("/", home, methods=["GET"], include_in_schema=False)
    app.add_route(DOCS_PATH, docs, methods=["GET"], include_in_schema=False)
