"""The operator dashboard: server-rendered pages under ``/dashboard`` for self-hosting admins.

Environments and API keys, integrations with their health, sync runs and their logs, webhook deliveries,
Connect flows and a browser of unified records. Operators sign in with a token (``atsbridge operators
create``); nothing secret (credentials, key hashes, webhook secrets, link tokens) is ever rendered.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from atsbridge.dashboard.auth import CsrfRejected, LoginRequired, PageNotFound


def install(app: FastAPI) -> None:
    """Mount the dashboard routes on ``/dashboard`` and turn its failures into pages."""
    from atsbridge.dashboard.render import page
    from atsbridge.dashboard.routes import auth, pages, records, webhooks

    for module in (auth, pages, webhooks, records):
        app.include_router(module.router, prefix="/dashboard")

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(exc.location(), status_code=303)

    @app.exception_handler(CsrfRejected)
    async def _csrf(_request: Request, _exc: CsrfRejected) -> Response:
        return page(
            "dashboard/error.html",
            status_code=403,
            title="Form expired",
            message="csrf_token: missing or invalid; reload the page and submit the form again.",
        )

    @app.exception_handler(PageNotFound)
    async def _missing(_request: Request, exc: PageNotFound) -> Response:
        return page("dashboard/error.html", status_code=404, title="Not found", message=f"No {exc.what}.")
