"""One sync run as every runner does it (the embedded scheduler, queue workers, the CLI): the engine's run,
then, when it succeeded, the vendor webhooks set up if they can be and are not yet
(:func:`atsbridge.lifecycle.vendor_webhooks.auto_register`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.lifecycle.vendor_webhooks import auto_register
from atsbridge.sync.engine import SyncEngine, SyncResult


async def run_sync(engine: Engine, settings: Settings, integration_id: str, **options: Any) -> SyncResult:
    """``SyncEngine.run`` with the same arguments (raises :class:`SyncAlreadyRunning` likewise)."""
    result = await SyncEngine(engine, settings).run(integration_id, **options)
    if result.status == "SUCCEEDED":
        await auto_register(engine, settings, integration_id)
    return result
