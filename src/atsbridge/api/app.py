"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy import Engine
from starlette.staticfiles import StaticFiles

from atsbridge import __version__
from atsbridge.api import docs, errors, files, openapi
from atsbridge.api.bodyguard import BodyGuard
from atsbridge.api.routes import ats, general, scopes, tools, writes
from atsbridge.api.routes import connect as connect_api
from atsbridge.api.routes import fields as field_routes
from atsbridge.api.routes import integrations as integration_routes
from atsbridge.api.routes import passthrough as passthrough_routes
from atsbridge.api.routes import status_map as status_map_routes
from atsbridge.api.routes import sync_health as sync_health_routes
from atsbridge.api.routes import vendor_webhooks as vendor_webhook_routes
from atsbridge.api.routes import webhooks as webhook_routes
from atsbridge.api.textguard import refuse_control_characters
from atsbridge.api.timing import ServerTiming
from atsbridge.connect import pages as connect_pages
from atsbridge.core import logredact
from atsbridge.core.config import Settings, get_settings
from atsbridge.core.cursor import CursorCodec
from atsbridge.dashboard import install as install_dashboard
from atsbridge.jobs import make_backend
from atsbridge.model.registry import MODELS
from atsbridge.runtime.state import AppState
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.webhooks.runner import start_dispatcher

#: Records served with ``integration_fields`` (the rest carry ``remote_data`` only).
WITH_INTEGRATION_FIELDS = frozenset({"applications", "candidates", "jobs", "offers"})


def create_app(settings: Settings | None = None, engine: Engine | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url, echo=settings.sql_echo)
    if migrate:
        upgrade(engine)
    secret = platform.platform_secret(engine, settings.secret_key)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        backend = make_backend(engine, settings)  # procrastinate: this process never runs syncs itself
        backend.start()
        _app.state.atsbridge.jobs = backend
        dispatcher = start_dispatcher(engine, settings)
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()
            backend.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="atsbridge",
        version=__version__,
        description="Self-hosted unified ATS API, wire-compatible with Kombo's ATS API.",
        openapi_url="/v1/openapi.json",
        docs_url=None,  # served by api.docs, with local assets
        redoc_url=None,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.atsbridge = AppState(settings=settings, engine=engine, secret=secret, cursors=CursorCodec(secret))
    errors.install(app)
    app.include_router(general.router, prefix="/v1")
    app.include_router(ats.router, prefix="/v1")
    app.include_router(writes.router, prefix="/v1")
    app.include_router(tools.router, prefix="/v1")
    app.include_router(scopes.router, prefix="/v1")
    app.include_router(files.router, prefix="/v1")
    app.include_router(connect_api.router, prefix="/v1")
    app.include_router(connect_pages.router)
    logredact.install()  # secrets in URL paths (Connect links, exchange and file tokens) never reach a log
    install_dashboard(app)
    app.include_router(integration_routes.router, prefix="/v1")
    app.include_router(passthrough_routes.router, prefix="/v1")
    app.include_router(field_routes.router, prefix="/v1")
    app.include_router(status_map_routes.router, prefix="/v1")
    app.include_router(vendor_webhook_routes.router, prefix="/v1")
    app.include_router(sync_health_routes.router, prefix="/v1")
    app.include_router(webhook_routes.router, prefix="/v1")
    app.mount("/static", StaticFiles(packages=[("atsbridge.web", "static")]), name="static")
    docs.install(app)
    app.add_middleware(ServerTiming)
    openapi.install(app, {spec.wire.__name__: spec.name in WITH_INTEGRATION_FIELDS for spec in MODELS.values()})
    app.add_middleware(BodyGuard, state=app.state.atsbridge)  # outermost: before anything reads a body
    return app
