"""Failed syncs: how many in a row, when to try again, and which failures make an integration INVALID.

A sync that keeps failing is retried with exponential backoff (``sync_retry_base_seconds`` doubling per
failure, capped at ``sync_retry_max_seconds``) instead of at every scheduler tick: a dead host or a revoked
key must not be hammered, and its run history must not fill with one failure every few seconds. Runs an
operator forces (``POST /v1/force-sync``, the dashboard) are queued at once all the same: backoff only
spaces out what the scheduler queues by itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Connection, func, or_, select

from atsbridge.core.config import Settings
from atsbridge.store.tables import sync_runs

#: Failures older than this are not counted (a streak this long has reached the backoff cap long since).
WINDOW = timedelta(hours=24)
#: Statuses that end a failure streak.
ENDS_STREAK = ("SUCCEEDED", "CANCELLED")


@dataclass(frozen=True)
class Streak:
    """Consecutive failed runs of an integration since its last good one, and when the latest ended."""

    failures: int
    last_failed_at: datetime


def retry_delay(settings: Settings, failures: int) -> timedelta:
    """How long after the ``failures``-th failure in a row the scheduler tries again."""
    if failures <= 0:
        return timedelta(0)
    seconds = min(settings.sync_retry_base_seconds * 2.0 ** min(failures - 1, 30), settings.sync_retry_max_seconds)
    return timedelta(seconds=seconds)


def retry_at(settings: Settings, streak: Streak | None) -> datetime | None:
    """The earliest time the scheduler may queue another run (None: no failure streak)."""
    if streak is None or streak.failures <= 0:
        return None
    return streak.last_failed_at + retry_delay(settings, streak.failures)


def streaks(conn: Connection, now: datetime, ids: Sequence[str] | None = None) -> dict[str, Streak]:
    """The current failure streak of each integration that has one. Two steps, so a scheduler tick stays
    cheap with a long run history: the integrations with a recent failure come from the partial index of
    FAILED runs; only for those are the runs since their last good one counted."""
    since = now - WINDOW
    recent = select(sync_runs.c.integration_id).where(sync_runs.c.status == "FAILED", sync_runs.c.finished_at >= since)
    if ids is not None:
        if not ids:
            return {}
        recent = recent.where(sync_runs.c.integration_id.in_(list(ids)))
    failing = sorted(set(conn.execute(recent.distinct()).scalars()))
    out: dict[str, Streak] = {}
    for start in range(0, len(failing), 500):
        chunk = failing[start : start + 500]
        last_ok = (
            select(sync_runs.c.integration_id, func.max(sync_runs.c.finished_at).label("ok"))
            .where(
                sync_runs.c.integration_id.in_(chunk),
                sync_runs.c.status.in_(ENDS_STREAK),
                sync_runs.c.finished_at >= since,
            )
            .group_by(sync_runs.c.integration_id)
            .subquery()
        )
        stmt = (
            select(sync_runs.c.integration_id, func.count().label("n"), func.max(sync_runs.c.finished_at).label("last"))
            .outerjoin(last_ok, last_ok.c.integration_id == sync_runs.c.integration_id)
            .where(
                sync_runs.c.integration_id.in_(chunk),
                sync_runs.c.status == "FAILED",
                sync_runs.c.finished_at >= since,
                or_(last_ok.c.ok.is_(None), sync_runs.c.finished_at > last_ok.c.ok),
            )
            .group_by(sync_runs.c.integration_id)
        )
        out.update({r.integration_id: Streak(int(r.n), r.last) for r in conn.execute(stmt)})
    return out


def unreachable(exc: BaseException) -> str | None:
    """What to tell an operator when the sync failed because the vendor's host could not be reached at all
    (refused connection, unknown host, connect timeout), as opposed to answering badly."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (httpx.ConnectError, httpx.ConnectTimeout)):
            host = ""
            with contextlib.suppress(RuntimeError):  # no request attached
                url = current.request.url
                host = f" {url.host}:{url.port}" if url.port else f" {url.host}"
            return f"could not reach the ATS host{host} ({type(current).__name__})"
        current = current.__cause__ or current.__context__
    return None
