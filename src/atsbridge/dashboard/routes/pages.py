"""Overview, environment, integration, sync run and Connect link pages, and the actions taken on them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from atsbridge.core.timeutil import utcnow
from atsbridge.dashboard.auth import PageNotFound, Viewer, Who, app_state, posted_form
from atsbridge.dashboard.queries import connect_links, environments, health, integrations, overview, syncs
from atsbridge.dashboard.render import page
from atsbridge.jobs.health import integration_health
from atsbridge.lifecycle.enable import set_enabled
from atsbridge.lifecycle.purge import delete_integration
from atsbridge.lifecycle.vendor_webhooks import auto_unregister
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.sync import holds

router = APIRouter(include_in_schema=False)

#: A queued or running sync's page reloads itself this often (a meta refresh: works without JavaScript).
RUN_REFRESH_SECONDS = 3

Crumbs = list[tuple[str, str]]


def _env_crumbs(env: environments.EnvironmentInfo) -> Crumbs:
    return [("Overview", "/dashboard"), (env.name, f"/dashboard/environments/{env.id}")]


@router.get("")
@router.get("/")
def overview_page(request: Request, who: Who) -> Response:
    state = app_state(request)
    with state.engine.connect() as conn:
        summary = overview.summary(conn, utcnow(), state.settings)
    return page("dashboard/overview.html", crumbs=[("Overview", "/dashboard")], summary=summary, **who.context())


def _environment_page(
    request: Request,
    who: Viewer,
    environment_id: str,
    after: str | None,
    *,
    new_key: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    state = app_state(request)
    now = utcnow()
    with state.engine.connect() as conn:
        env = environments.environment(conn, environment_id)
        if env is None:
            raise PageNotFound(f"environment '{environment_id}'")
        keys = environments.keys(conn, environment_id)
        listed, next_after = environments.integrations_page(conn, environment_id, after)
        states = health.health(conn, state.settings, listed, now)
        links = environments.recent_links(conn, environment_id)
    return page(
        "dashboard/environment.html",
        status_code=status_code,
        crumbs=_env_crumbs(env),
        env=env,
        keys=keys,
        integrations=listed,
        health=states,
        next_after=next_after,
        links=links,
        new_key=new_key,
        error=error,
        now=now,
        **who.context(),
    )


@router.get("/environments/{environment_id}")
def environment_page(request: Request, who: Who, environment_id: str, after: str | None = None) -> Response:
    return _environment_page(request, who, environment_id, after)


@router.post("/environments/{environment_id}/keys")
async def create_key(request: Request, who: Who, environment_id: str) -> Response:
    """The new key is rendered into this one response and never again (only its hash is kept)."""
    form = await posted_form(request, who)
    name = form.get("name", "").strip()
    state = app_state(request)
    with state.engine.connect() as conn:
        if environments.environment(conn, environment_id) is None:
            raise PageNotFound(f"environment '{environment_id}'")
    if not name or len(name) > 200:
        return _environment_page(
            request, who, environment_id, None, error="name: give the key a name (1-200 characters)", status_code=400
        )
    with state.engine.begin() as conn:
        key = platform.create_api_key(conn, environment_id, name)
    return _environment_page(request, who, environment_id, None, new_key=key)


@router.post("/environments/{environment_id}/keys/{key_id}/revoke")
async def revoke_key(request: Request, who: Who, environment_id: str, key_id: str) -> Response:
    await posted_form(request, who)
    with app_state(request).engine.begin() as conn:
        environments.revoke_key(conn, environment_id, key_id)
    return RedirectResponse(f"/dashboard/environments/{environment_id}", status_code=303)


def _integration_page(
    request: Request, who: Viewer, integration_id: str, *, error: str | None = None, status_code: int = 200
) -> Response:
    state = app_state(request)
    now = utcnow()
    with state.engine.connect() as conn:
        integration = integrations.get(conn, integration_id)
        if integration is None:
            raise PageNotFound(f"integration '{integration_id}'")
        env = environments.environment(conn, integration.environment_id)
        scope = integrations.scope(conn, integration_id)
        state_of = health.health(conn, state.settings, [integration], now)[integration_id]
        recent = integrations.runs(conn, integration_id)
        counts = integrations.record_counts(conn, integration_id, scope)
        links = integrations.links(conn, integration_id)
        held = holds.holds(conn, [integration_id])
        sync_health = integration_health(conn, state.settings, integration)
    assert env is not None  # integrations cascade with their environment
    return page(
        "dashboard/integration.html",
        status_code=status_code,
        crumbs=[*_env_crumbs(env), (integration.organization_name, f"/dashboard/integrations/{integration.id}")],
        integration=integration,
        config=integrations.visible_config(integration.config),
        scope=scope,
        health=state_of,
        runs=recent,
        counts=counts,
        links=links,
        held=held,
        sync_health=sync_health,
        error=error,
        now=now,
        **who.context(),
    )


@router.get("/integrations/{integration_id}")
def integration_page(request: Request, who: Who, integration_id: str) -> Response:
    return _integration_page(request, who, integration_id)


@router.post("/integrations/{integration_id}/sync")
async def sync_now(request: Request, who: Who, integration_id: str) -> Response:
    """Queue a FULL or DELTA run (an already queued or running one of the type is reused) and show it."""
    form = await posted_form(request, who)
    state = app_state(request)
    with state.engine.connect() as conn:
        integration = integrations.get(conn, integration_id)
    if integration is None:
        raise PageNotFound(f"integration '{integration_id}'")
    sync_type = form.get("type", "")
    if sync_type not in ("FULL", "DELTA"):
        return _integration_page(request, who, integration_id, error="type: must be FULL or DELTA", status_code=400)
    if not integration.enabled:
        return _integration_page(
            request,
            who,
            integration_id,
            error="this integration is disabled; enable it before syncing",
            status_code=409,
        )
    run_id, _, _ = runs.enqueue(state.engine, integration_id, sync_type, "dashboard")
    return RedirectResponse(f"/dashboard/syncs/{run_id}", status_code=303)


@router.post("/integrations/{integration_id}/confirm-deletions")
async def confirm_deletions(request: Request, who: Who, integration_id: str) -> Response:
    """Confirm the deletions the breaker holds (recorded with this operator's name) and queue the FULL sync
    that applies them."""
    await posted_form(request, who)
    _platform_integration(request, integration_id)
    state = app_state(request)
    try:
        holds.confirm(state.engine, integration_id, f"operator:{who.operator.name}")
    except holds.NothingHeld as exc:
        return _integration_page(request, who, integration_id, error=str(exc), status_code=409)
    run_id, _, _ = runs.enqueue(state.engine, integration_id, "FULL", "confirm")
    return RedirectResponse(f"/dashboard/syncs/{run_id}", status_code=303)


def _platform_integration(request: Request, integration_id: str) -> platform.Integration:
    with app_state(request).engine.connect() as conn:
        found = platform.get_integration(conn, integration_id)
    if found is None:
        raise PageNotFound(f"integration '{integration_id}'")
    return found


@router.post("/integrations/{integration_id}/enabled")
async def set_integration_enabled(request: Request, who: Who, integration_id: str) -> Response:
    """Disable (stops syncing and serving; credentials and data are kept) or enable again (queues a delta)."""
    form = await posted_form(request, who)
    integration = _platform_integration(request, integration_id)
    value = form.get("value", "")
    if value not in ("true", "false"):
        return _integration_page(request, who, integration_id, error="value: must be true or false", status_code=400)
    state = app_state(request)
    if value == "false":  # the vendor stops pushing to a URL that would refuse it
        await auto_unregister(state.engine, state.settings, integration)
    set_enabled(state.engine, integration, value == "true")
    state.forget_integration(integration_id)
    return RedirectResponse(f"/dashboard/integrations/{integration_id}", status_code=303)


@router.post("/integrations/{integration_id}/delete")
async def delete_integration_page(request: Request, who: Who, integration_id: str) -> Response:
    """Irreversible, so the operator must type the organisation's name (no JavaScript confirm needed)."""
    form = await posted_form(request, who)
    integration = _platform_integration(request, integration_id)
    if form.get("confirm", "").strip() != integration.organization_name:
        message = f"confirm: type the organisation name '{integration.organization_name}' to delete this integration"
        return _integration_page(request, who, integration_id, error=message, status_code=400)
    state = app_state(request)
    await auto_unregister(state.engine, state.settings, integration)
    delete_integration(state.engine, integration)
    state.forget_integration(integration_id)
    return RedirectResponse(f"/dashboard/environments/{integration.environment_id}", status_code=303)


@router.get("/syncs/{run_id}")
def sync_page(request: Request, who: Who, run_id: str) -> Response:
    with app_state(request).engine.connect() as conn:
        found = syncs.get(conn, run_id)
        if found is None:
            raise PageNotFound(f"sync run '{run_id}'")
        integration_id, run = found
        integration = integrations.get(conn, integration_id)
        env = environments.environment(conn, integration.environment_id) if integration else None
    if integration is None or env is None:
        raise PageNotFound(f"sync run '{run_id}'")
    return page(
        "dashboard/sync.html",
        crumbs=[
            *_env_crumbs(env),
            (integration.organization_name, f"/dashboard/integrations/{integration.id}"),
            (run.id, f"/dashboard/syncs/{run.id}"),
        ],
        integration=integration,
        run=run,
        refresh_seconds=RUN_REFRESH_SECONDS,
        **who.context(),
    )


@router.get("/connect-links/{link_id}")
def connect_link_page(request: Request, who: Who, link_id: str) -> Response:
    with app_state(request).engine.connect() as conn:
        link = connect_links.get(conn, link_id)
        env = environments.environment(conn, link.environment_id) if link else None
    if link is None or env is None:
        raise PageNotFound(f"Connect link '{link_id}'")
    return page(
        "dashboard/connect_link.html",
        crumbs=[*_env_crumbs(env), (f"Connect link {link.id}", f"/dashboard/connect-links/{link.id}")],
        link=link,
        now=utcnow(),
        **who.context(),
    )
