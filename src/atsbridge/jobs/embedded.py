"""The embedded adapter: the existing in-process scheduler behind the :class:`JobBackend` port."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.jobs.scheduler import EmbeddedScheduler
from atsbridge.store import sync_runs as runs


class EmbeddedBackend:
    """Schedules and runs syncs in this process when ``settings.scheduler`` is on; queues only otherwise."""

    name = "embedded"

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.scheduler = EmbeddedScheduler(engine, settings) if settings.scheduler else None

    def start(self) -> None:
        if self.scheduler is not None:
            self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop(wait=False)

    def submit_sync(
        self,
        integration_id: str,
        sync_type: str,
        trigger: str,
        *,
        reuse_running: bool = True,
        streams: Sequence[str] | None = None,
        deletions: Sequence[tuple[str, str]] = (),
    ) -> tuple[str, str, bool]:
        """The queued run is started by the scheduler, woken at once rather than at its next tick."""
        queued = runs.enqueue(
            self.engine, integration_id, sync_type, trigger, reuse_running=reuse_running, streams=streams,
            deletions=deletions,
        )
        if self.scheduler is not None and not queued[2]:
            self.scheduler.wake()
        return queued
