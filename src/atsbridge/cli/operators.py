"""``atsbridge operators``: who may sign in to the dashboard. Tokens are printed once; only hashes are kept."""

from __future__ import annotations

import click
from sqlalchemy import Engine

from atsbridge.cli import common
from atsbridge.dashboard import operators as store


def _engine() -> Engine:
    return common.engine()


@click.group()
def operators() -> None:
    """Manage dashboard operators (sign-in tokens for /dashboard)."""


@operators.command("create")
@click.option("--name", required=True, help="Who the operator is (shown in the dashboard and listings).")
def operators_create(name: str) -> None:
    """Create an operator. The token is printed once, as the last line; only its hash is stored."""
    with _engine().begin() as conn:
        operator_id, token = store.create(conn, name)
    click.echo(f"operator: {operator_id} ({name}); sign in at /dashboard/login", err=True)
    click.echo(token)


@operators.command("list")
def operators_list() -> None:
    """List operators (never their tokens)."""
    with _engine().connect() as conn:
        found = store.list_all(conn)
    for op in found:
        state = f"revoked {op.revoked_at:%Y-%m-%d %H:%M}" if op.revoked_at else "active"
        click.echo(f"{op.id}  {op.name:<30} created {op.created_at:%Y-%m-%d %H:%M}  {state}")


@operators.command("revoke")
@click.argument("operator_id")
def operators_revoke(operator_id: str) -> None:
    """Revoke an operator: their token stops working and their open dashboard sessions end."""
    with _engine().begin() as conn:
        revoked = store.revoke(conn, operator_id)
    if not revoked:
        raise click.ClickException(f"OPERATOR_ID: no active operator '{operator_id}'")
    click.echo(f"revoked {operator_id}")
