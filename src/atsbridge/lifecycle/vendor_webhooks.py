"""Vendor webhooks set up and torn down: by an admin (``PUT/DELETE /v1/integrations/{id}/vendor-webhook``) or
automatically, for vendors whose API registers webhooks (Lever, Ashby, Workable, SmartRecruiters...).

Automatic set-up needs ``ATSBRIDGE_PUBLIC_URL`` (the vendor must reach us) and happens after a successful sync
of an integration that has none yet: after connect, after a relink (which first removes the registration made
with the old credentials) and after re-enabling. Disabling or deleting an integration removes its webhooks at
the vendor first, so a vendor never keeps pushing to a URL that refuses it. Automatic steps never fail a sync
or a deletion: a vendor refusal is logged (a failed registration also as the last refusal in ``sync-health``)
and polling goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.inbound import Registered, Webhooks
from atsbridge.connectors.info import integration_info
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.credentials import credential_box

log = logging.getLogger("atsbridge.vendor_webhooks")

#: The path of deliveries under the public base URL.
PREFIX = "/v1/vendor-webhooks/"


class VendorRefused(Exception):
    """The vendor refused a registration call: ``code`` is the error code to answer with."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Made:
    url: str
    secret: str
    spec: Webhooks


def spec_of(tool: str) -> Webhooks | None:
    try:
        return get_connector(tool).webhooks
    except KeyError:  # a tool whose connector is gone
        return None


async def _at_vendor(
    engine: Engine, settings: Settings, integration: platform.Integration, call: Callable[[Any], Awaitable[Any]]
) -> Any:
    source = get_connector(integration.tool).open(integration_info(engine, settings, integration))
    try:
        return await call(source)
    except RemoteError as exc:
        raise VendorRefused(exc.code, f"{integration.tool} refused the webhook registration: {exc.message}") from None
    finally:
        await source.aclose()


async def register(
    engine: Engine, settings: Settings, integration: platform.Integration, base_url: str, secret: str | None = None
) -> Made:
    """Create (or rotate) the integration's URL and secret; for vendors with a registration API, create the
    vendor's webhooks for the new URL, then remove the previous ones. A refusal removes the new registration,
    so nothing half-made stays (raises :class:`VendorRefused`)."""
    spec = spec_of(integration.tool)
    if spec is None:
        raise LookupError(integration.tool)
    box = credential_box(engine, settings)
    with engine.connect() as conn:
        previous = hooks.vendor_ids(conn, box, integration.id)
    with engine.begin() as conn:
        reg = hooks.register(conn, box, integration.id, secret)
    url = f"{base_url.rstrip('/')}{PREFIX}{integration.id}/{reg.token}"
    if spec.registration == "api":
        assert spec.register is not None and spec.unregister is not None  # checked by Webhooks
        make, drop = spec.register, spec.unregister
        try:
            made: Registered = await _at_vendor(
                engine, settings, integration, lambda source: make(source, url, reg.secret)
            )
        except VendorRefused:
            with engine.begin() as conn:
                hooks.unregister(conn, integration.id)
            raise
        with engine.begin() as conn:
            hooks.set_vendor_side(conn, box, integration.id, made.ids, made.secrets)
        if previous:
            await _at_vendor(engine, settings, integration, lambda source: drop(source, previous))
    return Made(url, reg.secret, spec)


async def unregister(engine: Engine, settings: Settings, integration: platform.Integration) -> bool:
    """Remove the vendor's webhooks (through its API where it has one), then ours; True when one was set up."""
    spec = spec_of(integration.tool)
    with engine.connect() as conn:
        ids = hooks.vendor_ids(conn, credential_box(engine, settings), integration.id)
    drop = spec.unregister if spec is not None else None
    if drop is not None and ids:
        await _at_vendor(engine, settings, integration, lambda source: drop(source, ids))
    with engine.begin() as conn:
        return hooks.unregister(conn, integration.id)


def _automatic(settings: Settings, integration: platform.Integration) -> bool:
    spec = spec_of(integration.tool)
    return (
        bool(settings.public_url) and settings.auto_vendor_webhooks and spec is not None and spec.registration == "api"
    )


async def auto_register(engine: Engine, settings: Settings, integration_id: str) -> bool:
    """After a successful sync: set up the vendor's webhooks when they can be, and are not yet. Never raises."""
    if not (settings.public_url and settings.auto_vendor_webhooks):
        return False  # the common case costs no query after every sync
    try:
        with engine.connect() as conn:
            integration = platform.get_integration(conn, integration_id)
            if integration is None or not integration.enabled or not _automatic(settings, integration):
                return False
            if hooks.is_configured(conn, integration.id):
                return False
        assert settings.public_url is not None
        await register(engine, settings, integration, settings.public_url)
        log.info("vendor webhooks of %s registered at %s", integration_id, integration.tool)
        return True
    except Exception as exc:  # polling keeps the data current; the next successful sync tries again
        log.warning("vendor webhooks of %s could not be registered: %s", integration_id, exc)
        # shown as the last refusal in sync-health, where an operator looks for why no events arrive
        hooks.record(engine, integration_id, "refused", reason=f"automatic registration failed: {exc}")
        return False


async def auto_unregister(engine: Engine, settings: Settings, integration: platform.Integration) -> bool:
    """Before disabling, deleting or relinking: remove the vendor's webhooks. Never raises (the local
    registration goes in any case, so deliveries are refused from now on)."""
    try:
        return await unregister(engine, settings, integration)
    except Exception as exc:
        log.warning("vendor webhooks of %s could not be removed at %s: %s", integration.id, integration.tool, exc)
        with engine.begin() as conn:
            return hooks.unregister(conn, integration.id)
