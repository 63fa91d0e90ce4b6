"""Job-backend settings, read from ``ATSBRIDGE_*`` like the rest.

They live beside the job backends (not in :mod:`atsbridge.core.config`) because only the processes that
schedule or run jobs need them; ``Settings`` stays the one place for what every process shares.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATSBRIDGE_", extra="ignore")

    #: ``embedded``: syncs run inside ``atsbridge serve`` (one box, SQLite or PostgreSQL).
    #: ``procrastinate``: syncs run in ``atsbridge worker`` processes (PostgreSQL); ``serve`` only serves.
    job_backend: Literal["embedded", "procrastinate"] = "embedded"
    #: How often the (cluster-wide, deduplicated) scheduling tick runs. A cron seconds step, so 1..30.
    tick_seconds: int = Field(default=5, ge=1, le=30)
    #: How often a worker proves it is alive.
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    #: A worker silent for this long is dead: its jobs go back to the queue for another worker.
    stalled_after_seconds: float = Field(default=30.0, gt=0)
    #: How often the cluster looks for jobs of dead workers (a cron seconds step, 1..30).
    stalled_check_seconds: int = Field(default=10, ge=1, le=30)
    #: After SIGTERM, running syncs get this long to finish; then they stop at a page boundary and return
    #: their job to the queue. A second SIGTERM/SIGINT returns them at once.
    shutdown_seconds: float = Field(default=60.0, ge=0)
    #: Delete a job row as soon as it succeeds (sync_runs keeps the history); failed ones are kept.
    delete_succeeded_jobs: bool = True
    #: Finished job rows older than this are pruned hourly.
    keep_jobs_hours: int = Field(default=72, ge=1)


@lru_cache(maxsize=1)
def get_job_settings() -> JobSettings:
    return JobSettings()
