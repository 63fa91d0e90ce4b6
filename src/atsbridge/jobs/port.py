"""The job-backend port: the only thing the API process knows about how syncs get executed.

Two adapters implement it. ``embedded`` runs the in-process scheduler (one box, zero infrastructure);
``procrastinate`` hands execution to ``atsbridge worker`` processes through a PostgreSQL job queue, so any
number of stateless ``serve`` processes can sit behind a load balancer. Both write the same ``sync_runs``
rows and run the same :class:`~atsbridge.sync.engine.SyncEngine`; the database's partial unique indexes on
``sync_runs`` stay the correctness layer whichever backend moves the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class JobBackend(Protocol):
    #: ``embedded`` or ``procrastinate``.
    name: str

    def start(self) -> None:
        """Begin whatever background work this process owns (none for a procrastinate API process)."""

    def stop(self) -> None:
        """Stop that work without blocking the caller on running syncs."""

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
        """Queue a sync now and start it as soon as possible; returns (run id, type, already queued). Same
        contract as ``runs.enqueue``."""
        ...
