"""``atsbridge worker``: run syncs from the PostgreSQL job queue (distributed mode).

Registered on the main CLI with ``main.add_command(worker)``; also runnable as
``python -m atsbridge.cli.worker``.
"""

from __future__ import annotations

import asyncio
import logging

import click

from atsbridge.core.config import get_settings
from atsbridge.jobs.settings import get_job_settings


@click.command()
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Jobs this process runs at once. Syncs wait on vendors, so more than the core count pays off.",
)
@click.option(
    "--shutdown-seconds",
    default=None,
    type=click.FloatRange(0),
    help="After SIGTERM, how long running syncs may take to finish (default ATSBRIDGE_SHUTDOWN_SECONDS or 60).",
)
@click.option(
    "--log-level", default="INFO", show_default=True, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"])
)
def worker(concurrency: int, shutdown_seconds: float | None, log_level: str) -> None:
    """Run sync workers (ATSBRIDGE_JOB_BACKEND=procrastinate, PostgreSQL).

    Start as many as the load needs, on any machines: at most one sync per integration runs at a time
    across all of them, scheduling runs once per tick cluster-wide, and the jobs of a worker that dies
    are retried by another. SIGTERM finishes (or hands back) running syncs before exiting.
    """
    from atsbridge.cli.common import prepare_database
    from atsbridge.jobs.worker import run_worker
    from atsbridge.store.db import make_engine, normalise_url
    from atsbridge.store.migrate import upgrade

    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_level != "DEBUG":  # Procrastinate logs every job start and end at INFO
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
    settings = get_settings()
    jobs = get_job_settings()
    if shutdown_seconds is not None:
        jobs = jobs.model_copy(update={"shutdown_seconds": shutdown_seconds})
    if not normalise_url(settings.database_url).startswith("postgresql"):
        raise click.UsageError("atsbridge worker needs PostgreSQL: set ATSBRIDGE_DATABASE_URL")
    engine = make_engine(prepare_database(settings))
    upgrade(engine)
    if not asyncio.run(run_worker(engine, settings, jobs, concurrency=concurrency)):
        raise SystemExit(1)  # stopped on its own: let the supervisor restart it


if __name__ == "__main__":
    worker()
