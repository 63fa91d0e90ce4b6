"""Serve every HTML page from an *installed* atsbridge (run by tests/test_packaging.py with a fresh venv's Python).

Run as a script, so ``import atsbridge`` finds the installed wheel and never the repository's ``src/``. It seeds
a synced sandbox, an operator and Connect links in a fresh SQLite database, signs in, then GETs every page
route the app declares (filling its path parameters from the seed) and prints one JSON object:
``{"atsbridge": <file of the imported package>, "pages": {url: status}, "errors": {url: body excerpt}}``.
A route with a path parameter the probe cannot fill is reported as an error, so new pages cannot be missed.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import re
import sys
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi import APIRouter
from sqlalchemy import select
from starlette.routing import Route

import atsbridge
import atsbridge.dashboard.routes
from atsbridge.api.app import create_app
from atsbridge.api.docs import ASSETS_PATH
from atsbridge.connect import links
from atsbridge.connect import pages as connect_pages
from atsbridge.core.config import Settings
from atsbridge.dashboard import operators
from atsbridge.model.registry import SYNC_ORDER
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import MODEL_TABLES, sync_runs
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi

CSRF = re.compile(r'name="csrf(?:_token)?" value="([^"]+)"')


def seed(settings: Settings) -> dict[str, Any]:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with engine.begin() as conn:
        env = platform.create_environment(conn, "probe")
        iid = platform.create_integration(conn, env, "sandbox", "Probe Inc.", {"seed": 1, "size": "tiny"})
        _, token = operators.create(conn, "probe")
        link_id, secret = links.create(conn, environment_id=env, purpose="connect", organization_name="Probe Org")
        _, setup_secret = links.create(
            conn, environment_id=env, purpose="setup", organization_name="Probe Inc.", integration_id=iid
        )
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=True))
    assert result.status == "SUCCEEDED", result.error
    with engine.connect() as conn:
        run_id = conn.execute(select(sync_runs.c.id).where(sync_runs.c.integration_id == iid)).scalar_one()
        records = {
            model: conn.execute(
                select(MODEL_TABLES[model].c.id).where(MODEL_TABLES[model].c.integration_id == iid).limit(1)
            ).scalar()
            for model in SYNC_ORDER
        }
    engine.dispose()
    return {
        "env": env,
        "iid": iid,
        "token": token,
        "link_id": link_id,
        "secret": secret,
        "setup_secret": setup_secret,
        "run_id": run_id,
        "records": records,
    }


def page_routers() -> Iterator[tuple[str, APIRouter]]:
    """The routers of HTML pages: every dashboard routes module (found, not listed) and Connect's."""
    for info in pkgutil.iter_modules(atsbridge.dashboard.routes.__path__):
        module = importlib.import_module(f"atsbridge.dashboard.routes.{info.name}")
        if isinstance(getattr(module, "router", None), APIRouter):
            yield "/dashboard", module.router
    yield "", connect_pages.router


def page_urls(s: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Every GET page with its parameters filled; and the routes the probe could not fill."""
    fill = {
        "environment_id": [s["env"]],
        "integration_id": [s["iid"]],
        "run_id": [s["run_id"]],
        "link_id": [s["link_id"]],
        "secret": [s["secret"], f"{s['secret']}?tool=greenhouse", s["setup_secret"], "no-such-link"],
    }
    urls: list[str] = ["/", "/v1/docs", "/static/base.css", "/static/dashboard.css"]
    urls += [f"{ASSETS_PATH}/{name}" for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")]
    unfilled: list[str] = []
    routes = [(prefix, r) for prefix, router in page_routers() for r in router.routes if isinstance(r, Route)]
    for prefix, route in routes:
        if "GET" not in (route.methods or ()):
            continue
        path = prefix + route.path
        params = set(route.param_convertors)
        if params == {"integration_id", "model"}:
            urls += [path.format(integration_id=s["iid"], model=m) for m in SYNC_ORDER]
        elif params == {"integration_id", "model", "record_id"}:
            urls += [
                path.format(integration_id=s["iid"], model=m, record_id=rid) for m, rid in s["records"].items() if rid
            ]
        elif params <= set(fill):
            combos: list[dict[str, str]] = [{}]
            for name in sorted(params):
                combos = [{**c, name: v} for c in combos for v in fill[name]]
            urls += [path.format(**c) for c in combos]
        else:
            unfilled.append(path)
    return urls, unfilled


def main(database_url: str) -> None:
    settings = Settings(database_url=database_url, secret_key="probe-secret-" + "x" * 40, scheduler=False)
    s = seed(settings)
    pages: dict[str, int] = {}
    errors: dict[str, str] = {}
    with serve_asgi(create_app(settings)) as base, httpx.Client(base_url=base, timeout=60) as client:

        def get(url: str, key: str | None = None) -> str:
            response = client.get(url)
            pages[key or url] = response.status_code
            if response.status_code >= 500:
                errors[url] = response.text[:300]
            return response.text

        # Signed out: the dashboard redirects to its login page.
        get("/dashboard", "signed out: /dashboard")
        csrf = CSRF.search(get("/dashboard/login"))
        signed_in = client.post("/dashboard/login", data={"token": s["token"], "csrf_token": csrf[1] if csrf else ""})
        pages["POST /dashboard/login"] = signed_in.status_code

        urls, unfilled = page_urls(s)
        for path in unfilled:
            errors[path] = "the probe cannot fill this route's path parameters"
        for url in urls:
            get(url)
        get("/dashboard/syncs/no-such-run")  # the dashboard's own error page

        # The Connect flow's last page: picking the sandbox connects it.
        form = CSRF.search(get(f"/connect/{s['secret']}?tool=sandbox"))
        done = client.post(f"/connect/{s['secret']}", data={"csrf": form[1] if form else "", "tool": "sandbox"})
        pages["POST /connect/{secret}"] = done.status_code
        if done.status_code >= 500:
            errors["POST /connect/{secret}"] = done.text[:300]
    print(json.dumps({"atsbridge": atsbridge.__file__, "pages": pages, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1])
