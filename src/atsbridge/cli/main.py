"""The ``atsbridge`` command line."""

from __future__ import annotations

import asyncio
from typing import Any

import click
import orjson
from sqlalchemy import Engine, select

from atsbridge.cli import common
from atsbridge.cli.errors import SafeGroup, quiet_logging
from atsbridge.cli.progress import Progress
from atsbridge.core.config import Settings, get_settings
from atsbridge.store import platform
from atsbridge.store.tables import sync_runs

SIZES = ("tiny", "small", "medium", "large")
#: Long-running servers keep full log records (with tracebacks) for their operators.
SERVERS = frozenset({"serve", "worker", "fake-ats"})


def _settings() -> Settings:
    return common.settings()


def _engine() -> Engine:
    return common.engine()


def _environment(engine: Engine, environment_id: str | None) -> str:
    return common.environment(engine, environment_id)


def _estimates(engine: Engine, integration_id: str) -> dict[str, int]:
    """Expected vendor records per stream of a full sync: what the previous syncs stored of its first model."""
    from atsbridge.connectors.registry import get_connector
    from atsbridge.dashboard.queries.integrations import record_counts, scope

    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
        if integration is None:
            return {}
        live = {c.model: c.live for c in record_counts(conn, integration_id, scope(conn, integration_id))}
    streams = get_connector(integration.tool).streams
    return {s.name: live[s.models[0]] for s in streams if s.models and live.get(s.models[0])}


def run_sync(engine: Engine, integration_id: str, full: bool | None) -> dict[str, Any]:
    from atsbridge.jobs.runner import run_sync

    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
    first = integration is not None and integration.first_synced_at is None
    progress = Progress(_estimates(engine, integration_id) if full or first else None)
    result = asyncio.run(run_sync(engine, get_settings(), integration_id, full=full, progress=progress))
    progress.done()
    for model, stats in sorted(result.models.items()):
        click.echo(
            f"  {model:<20} created {stats.created:>8,}  updated {stats.updated:>8,}  "
            f"deleted {stats.deleted:>6,}  unchanged {stats.unchanged:>8,}",
            err=True,
        )
    for trip in result.breaker_trips:
        click.echo(f"  breaker: {trip}", err=True)
    if result.status != "SUCCEEDED":
        raise click.ClickException(f"sync {result.run_id} failed: {result.error}")
    return result.stats()


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """atsbridge: a self-hosted unified ATS API, wire-compatible with Kombo's.

    Configuration comes from ATSBRIDGE_* environment variables (see the README). Data lives in
    ATSBRIDGE_DATA_DIR (default $XDG_DATA_HOME/atsbridge, else ~/.local/share/atsbridge) unless
    ATSBRIDGE_DATABASE_URL names another database. ATSBRIDGE_DEBUG=1 shows tracebacks of unexpected errors.
    """
    if ctx.invoked_subcommand not in SERVERS:
        quiet_logging()


def _register_worker() -> None:
    from atsbridge.cli.worker import worker

    main.add_command(worker)


