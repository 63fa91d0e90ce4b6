"""Starting the dispatcher beside other work (``serve``'s lifespan, ``atsbridge worker``)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.webhooks.dispatcher import Dispatcher

log = logging.getLogger("atsbridge.webhooks")


def start_dispatcher(engine: Engine, settings: Settings) -> Dispatcher | None:
    """A running background dispatcher, or None when ``ATSBRIDGE_WEBHOOKS_DISPATCH=false``. Every process
    may run one: claims are leases in the database, so they share the work without sending twice."""
    if not settings.webhooks_dispatch:
        return None
    dispatcher = Dispatcher(engine, settings)
    dispatcher.start()
    log.info("webhook dispatcher started (poll every %gs)", settings.webhook_poll_seconds)
    return dispatcher
