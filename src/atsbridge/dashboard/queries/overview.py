"""The overview: every environment with its counts, and what needs attention across all of them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, func, or_, select

from atsbridge.core.config import Settings
from atsbridge.dashboard.queries.health import BREAKER_TRIPPED
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.store.tables import api_keys, environments, integrations, sync_runs, webhook_deliveries
from atsbridge.sync import holds
from atsbridge.sync.audit import drifted, silent_webhooks

#: The overview lists at most this many environments and unhealthy integrations.
LIMIT = 200


@dataclass(frozen=True)
class EnvironmentRow:
    id: str
    name: str
    created_at: datetime
    integrations: int
    keys: int


@dataclass(frozen=True)
class Problem:
    integration_id: str
    environment_id: str
    tool: str
    organization: str
    status: str
    reason: str | None
    last_run_id: str | None
    last_run_status: str | None
    last_run_at: datetime | None


@dataclass(frozen=True)
class Summary:
    environments: list[EnvironmentRow]
    problems: list[Problem]
    breaker_trips_24h: int
    deliveries_pending: int
    deliveries_failed: int


def environment_rows(conn: Connection) -> list[EnvironmentRow]:
    n_int = (
        select(integrations.c.environment_id, func.count().label("n"))
        .group_by(integrations.c.environment_id)
        .subquery()
    )
    n_keys = (
        select(api_keys.c.environment_id, func.count().label("n"))
        .where(api_keys.c.revoked_at.is_(None))
        .group_by(api_keys.c.environment_id)
        .subquery()
    )
    rows = conn.execute(
        select(environments, n_int.c.n.label("n_int"), n_keys.c.n.label("n_keys"))
        .outerjoin(n_int, n_int.c.environment_id == environments.c.id)
        .outerjoin(n_keys, n_keys.c.environment_id == environments.c.id)
        .order_by(environments.c.created_at.desc(), environments.c.id.desc())  # newest first: what was just set up
        .limit(LIMIT)
    )
    return [EnvironmentRow(r.id, r.name, r.created_at, int(r.n_int or 0), int(r.n_keys or 0)) for r in rows]


def _problems(conn: Connection) -> list[Problem]:
    """Integrations that are INVALID, or whose latest finished run failed."""
    latest = (
        select(sync_runs.c.integration_id, func.max(sync_runs.c.finished_at).label("at"))
        .where(sync_runs.c.finished_at.is_not(None))
        .group_by(sync_runs.c.integration_id)
        .subquery()
    )
    last_run = (
        select(
            sync_runs.c.integration_id,
            sync_runs.c.id,
            sync_runs.c.status,
            sync_runs.c.finished_at,
            sync_runs.c.error,
        )
        .join(
            latest,
            and_(sync_runs.c.integration_id == latest.c.integration_id, sync_runs.c.finished_at == latest.c.at),
        )
        .subquery()
    )
    rows = conn.execute(
        select(
            integrations.c.id,
            integrations.c.environment_id,
            integrations.c.tool,
            integrations.c.end_user_organization_name,
            integrations.c.status,
            integrations.c.status_reason,
            last_run.c.id.label("run_id"),
            last_run.c.status.label("run_status"),
            last_run.c.finished_at.label("run_at"),
            last_run.c.error.label("run_error"),
        )
        .outerjoin(last_run, last_run.c.integration_id == integrations.c.id)
        .where(or_(integrations.c.status == "INVALID", last_run.c.status == "FAILED"))
        .order_by(integrations.c.id)
        .limit(LIMIT)
    )
    return [
        Problem(
            r.id,
            r.environment_id,
            r.tool,
            r.end_user_organization_name,
            r.status,
            # the recorded reason (why INVALID, or the failure streak); else the failed run's own error
            r.status_reason or (r.run_error if r.run_status == "FAILED" else None),
            r.run_id,
            r.run_status,
            r.run_at,
        )
        for r in rows
    ]


def _with_notes(conn: Connection, problems: list[Problem], notes: dict[str, str]) -> list[Problem]:
    """Add ``notes`` (integration id -> why it needs attention) to the problems, listing healthy ones too."""
    if not notes:
        return problems
    out = [
        dataclasses.replace(p, reason="; ".join(filter(None, [p.reason, notes[p.integration_id]])))
        if p.integration_id in notes
        else p
        for p in problems
    ]
    listed = {p.integration_id for p in problems}
    missing = sorted(set(notes) - listed)[:LIMIT]
    if missing:
        for r in conn.execute(
            select(
                integrations.c.id,
                integrations.c.environment_id,
                integrations.c.tool,
                integrations.c.end_user_organization_name,
                integrations.c.status,
            ).where(integrations.c.id.in_(missing))
        ):
            out.append(
                Problem(
                    r.id,
                    r.environment_id,
                    r.tool,
                    r.end_user_organization_name,
                    r.status,
                    notes[r.id],
                    None,
                    None,
                    None,
                )  # fmt: skip
            )
    return sorted(out, key=lambda p: p.integration_id)[:LIMIT]


def held_deletions(conn: Connection) -> dict[str, str]:
    """Integrations whose deletions the breaker holds need attention too (an operator must confirm them)."""
    pending: dict[str, list[str]] = {}
    for h in holds.holds(conn):
        if not h.confirmed:
            pending.setdefault(h.integration_id, []).append(f"{h.held} of {h.live} {h.model}")
    return {
        iid: "deletion breaker holding " + ", ".join(parts) + " deleted (confirm or check permissions)"
        for iid, parts in pending.items()
    }


def drift_and_silence(conn: Connection, settings: Settings, now: datetime) -> dict[str, str]:
    """Integrations whose last drift audit (in the last two audit intervals) repaired records, or whose vendor
    webhooks went silent while polling still found changes."""
    notes: dict[str, list[str]] = {}
    since = now - 2 * timedelta(hours=settings.full_sync_hours)
    for iid, audit in drifted(conn, since, LIMIT).items():
        notes.setdefault(iid, []).append(
            f"drift audit repaired {audit['missing']} missing, {audit['stale']} stale, {audit['extra']} extra records"
        )
    silence = timedelta(minutes=settings.webhook_silence_minutes)
    for iid in hooks.configured(conn, LIMIT):
        heard = hooks.health(conn, iid)
        found = silent_webhooks(conn, iid, heard.last_event_at or heard.created_at, silence)
        if found:
            notes.setdefault(iid, []).append(
                f"vendor webhooks silent: polling found {found} changes since their last event"
            )
    return {iid: "; ".join(parts) for iid, parts in notes.items()}


def _merge(*notes: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in notes:
        for iid, note in part.items():
            out[iid] = f"{out[iid]}; {note}" if iid in out else note
    return out


def summary(conn: Connection, now: datetime, settings: Settings) -> Summary:
    trips = conn.execute(
        select(func.count()).where(
            sync_runs.c.finished_at >= now - timedelta(hours=24), sync_runs.c.stats.like(BREAKER_TRIPPED)
        )
    ).scalar_one()
    backlog: dict[str, int] = dict(
        conn.execute(
            select(webhook_deliveries.c.status, func.count())
            .where(webhook_deliveries.c.status.in_(("PENDING", "FAILED")))
            .group_by(webhook_deliveries.c.status)
        ).all()
    )
    return Summary(
        environments=environment_rows(conn),
        problems=_with_notes(
            conn, _problems(conn), _merge(held_deletions(conn), drift_and_silence(conn, settings, now))
        ),
        breaker_trips_24h=int(trips),
        deliveries_pending=int(backlog.get("PENDING", 0)),
        deliveries_failed=int(backlog.get("FAILED", 0)),
    )
