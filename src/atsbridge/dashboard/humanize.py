"""Times and numbers as an operator reads them: UTC timestamps and "3 min ago", computed server-side."""

from __future__ import annotations

from datetime import datetime

from atsbridge.core.timeutil import to_utc, utcnow


def timestamp(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{to_utc(value):%Y-%m-%d %H:%M:%S} UTC"


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """A relative time, past ("3 min ago") or future ("in 12 min")."""
    if value is None:
        return "never"
    seconds = ((now or utcnow()) - to_utc(value)).total_seconds()
    future = seconds < 0
    span = abs(seconds)
    if span < 45:
        text = f"{int(span)} s"
    elif span < 3600:
        text = f"{round(span / 60)} min"
    elif span < 86400 * 2:
        text = f"{round(span / 3600)} h"
    else:
        text = f"{round(span / 86400)} days"
    if span < 5:
        return "just now"
    return f"in {text}" if future else f"{text} ago"


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "—"
    seconds = (to_utc(end) - to_utc(start)).total_seconds()
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


def badge(status: str | None) -> str:
    """The badge class for a status word (ok / warn / bad)."""
    good = {"ACTIVE", "SUCCEEDED", "COMPLETED", "ENABLED", "OK"}
    bad = {"INVALID", "FAILED", "REVOKED", "EXPIRED", "DELETED"}
    if status in good:
        return "ok"
    if status in bad:
        return "bad"
    return "warn"
