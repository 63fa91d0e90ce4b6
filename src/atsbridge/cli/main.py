"""The ``atsbridge`` command line."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import click
import orjson
from pydantic import ValidationError
from sqlalchemy import Engine, select

from atsbridge.core.config import Settings, get_settings
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import sync_runs

SIZES = ("tiny", "small", "medium", "large")


def _settings() -> Settings:
    """The settings, or a clear message and exit code 1 (no traceback) when they are invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        reasons = "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors())
        raise click.ClickException(f"invalid configuration: {reasons}") from None


def _engine() -> Engine:
    settings = _settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def _environment(engine: Engine, environment_id: str | None) -> str:
    with engine.begin() as conn:
        if environment_id:
            return environment_id
        env = platform.first_environment(conn)
        return env or platform.create_environment(conn, "default")


class _Progress:
    """A one-line progress display on stderr (a plain log line every few seconds when not a terminal)."""

    def __init__(self) -> None:
        self.total = 0
        self.stream = ""
        self.started = time.monotonic()
        self.last = 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, stream: str, count: int) -> None:
        self.total += count
        self.stream = stream
        now = time.monotonic()
        if now - self.last >= (0.1 if self.tty else 5.0):
            self.last = now
            rate = self.total / max(now - self.started, 1e-6)
            line = f"syncing {stream:<20} {self.total:>10,} vendor records  {rate:>9,.0f}/s"
            click.echo(("\r" + line) if self.tty else line, err=True, nl=not self.tty)

    def done(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.tty:
            click.echo("", err=True)
        click.echo(f"synced {self.total:,} vendor records in {elapsed:.1f}s", err=True)


def run_sync(engine: Engine, integration_id: str, full: bool | None) -> dict[str, Any]:
    from atsbridge.sync.engine import SyncEngine

    progress = _Progress()
    result = asyncio.run(SyncEngine(engine, get_settings()).run(integration_id, full=full, progress=progress))
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """atsbridge: a self-hosted unified ATS API, wire-compatible with Kombo's.

    Configuration comes from ATSBRIDGE_* environment variables (see the README).
    """


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

    settings = _settings()
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level="info")


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
        fake_config, fake_credentials = importlib.import_module(f"atsbridge.fakes.{tool}").conformance_setup(
            fake_url.rstrip("/")
        )
        config = {**fake_config, "sync_all_applications": True, **config}
        credentials = {**fake_credentials, **credentials}
    engine = _engine()
    env = _environment(engine, environment_id)
    integration_id = create_integration(
        engine, get_settings(), env, tool, org_name, config=config, credentials=credentials or None
    )
    click.echo(f"integration: {integration_id}", err=True)
    if not no_sync:
        run_sync(engine, integration_id, full=True)
    click.echo(integration_id)


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


def _quickstart_operator(conn: Any) -> str:
    """A fresh 'quickstart' dashboard operator (the previous quickstart token stops working)."""
    from atsbridge.dashboard import operators as dashboard_operators

    dashboard_operators.revoke_named(conn, "quickstart")
    return dashboard_operators.create(conn, "quickstart")[1]


def _quickstart_connect_link(conn: Any, environment_id: str) -> str:
    """A Connect link to try the hosted page (picking the sandbox needs no credentials)."""
    from atsbridge.connect import links

    return links.create(conn, environment_id=environment_id, purpose="connect", organization_name="Demo customer")[1]


@main.command()
@click.option("--size", default="small", show_default=True, help="Sandbox size for the first run.")
@click.option("--port", default=None, type=int)
def quickstart(size: str, port: int | None) -> None:
    """Prepare a local demo: environment, a fresh 'quickstart' API key, a synced sandbox integration."""
    settings = get_settings()
    engine = _engine()
    env = _environment(engine, None)
    with engine.begin() as conn:
        platform.revoke_api_keys(conn, env, "quickstart")
        key = platform.create_api_key(conn, env, "quickstart")
        operator_token = _quickstart_operator(conn)
        connect_secret = _quickstart_connect_link(conn, env)
        existing = [i for i in platform.list_integrations(conn, env) if i.tool == "sandbox"]
    if existing:
        integration_id = existing[0].id
    else:
        size_value: str | int = int(size) if size.isdigit() else size
        with engine.begin() as conn:
            integration_id = platform.create_integration(
                conn, env, "sandbox", "Sandbox Inc.", {"seed": 1, "size": size_value}
            )
        run_sync(engine, integration_id, full=True)
    base = f"http://{settings.host}:{port or settings.port}"
    click.echo(
        f"""
atsbridge is ready.

  API key (shown once; `make run` issues a new one each time): {key}
  Integration id: {integration_id}

  Dashboard: {base}/dashboard
  Operator token (shown once; a new one each run): {operator_token}
  Connect page (what your customers see; valid 1 hour): {base}/connect/{connect_secret}

Python (pip install kombo==1.4.0):

  from kombo import Kombo
  k = Kombo(api_key="{key}", integration_id="{integration_id}", server_url="{base}/v1")
  res = k.ats.get_jobs(page_size=250)
  print([job.name for job in res.result.data.results])

curl:

  curl -s -H "Authorization: Bearer {key}" -H "X-Integration-Id: {integration_id}" \\
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
    from atsbridge.connect.service import credential_box
    from atsbridge.lifecycle.rotation import rotate

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

main.add_command(__import__("atsbridge.cli.fake", fromlist=["fake_ats"]).fake_ats)  # atsbridge fake-ats
