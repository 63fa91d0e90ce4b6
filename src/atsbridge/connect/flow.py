"""The hosted Connect flow's one real step: check the credentials live, then create (or repair) the
integration, all-or-nothing, with its events.

A refused attempt is counted on the link and reported as ``connection-flow-failed``; a success creates the
integration (or replaces a relinked one's credentials), completes the link, issues the exchange token,
emits ``integration-created`` / ``integration-state-changed`` in the same transaction, and queues the
first sync.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, update

from atsbridge.connect import links
from atsbridge.connect.links import Link
from atsbridge.connectors.base import ConnectSpec, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.probe import CHECK_TIMEOUT_SECONDS
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.lifecycle.vendor_webhooks import auto_unregister
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store.credentials import credential_box
from atsbridge.store.tables import integrations
from atsbridge.webhooks.emitters import integration_state_changed
from atsbridge.webhooks.events import emit

log = logging.getLogger("atsbridge.connect")


@dataclass(frozen=True)
class Outcome:
    """Success carries the integration and exchange token; failure the end-customer message."""

    integration_id: str | None = None
    token: str | None = None
    error: str | None = None


def end_user(link: Link) -> dict[str, Any]:
    return {
        "organization_name": link.end_user_organization_name,
        "creator_email": link.end_user_email,
        "origin_id": link.end_user_origin_id,
    }


async def check(spec: ConnectSpec, info: IntegrationInfo, label: str, timeout: float) -> str | None:
    """None when the vendor accepted the credentials, else why not (never the secret, never a trace)."""
    try:
        await asyncio.wait_for(spec.verify(info), timeout=timeout)
    except TimeoutError:
        return f"{label} did not answer within {timeout:g} seconds: please try again"
    except ValueError as exc:
        return str(exc)
    except RemoteError as exc:
        return f"{label}: {exc.message}"
    except Exception:  # a connector bug must not become a stack trace in the end customer's browser
        log.exception("credential check of %s failed unexpectedly", info.tool)
        return f"{label} could not be checked because of an internal error; please try again later"
    return None


def fail(engine: Engine, link: Link, tool: str, message: str, log_base: str) -> None:
    with engine.begin() as conn:
        links.record_failure(conn, link.id, message)
        emit(
            conn,
            environment_id=link.environment_id,
            type="connection-flow-failed",
            integration_id=link.integration_id,
            data={
                "integration_tool": tool,
                "integration_category": "ATS",
                "end_user": end_user(link),
                "log_url": f"{log_base}/dashboard/connect-links/{link.id}",
            },
        )


async def submit(
    engine: Engine,
    settings: Settings,
    link: Link,
    tool: str,
    config: dict[str, Any],
    credentials: dict[str, Any],
    log_base: str,
) -> Outcome:
    """Verify and, on success, connect (or relink). ``config`` holds only the form's config fields."""
    connector = get_connector(tool)
    spec = connector.connect
    assert spec is not None  # the page only offers connectable tools
    existing = None
    if link.purpose == "relink" and link.integration_id:
        with engine.connect() as conn:
            existing = platform.get_integration(conn, link.integration_id)
        if existing is None:
            return Outcome(error="This integration no longer exists.")
    merged = {**(existing.config if existing else {}), **config}
    probe_config = {**merged, "timeout_seconds": min(CHECK_TIMEOUT_SECONDS, settings.connect_verify_timeout_seconds)}
    info = IntegrationInfo(link.integration_id or f"{tool}:connect", tool, probe_config, credentials, engine=engine)
    problem = await check(spec, info, connector.label, settings.connect_verify_timeout_seconds)
    if problem is not None:
        fail(engine, link, tool, problem, log_base)
        return Outcome(error=problem)
    sealed = credential_box(engine, settings).seal(credentials) if credentials else None
    try:
        if existing is not None:
            # the vendor's webhooks were made with the old credentials: removed now, set up again after
            # the relink's first successful sync (automatic vendors) or by the admin (manual ones)
            await auto_unregister(engine, settings, existing)
            return _relink(engine, link, existing, merged, sealed)
        return _connect(engine, link, tool, merged, sealed)
    except _AlreadyUsed:
        return USED


class _AlreadyUsed(Exception):
    """Another submit completed the link first: this transaction must roll back."""


USED = Outcome(error="This link has already been used.")


def _connect(engine: Engine, link: Link, tool: str, config: dict[str, Any], sealed: bytes | None) -> Outcome:
    with engine.begin() as conn:
        integration_id = platform.create_integration(
            conn, link.environment_id, tool, link.end_user_organization_name, config, sealed
        )
        conn.execute(
            update(integrations)
            .where(integrations.c.id == integration_id)
            .values(
                end_user_email=link.end_user_email,
                end_user_origin_id=link.end_user_origin_id,
                scope_config_id=link.scope_config_id,
                updated_at=utcnow(),
            )
        )
        token = links.complete(conn, link.id, integration_id)
        if token is None:  # a double submit: the first one won; roll this integration back
            raise _AlreadyUsed
        emit(
            conn,
            environment_id=link.environment_id,
            type="integration-created",
            integration_id=integration_id,
            data={"id": integration_id, "tool": tool, "category": "ATS", "end_user": end_user(link)},
        )
    runs.enqueue(engine, integration_id, "FULL", "connect")
    return Outcome(integration_id=integration_id, token=token)


def _relink(
    engine: Engine, link: Link, existing: platform.Integration, config: dict[str, Any], sealed: bytes | None
) -> Outcome:
    now = utcnow()
    values: dict[str, Any] = {
        "config": orjson.dumps(config).decode(),
        "credentials": sealed,
        "status": "ACTIVE",
        "status_reason": None,
        "updated_at": now,
    }
    if link.scope_config_id:
        values["scope_config_id"] = link.scope_config_id
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == existing.id).values(**values))
        token = links.complete(conn, link.id, existing.id)
        if token is None:
            raise _AlreadyUsed
        if existing.status == "INVALID":
            current = platform.get_integration(conn, existing.id)
            if current is not None:
                integration_state_changed(conn, current, now)
    if existing.enabled:
        runs.enqueue(engine, existing.id, "FULL", "relink")
    return Outcome(integration_id=existing.id, token=token)
