"""What the dashboard computes without a database: the next scheduled sync, relative times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from atsbridge.core.config import Settings
from atsbridge.dashboard import humanize
from atsbridge.jobs.scheduler import next_sync

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(delta_sync_minutes=15, full_sync_hours=12)


def test_next_sync_matches_the_scheduler_rules() -> None:
    assert next_sync(SETTINGS, {}, None, None, NOW) == ("FULL", NOW)  # never synced: a full sync, now
    last_full = NOW - timedelta(minutes=5)
    assert next_sync(SETTINGS, {}, last_full, None, NOW) == ("DELTA", last_full + timedelta(minutes=15))
    last_delta = NOW - timedelta(minutes=2)
    assert next_sync(SETTINGS, {}, last_full, last_delta, NOW) == ("DELTA", last_delta + timedelta(minutes=15))
    stale_full = NOW - timedelta(hours=13)
    assert next_sync(SETTINGS, {}, stale_full, last_delta, NOW) == ("FULL", stale_full + timedelta(hours=12))
    # The full sync comes first when it falls before the next delta; per-integration config overrides settings.
    almost = NOW - timedelta(hours=11, minutes=55)
    assert next_sync(SETTINGS, {}, almost, last_delta, NOW) == ("FULL", almost + timedelta(hours=12))
    assert next_sync(SETTINGS, {"delta_sync_minutes": 1}, last_full, last_delta, NOW)[1] == last_delta + timedelta(
        minutes=1
    )


def test_relative_times() -> None:
    assert humanize.ago(NOW - timedelta(minutes=3), NOW) == "3 min ago"
    assert humanize.ago(NOW + timedelta(minutes=12), NOW) == "in 12 min"
    assert humanize.ago(NOW - timedelta(hours=5), NOW) == "5 h ago"
    assert humanize.ago(NOW - timedelta(days=9), NOW) == "9 days ago"
    assert humanize.ago(NOW, NOW) == "just now"
    assert humanize.ago(None) == "never"
    assert humanize.timestamp(NOW) == "2025-01-01 12:00:00 UTC"
    assert humanize.duration(NOW, NOW + timedelta(milliseconds=250)) == "250 ms"
    assert humanize.duration(NOW, NOW + timedelta(seconds=90)) == "90.0 s"
    assert humanize.badge("FAILED") == "bad" and humanize.badge("ACTIVE") == "ok" and humanize.badge("QUEUED") == "warn"
