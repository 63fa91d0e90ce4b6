"""``atsbridge webhooks ...``: manage webhook endpoints and run the dispatcher from the command line.

Registered on the main CLI with ``main.add_command(webhooks)``. Commands that take an environment default to
the first one, like the rest of the CLI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click
import orjson
from sqlalchemy import Engine

from atsbridge.core.config import get_settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.core.errors import ApiError

P = ParamSpec("P")
R = TypeVar("R")


def _setup(environment_id: str | None) -> tuple[Engine, str]:
    from atsbridge.cli import common

    engine = common.engine()
    return engine, common.environment(engine, environment_id)


def _echo(data: object) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


def _box(engine: Engine) -> CredentialBox:
    from atsbridge.store.credentials import credential_box

    return credential_box(engine, get_settings())


def _api_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Show the API's precise error messages as usage errors instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ApiError as exc:
            raise click.ClickException(exc.message) from None

    return wrapper


_env_option = click.option(
    "--environment", "environment_id", default=None, help="Environment id (default: the first one)."
)


@click.group()
def webhooks() -> None:
    """Outgoing webhooks: endpoints, delivery log, redelivery, the dispatcher."""


@webhooks.command("add")
@click.argument("url")
@click.option(
    "--event-type",
    "event_types",
    multiple=True,
    metavar="TYPE",
    help="Subscribe to TYPE only (repeatable; default: all).",
)
@click.option("--description", default=None, help="A note for humans.")
@_env_option
@_api_errors
def webhooks_add(url: str, event_types: tuple[str, ...], description: str | None, environment_id: str | None) -> None:
    """Register URL. Prints the endpoint as JSON; the signing secret is printed once, as the last line."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    endpoint, secret = endpoints.create_endpoint(
        engine,
        _box(engine),
        get_settings(),
        env,
        url=url,
        event_types=list(event_types) or None,
        description=description,
    )
    _echo(endpoint)
    click.echo(secret)


@webhooks.command("list")
@_env_option
def webhooks_list(environment_id: str | None) -> None:
    """List the environment's endpoints as JSON (secrets are never shown)."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    with engine.connect() as conn:
        _echo(endpoints.list_endpoints(conn, env))


@webhooks.command("remove")
@click.argument("webhook_id")
@_env_option
@_api_errors
def webhooks_remove(webhook_id: str, environment_id: str | None) -> None:
    """Delete an endpoint with its delivery log."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    endpoints.delete_endpoint(engine, env, webhook_id)
    click.echo(f"removed {webhook_id}", err=True)


@webhooks.command("rotate-secret")
@click.argument("webhook_id")
@click.option(
    "--grace-hours",
    default=24.0,
    show_default=True,
    type=click.FloatRange(0, 720),
    help="How long the old secret keeps signing X-Atsbridge-Previous-Signature.",
)
@_env_option
@_api_errors
def webhooks_rotate(webhook_id: str, grace_hours: float, environment_id: str | None) -> None:
    """Give an endpoint a new signing secret, printed once as the last line."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    endpoint, secret = endpoints.rotate_secret(engine, _box(engine), env, webhook_id, grace_hours)
    _echo(endpoint)
    click.echo(secret)


@webhooks.command("deliveries")
@click.argument("webhook_id")
@click.option("--status", type=click.Choice(["PENDING", "SUCCEEDED", "FAILED"]), default=None, help="Only these.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 250))
@_env_option
@_api_errors
def webhooks_deliveries(webhook_id: str, status: str | None, limit: int, environment_id: str | None) -> None:
    """Show an endpoint's newest deliveries with their attempts (time, HTTP status, error, duration)."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    with engine.connect() as conn:
        results, _ = endpoints.list_deliveries(conn, env, webhook_id, status=status, limit=limit)
    _echo(results)


@webhooks.command("redeliver")
@click.argument("delivery_id")
@_env_option
@_api_errors
def webhooks_redeliver(delivery_id: str, environment_id: str | None) -> None:
    """Put a delivery back in the queue (PENDING, with a new 24-hour retry window)."""
    from atsbridge.webhooks import endpoints

    engine, env = _setup(environment_id)
    _echo(endpoints.redeliver(engine, env, delivery_id))


@webhooks.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due now, then exit (default: keep running).")
def webhooks_deliver(once: bool) -> None:
    """Run the webhook dispatcher in the foreground (all environments).

    `serve` and `worker` already run one unless ATSBRIDGE_WEBHOOKS_DISPATCH=false; any number may run at once.
    """
    import logging
    import threading

    from atsbridge.cli.common import engine as _engine
    from atsbridge.cli.errors import full_logging
    from atsbridge.webhooks.dispatcher import Dispatcher

    full_logging()  # a long-running process: its operators want whole log records
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    dispatcher = Dispatcher(_engine(), get_settings())
    if once:
        sent = dispatcher.drain()
        dispatcher.stop()
        click.echo(f"{sent} delivery attempts", err=True)
        return
    dispatcher.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        dispatcher.stop()
