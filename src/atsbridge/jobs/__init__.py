"""Job backends: how syncs get executed. See :mod:`atsbridge.jobs.port` for the interface."""

from __future__ import annotations

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.jobs.port import JobBackend
from atsbridge.jobs.settings import JobSettings, get_job_settings


def make_backend(engine: Engine, settings: Settings, jobs: JobSettings | None = None) -> JobBackend:
    """The backend ``ATSBRIDGE_JOB_BACKEND`` names. With ``procrastinate`` this process never runs syncs."""
    jobs = jobs or get_job_settings()
    if jobs.job_backend == "procrastinate":
        from atsbridge.jobs.procrastinate_backend import ProcrastinateBackend

        return ProcrastinateBackend(engine, settings, jobs)
    from atsbridge.jobs.embedded import EmbeddedBackend

    return EmbeddedBackend(engine, settings)


__all__ = ["JobBackend", "JobSettings", "make_backend"]