@main.command()
@click.option("--host", default=None, help="Interface to bind (default ATSBRIDGE_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default ATSBRIDGE_PORT or 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the API (migrates the database first)."""
    import uvicorn

    from atsbridge.api.app import create_app
    from atsbridge.api.server import uvicorn_options

    settings = _settings()
    common.prepare_database(settings)
    app = create_app(settings)
    uvicorn.run(
        app, host=host or settings.host, port=port or settings.port, log_level="info", **uvicorn_options(settings)
    )


@main.command()
@click.option("--data-dir", "data_dir_only", is_flag=True, help="Print only the data directory (for scripts).")
def info(data_dir_only: bool) -> None:
    """Say where atsbridge keeps its data: data directory, database, secret key (never its value)."""
    current = _settings()
    if data_dir_only:
        click.echo(current.data_dir)
        return
    database = common.display_url(current.database_url)
    secret = "ATSBRIDGE_SECRET_KEY" if current.secret_key else "generated once and kept in the database"
    click.echo(f"data directory: {current.data_dir}")
    click.echo(f"database:       {database}{' (default)' if current.database_is_default() else ''}")
    click.echo(f"secret key:     {secret}")


@main.command()
def migrate() -> None:
    """Apply database migrations."""
    _engine()
    click.echo("database is up to date")


@main.group()
def keys() -> None:
    """Manage API keys."""


@keys.command("create")
@click.option("--name", required=True, help="A label for the key (shown in listings).")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def keys_create(name: str, environment_id: str | None) -> None:
    """Create an API key. The key is printed once, as the last line; only its hash is stored."""
    engine = _engine()
    env = _environment(engine, environment_id)
    with engine.begin() as conn:
        key = platform.create_api_key(conn, env, name)
    click.echo(f"environment: {env}", err=True)
    click.echo(key)


@keys.command("list")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
@click.option("--all", "show_all", is_flag=True, help="Include revoked keys.")
def keys_list(environment_id: str | None, show_all: bool) -> None:
    """List API keys: id, name, prefix, created, state (never the keys themselves)."""
    from atsbridge.dashboard.queries.environments import keys as environment_keys

    engine = _engine()
    env = _environment(engine, environment_id)
    with engine.connect() as conn:
        found = environment_keys(conn, env)
    for k in found:
        if k.revoked_at is not None and not show_all:
            continue
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        click.echo(f"{k.id}\t{k.name}\t{k.prefix}…\t{k.created_at:%Y-%m-%d %H:%M}\t{state}")


@keys.command("revoke")
@click.argument("key_id")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def keys_revoke(key_id: str, environment_id: str | None) -> None:
    """Revoke an API key by its id (see `atsbridge keys list`): requests with it get 401 at once."""
    from atsbridge.dashboard.queries.environments import revoke_key

    engine = _engine()
    env = _environment(engine, environment_id)
    with engine.begin() as conn:
        revoked = revoke_key(conn, env, key_id)
    if not revoked:
        raise click.BadParameter(f"no active key {key_id!r} in environment {env}", param_hint="KEY_ID")
    click.echo(f"revoked {key_id}")


@main.group()
def environments() -> None:
    """Manage environments (each has its own keys, integrations, webhooks and scope configs)."""


@environments.command("create")
@click.option("--name", required=True, help="A label for the environment (e.g. production, staging).")
def environments_create(name: str) -> None:
    """Create an environment. Prints its id as the last line."""
    if not name.strip() or len(name) > 200:
        raise click.BadParameter("expected 1 to 200 characters", param_hint="--name")
    engine = _engine()
    with engine.begin() as conn:
        env = platform.create_environment(conn, name.strip())
    click.echo(env)


@environments.command("list")
def environments_list() -> None:
    """List environments: id, name, integrations, active keys, created."""
    from atsbridge.dashboard.queries.overview import environment_rows

    engine = _engine()
    with engine.connect() as conn:
        rows = environment_rows(conn)
    for e in rows:
        click.echo(f"{e.id}\t{e.name}\t{e.integrations} integrations\t{e.keys} keys\t{e.created_at:%Y-%m-%d %H:%M}")


@main.group()
def integrations() -> None:
    """Manage integrations."""


def _pairs(values: tuple[str, ...], option: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=option)
        out[key] = int(value) if value.isdigit() else {"true": True, "false": False}.get(value, value)
    return out


@integrations.command("create")
@click.argument("tool")
@click.option(
    "--size", default="small", show_default=True, help=f"Sandbox size: {', '.join(SIZES)} or a number of applications."
)
@click.option("--seed", default=1, show_default=True, type=int, help="Sandbox generator seed.")
@click.option("--name", "org_name", default="Sandbox Inc.", show_default=True, help="End customer's organisation name.")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
@click.option("--config", "config_pairs", multiple=True, metavar="KEY=VALUE", help="Tool setting (repeatable).")
@click.option(
    "--credential",
    "credential_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Tool credential (repeatable; stored encrypted).",
)
@click.option(
    "--fake", "fake_url", default=None, metavar="URL", help="Point at a running `atsbridge fake-ats TOOL` server."
)
@click.option("--no-sync", is_flag=True, help="Do not run the first sync now.")
def integrations_create(
    tool: str,
    size: str,
    seed: int,
    org_name: str,
    environment_id: str | None,
    config_pairs: tuple[str, ...],
    credential_pairs: tuple[str, ...],
    fake_url: str | None,
    no_sync: bool,
) -> None:
    """Connect an integration of TOOL and run its first sync. Prints the integration id as the last line.

    \b
    Examples:
      atsbridge integrations create sandbox --size medium
      atsbridge fake-ats greenhouse --port 9001 &
      atsbridge integrations create greenhouse --fake http://127.0.0.1:9001
      atsbridge integrations create lever --credential api_key=... --config perform_as=...
    """
    import importlib
    from urllib.parse import urlsplit

    from atsbridge.connect.service import create_integration
    from atsbridge.connectors.registry import known_tools

    if tool not in known_tools():
        raise click.BadParameter(f"unknown tool {tool!r}; available: {', '.join(known_tools())}", param_hint="TOOL")
    config = _pairs(config_pairs, "--config")
    credentials = _pairs(credential_pairs, "--credential")
    if tool == "sandbox":
        size_value: str | int = int(size) if size.isdigit() else size
        if isinstance(size_value, str) and size_value not in SIZES:
            raise click.BadParameter(f"expected one of {', '.join(SIZES)} or a number", param_hint="--size")
        config = {"seed": seed, "size": size_value, **config}
    if fake_url is not None:
        parsed = urlsplit(fake_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise click.BadParameter(f"expected http://HOST:PORT, got {fake_url[:100]!r}", param_hint="--fake")
        try:
            fake = importlib.import_module(f"atsbridge.fakes.{tool}")
        except ModuleNotFoundError:
            raise click.BadParameter(f"there is no fake {tool} server", param_hint="--fake") from None
        fake_config, fake_credentials = fake.conformance_setup(fake_url.rstrip("/"))
        config = {**fake_config, "sync_all_applications": True, **config}
        credentials = {**fake_credentials, **credentials}
    engine = _engine()
    env = _environment(engine, environment_id)
    _check_reachable(engine, tool, config, credentials, fake_url)
    integration_id = create_integration(
        engine, get_settings(), env, tool, org_name, config=config, credentials=credentials or None
    )
    click.echo(f"integration: {integration_id}", err=True)
    if not no_sync:
        try:
            run_sync(engine, integration_id, full=True)
        except click.ClickException as exc:
            # A half-created integration would be synced by `serve` forever: nothing is left behind.
            _discard(engine, integration_id)
            raise click.ClickException(
                f"{exc.format_message()}; the integration was not kept (fix the problem and run the command again)"
            ) from None
        except BaseException:
            _discard(engine, integration_id)
            raise
    click.echo(integration_id)


def _check_reachable(
    engine: Engine, tool: str, config: dict[str, Any], credentials: dict[str, Any], fake_url: str | None
) -> None:
    """Ask the vendor to accept the credentials before anything is stored (as the Connect page does)."""
    from atsbridge.connect.flow import check
    from atsbridge.connectors.base import IntegrationInfo
    from atsbridge.connectors.http.probe import CHECK_TIMEOUT_SECONDS
    from atsbridge.connectors.registry import get_connector

    connector = get_connector(tool)
    if connector.connect is None:
        return
    settings = _settings()
    timeout = min(CHECK_TIMEOUT_SECONDS, settings.connect_verify_timeout_seconds)
    info = IntegrationInfo(f"{tool}:check", tool, {**config, "timeout_seconds": timeout}, credentials, engine=engine)
    problem = asyncio.run(check(connector.connect, info, connector.label, settings.connect_verify_timeout_seconds))
    if problem is not None:
        base = fake_url or config.get("base_url") or config.get("subdomain")
        where = f" at {base}" if isinstance(base, str) and base else ""
        raise click.ClickException(f"{tool}{where}: {problem}; nothing was created")


def _discard(engine: Engine, integration_id: str) -> None:
    """Remove an integration nobody was told about (no integration-deleted event: it never went live)."""
    from sqlalchemy import update

    from atsbridge.lifecycle.purge import purge
    from atsbridge.store.tables import integrations as integrations_table

    with engine.begin() as conn:  # invisible at once, as `purge` requires, before its rows go
        conn.execute(
            update(integrations_table)
            .where(integrations_table.c.id == integration_id)
            .values(status=platform.DELETED, enabled=False)
        )
    purge(engine, integration_id)


def _integration_or_fail(engine: Engine, integration_id: str) -> platform.Integration:
    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
    if integration is None:
        raise click.BadParameter(f"no integration {integration_id!r}", param_hint="INTEGRATION_ID")
    return integration


@integrations.command("show")
@click.argument("integration_id")
def integrations_show(integration_id: str) -> None:
    """Show one integration as JSON: status, config (without secrets), record counts, last sync runs."""
    from atsbridge.dashboard.queries import integrations as queries

    engine = _engine()
    integration = _integration_or_fail(engine, integration_id)
    with engine.connect() as conn:
        counts = queries.record_counts(conn, integration_id, queries.scope(conn, integration_id))
        runs = queries.runs(conn, integration_id, limit=5)
    shown = {
        "id": integration.id,
        "environment_id": integration.environment_id,
        "tool": integration.tool,
        "organization_name": integration.organization_name,
        "status": integration.status,
        "status_reason": integration.status_reason,
        "setup_status": integration.setup_status,
        "enabled": integration.enabled,
        "created_at": str(integration.created_at),
        "first_synced_at": str(integration.first_synced_at) if integration.first_synced_at else None,
        "config": queries.visible_config(integration.config),
        "records": {c.model: {"live": c.live, "deleted": c.deleted} for c in counts if c.live or c.deleted},
        "recent_syncs": [{"id": r.id, "type": r.type, "status": r.status, "error": r.error} for r in runs],
    }
    click.echo(orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode())


@integrations.command("delete")
@click.argument("integration_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def integrations_delete(integration_id: str, yes: bool) -> None:
    """Delete an integration: it stops serving and syncing at once and all of its data is purged (irreversible)."""
    from atsbridge.lifecycle.purge import delete_integration
    from atsbridge.lifecycle.vendor_webhooks import auto_unregister

    engine = _engine()
    integration = _integration_or_fail(engine, integration_id)
    if not yes:
        click.confirm(
            f"Delete {integration.id} ({integration.organization_name}) and all of its data?", abort=True, err=True
        )
    asyncio.run(auto_unregister(engine, get_settings(), integration))
    purged = delete_integration(engine, integration)
    click.echo(f"deleted {integration.id} ({sum(purged.values()):,} rows purged)")


@integrations.command("list")
def integrations_list() -> None:
    """List integrations."""
    engine = _engine()
    with engine.connect() as conn:
        rows = platform.list_integrations(conn)
    for i in rows:
        click.echo(
            f"{i.id}\t{i.tool}\t{i.setup_status}\t{'enabled' if i.enabled else 'disabled'}\t{i.organization_name}"
        )


@integrations.command("confirm-deletions")
@click.argument("integration_id")
@click.option("--sync-now", is_flag=True, help="Run the full sync that applies them now instead of queuing it.")
def integrations_confirm_deletions(integration_id: str, sync_now: bool) -> None:
    """Confirm the deletions the breaker is holding back for an integration.

    The decision (who, when, how many per model) is recorded; the next full sync (queued now) deletes
    exactly the confirmed records that the vendor still does not list.
    """
    import getpass

    from atsbridge.store import sync_runs as runs
    from atsbridge.sync import holds

    engine = _engine()
    with engine.connect() as conn:
        if platform.get_integration(conn, integration_id) is None:
            raise click.BadParameter(f"no integration {integration_id!r}", param_hint="INTEGRATION_ID")
    try:
        who = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in this environment
        who = "cli"
    try:
        confirmed = holds.confirm(engine, integration_id, who)
    except holds.NothingHeld as exc:
        raise click.ClickException(str(exc)) from None
    for h in confirmed:
        click.echo(f"confirmed: {h.held} {h.model} of {h.live} (held by run {h.run_id}) by {who}")
    if sync_now:
        run_sync(engine, integration_id, full=True)
    else:
        run_id, _, _ = runs.enqueue(engine, integration_id, "FULL", "confirm")
        click.echo(f"the next full sync applies them: {run_id} queued")


@main.command()
@click.argument("integration_id")
@click.option("--full", is_flag=True, help="Re-list everything (detects deletions).")
def sync(integration_id: str, full: bool) -> None:
    """Sync one integration now (delta unless --full or first sync)."""
    engine = _engine()
    with engine.connect() as conn:
        if platform.get_integration(conn, integration_id) is None:
            raise click.BadParameter(f"no integration {integration_id!r}", param_hint="INTEGRATION_ID")
    run_sync(engine, integration_id, full=True if full else None)


@main.group()
def syncs() -> None:
    """Inspect sync runs."""


@syncs.command("list")
@click.argument("integration_id", required=False)
@click.option("--limit", default=20, show_default=True)
def syncs_list(integration_id: str | None, limit: int) -> None:
    """List recent sync runs."""
    engine = _engine()
    stmt = select(sync_runs).order_by(sync_runs.c.queued_at.desc()).limit(limit)
    if integration_id:
        stmt = stmt.where(sync_runs.c.integration_id == integration_id)
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            took = (r.finished_at - r.started_at).total_seconds() if r.finished_at and r.started_at else None
            click.echo(
                f"{r.id}\t{r.integration_id}\t{r.type}\t{r.status}\t{r.queued_at:%Y-%m-%d %H:%M:%S}\t"
                f"{'' if took is None else f'{took:.1f}s'}\t{r.trigger}"
            )


@syncs.command("show")
@click.argument("run_id")
def syncs_show(run_id: str) -> None:
    """Show one sync run with its per-model counts."""
    engine = _engine()
    with engine.connect() as conn:
        r = conn.execute(select(sync_runs).where(sync_runs.c.id == run_id)).first()
    if r is None:
        raise click.BadParameter(f"no sync run {run_id!r}", param_hint="RUN_ID")
    click.echo(
        orjson.dumps(
            {
                "id": r.id,
                "integration_id": r.integration_id,
                "type": r.type,
                "status": r.status,
                "started_at": str(r.started_at),
                "finished_at": str(r.finished_at),
                "error": r.error,
                "stats": orjson.loads(r.stats),
            },
            option=orjson.OPT_INDENT_2,
        ).decode()
    )


@main.group()
def sandbox() -> None:
    """The built-in sandbox ATS."""


@sandbox.command("simulate")
@click.argument("integration_id")
@click.option("--steps", default=10, show_default=True, type=click.IntRange(1, 1_000_000), help="Number of changes.")
@click.option("--seed", "rng_seed", default=None, type=int, help="Make the changes reproducible.")
def sandbox_simulate(integration_id: str, steps: int, rng_seed: int | None) -> None:
    """Change the sandbox ATS's own data (moves, hires, rejections, edits, deletions...).

    The next `atsbridge sync` picks the changes up.
    """
    from atsbridge.connectors.sandbox.simulate import simulate

    engine = _engine()
    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
    if integration is None or integration.tool != "sandbox":
        raise click.BadParameter(f"no sandbox integration {integration_id!r}", param_hint="INTEGRATION_ID")
    report = simulate(
        engine,
        integration_id,
        integration.config.get("seed", 1),
        integration.config.get("size", "small"),
        steps,
        rng_seed,
    )
    click.echo(str(report))


@main.group()
def scopes() -> None:
    """Scope configs: which models, fields and write actions integrations may touch."""


@scopes.command("list")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def scopes_list(environment_id: str | None) -> None:
    """List scope configs as JSON."""
    from atsbridge.scopes import service

    engine = _engine()
    env = _environment(engine, environment_id)
    with engine.connect() as conn:
        click.echo(orjson.dumps(service.list_configs(conn, env), option=orjson.OPT_INDENT_2).decode())


@scopes.command("create")
@click.argument("name")
@click.argument("settings_json")
@click.option("--default", "is_default", is_flag=True, help="Make it the environment's default.")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def scopes_create(name: str, settings_json: str, is_default: bool, environment_id: str | None) -> None:
    """Create a scope config. SETTINGS_JSON: {"models": {"notes": {"enabled": false}}, "actions": {...}}.

    Prints the config id as the last line.
    """
    from atsbridge.core.errors import ApiError
    from atsbridge.scopes import service

    engine = _engine()
    env = _environment(engine, environment_id)
    try:
        config_id = service.create_config(engine, env, name, orjson.loads(settings_json), is_default=is_default)
    except (ApiError, orjson.JSONDecodeError) as exc:
        raise click.BadParameter(str(exc), param_hint="SETTINGS_JSON") from None
    click.echo(config_id)


@scopes.command("update")
@click.argument("config_id")
@click.argument("settings_json")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def scopes_update(config_id: str, settings_json: str, environment_id: str | None) -> None:
    """Replace a config's settings: narrowing purges stored data at once, widening queues a full sync."""
    from atsbridge.core.errors import ApiError
    from atsbridge.scopes import service

    engine = _engine()
    env = _environment(engine, environment_id)
    try:
        service.update_config(engine, env, config_id, orjson.loads(settings_json))
    except (ApiError, orjson.JSONDecodeError) as exc:
        raise click.BadParameter(str(exc), param_hint="SETTINGS_JSON") from None
    click.echo(f"updated {config_id}", err=True)


@scopes.command("assign")
@click.argument("integration_id")
@click.argument("config_id", required=False)
def scopes_assign(integration_id: str, config_id: str | None) -> None:
    """Put INTEGRATION_ID under CONFIG_ID (none: the environment's default)."""
    from atsbridge.scopes import service

    engine = _engine()
    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
    if integration is None:
        raise click.BadParameter(f"no integration {integration_id!r}", param_hint="INTEGRATION_ID")
    service.assign(engine, integration.environment_id, integration_id, config_id)
    click.echo(f"{integration_id} -> {config_id or 'environment default'}", err=True)


@main.group()
def tools() -> None:
    """Connectors and their coverage."""


@tools.command("matrix")
@click.option(
    "--write-readme", "readme", type=click.Path(exists=True), default=None, help="Update this README in place."
)
def tools_matrix(readme: str | None) -> None:
    """Print the coverage matrix (tool × model × action) generated from the capability declarations."""
    from pathlib import Path

    from atsbridge.connectors.matrix import markdown, update_readme

    if readme is None:
        click.echo(markdown())
        return
    path = Path(readme)
    path.write_text(update_readme(path.read_text()))
    click.echo(f"updated {path}", err=True)


def _quickstart_connect_link(conn: Any, environment_id: str) -> str:
    """A Connect link to try the hosted page (picking the sandbox needs no credentials)."""
    from atsbridge.connect import links

    return links.create(conn, environment_id=environment_id, purpose="connect", organization_name="Demo customer")[1]


@main.command()
@click.option("--size", default="small", show_default=True, help="Sandbox size for the first run.")
@click.option("--port", default=None, type=int, help="Port `serve` will listen on (for the printed links).")
def quickstart(size: str, port: int | None) -> None:
    """Prepare a local demo: environment, a 'quickstart' API key and operator token, a synced sandbox.

    Re-running it keeps the key, the token and the integration of the first run (printed again), so client
    code pasted from an earlier run keeps working.
    """
    from atsbridge.cli import quickstart as issued
    from atsbridge.store.credentials import credential_box

    settings = _settings()
    engine = _engine()
    env = _environment(engine, None)
    box = credential_box(engine, settings)
    with engine.begin() as conn:
        key, operator = issued.issue(conn, box, env)
        connect_secret = _quickstart_connect_link(conn, env)
        existing = [i for i in platform.list_integrations(conn, env) if i.tool == "sandbox"]
    if existing:
        integration_id = existing[0].id
    else:
        size_value: str | int = int(size) if size.isdigit() else size
        if isinstance(size_value, str) and size_value not in SIZES:
            raise click.BadParameter(f"expected one of {', '.join(SIZES)} or a number", param_hint="--size")
        with engine.begin() as conn:
            integration_id = platform.create_integration(
                conn, env, "sandbox", "Sandbox Inc.", {"seed": 1, "size": size_value}
            )
        run_sync(engine, integration_id, full=True)
    base = f"http://{settings.host}:{port or settings.port}"
    key_text = key.value or key.hint
    key_note = "new; kept across runs" if key.new else "same as the previous run"
    token_text = operator.value or operator.hint
    token_note = "new; kept across runs" if operator.new else "same as the previous run"
    pasted = key.value or "<your quickstart API key>"
    click.echo(
        f"""
atsbridge is ready.

  API key ({key_note}): {key_text}
  Integration id: {integration_id}

  Dashboard: {base}/dashboard
  Operator token ({token_note}): {token_text}
  Connect page (what your customers see; valid 1 hour): {base}/connect/{connect_secret}

Python (pip install kombo==1.4.0):

  from kombo import Kombo
  k = Kombo(api_key="{pasted}", integration_id="{integration_id}", server_url="{base}/v1")
  res = k.ats.get_jobs(page_size=250)
  print([job.name for job in res.result.data.results])

curl:

  curl -s -H "Authorization: Bearer {pasted}" -H "X-Integration-Id: {integration_id}" \\
       "{base}/v1/ats/applications?page_size=5"
"""
    )


@main.group("secrets")
def secrets_group() -> None:
    """Stored secrets (vendor credentials, webhook signing secrets)."""


@secrets_group.command("rotate")
@click.option("--dry-run", is_flag=True, help="Count what would be re-sealed; write nothing.")
def secrets_rotate(dry_run: bool) -> None:
    """Re-seal every stored secret under the current ATSBRIDGE_SECRET_KEY.

    Set the new key in ATSBRIDGE_SECRET_KEY and the old one(s) in ATSBRIDGE_OLD_SECRET_KEYS (comma
    separated), then run this. Idempotent and resumable: secrets already under the current key are skipped.
    When it reports nothing unreadable, the old keys can be removed.
    """
    from atsbridge.lifecycle.rotation import rotate
    from atsbridge.store.credentials import credential_box

    engine = _engine()
    report = rotate(
        engine, credential_box(engine, _settings()), dry_run=dry_run, progress=lambda m: click.echo(m, err=True)
    )
    verb = "would re-seal" if dry_run else "re-sealed"
    for name, count in sorted(report.resealed.items()):
        click.echo(f"{verb} {count} in {name}")
    click.echo(f"{report.current} already under the current key")
    if report.unreadable:
        for where in report.unreadable:
            click.echo(f"unreadable (no configured key opens it): {where}", err=True)
        raise click.ClickException(
            f"{len(report.unreadable)} secrets could not be opened; add their key to "
            "ATSBRIDGE_OLD_SECRET_KEYS and run again"
        )


@main.group("custom-fields")
def custom_fields_group() -> None:
    """Custom fields of an environment (keys of records' custom_fields, mapped per integration)."""


@custom_fields_group.command("create")
@click.option("--model", required=True, help="candidates, applications, jobs, offers or application_stages.")
@click.option("--key", required=True, help="The key inside records' custom_fields.")
@click.option("--label", default=None, help="Human-readable label.")
@click.option("--description", default=None, help="What the field holds.")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def custom_fields_create(
    model: str, key: str, label: str | None, description: str | None, environment_id: str | None
) -> None:
    """Define a custom field; prints it as JSON."""
    from atsbridge.core.errors import ApiError
    from atsbridge.fields import service

    engine = _engine()
    try:
        created = service.define(engine, _environment(engine, environment_id), model, key, label, description)
    except ApiError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(orjson.dumps(created).decode())


@custom_fields_group.command("list")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def custom_fields_list(environment_id: str | None) -> None:
    """List the environment's custom fields as JSON lines."""
    from atsbridge.fields import service

    engine = _engine()
    with engine.connect() as conn:
        for item in service.list_definitions(conn, _environment(engine, environment_id)):
            click.echo(orjson.dumps(item).decode())


@custom_fields_group.command("delete")
@click.argument("custom_field_id")
@click.option("--environment", "environment_id", default=None, help="Environment id (default: the first one).")
def custom_fields_delete(custom_field_id: str, environment_id: str | None) -> None:
    """Delete a custom field (and its mappings in every integration)."""
    from atsbridge.core.errors import ApiError
    from atsbridge.fields import service

    engine = _engine()
    try:
        service.undefine(engine, _environment(engine, environment_id), custom_field_id)
    except ApiError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"deleted {custom_field_id}")


_register_worker()


def _register_operators() -> None:
    from atsbridge.cli.operators import operators

    main.add_command(operators)


_register_operators()


def _register_webhooks() -> None:
    from atsbridge.cli.webhooks import webhooks

    main.add_command(webhooks)


_register_webhooks()

from atsbridge.cli.new_connector import new_connector  # noqa: E402  (registered last, like the groups above)

main.add_command(new_connector)
main.add_command(__import__("atsbridge.cli.fake", fromlist=["fake_ats"]).fake_ats)  # atsbridge fake-ats
