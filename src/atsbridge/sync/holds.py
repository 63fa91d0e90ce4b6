"""Deletions the breaker held back, and an operator's confirmation of them.

The breaker refuses to mark more than ``deletion_breaker_ratio`` of a model deleted in one full sync: a
vendor answering with a partial listing (lost permissions, a bad filter) must not wipe the store. But a
real mass deletion must not stay invisible either. So a held deletion is recorded here (which ids, out of
how many live), shown as needing attention, and stays held until an operator confirms it (API, CLI or
dashboard; who and when are recorded). The next full sync then deletes the confirmed ids that are still
missing, and nothing else: an id the vendor lists again is kept, and ids that went missing after the
confirmation are judged by the breaker anew.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection, Engine, delete, insert, select, update

from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.store.tables import deletion_holds


@dataclass(frozen=True)
class Hold:
    integration_id: str
    model: str
    held: int
    live: int
    run_id: str
    detected_at: datetime
    confirmed_by: str | None
    confirmed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class NothingHeld(LookupError):
    """There are no held deletions to confirm for the integration."""


def _hold(row: object) -> Hold:
    return Hold(
        row.integration_id,  # type: ignore[attr-defined]
        row.model,  # type: ignore[attr-defined]
        row.held,  # type: ignore[attr-defined]
        row.live,  # type: ignore[attr-defined]
        row.run_id,  # type: ignore[attr-defined]
        row.detected_at,  # type: ignore[attr-defined]
        row.confirmed_by,  # type: ignore[attr-defined]
        row.confirmed_at,  # type: ignore[attr-defined]
    )


def holds(conn: Connection, integration_ids: list[str] | None = None) -> list[Hold]:
    """Current holds (confirmed or not), of the given integrations or all."""
    stmt = select(
        deletion_holds.c.integration_id,
        deletion_holds.c.model,
        deletion_holds.c.held,
        deletion_holds.c.live,
        deletion_holds.c.run_id,
        deletion_holds.c.detected_at,
        deletion_holds.c.confirmed_by,
        deletion_holds.c.confirmed_at,
    ).order_by(deletion_holds.c.integration_id, deletion_holds.c.model)
    if integration_ids is not None:
        stmt = stmt.where(deletion_holds.c.integration_id.in_(integration_ids))
    return [_hold(r) for r in conn.execute(stmt)]


def confirmed_ids(conn: Connection, integration_id: str, model: str) -> tuple[set[str], Hold] | None:
    """The ids an operator confirmed for deletion (and the hold), if the model's hold is confirmed."""
    row = conn.execute(
        select(deletion_holds).where(
            deletion_holds.c.integration_id == integration_id,
            deletion_holds.c.model == model,
            deletion_holds.c.confirmed_at.is_not(None),
        )
    ).first()
    if row is None:
        return None
    return set(orjson.loads(row.ids)), _hold(row)


def hold(conn: Connection, integration_id: str, model: str, ids: list[str], live: int, run_id: str) -> None:
    """Record (or replace) the model's held deletions, unconfirmed."""
    release(conn, integration_id, model)
    conn.execute(
        insert(deletion_holds).values(
            integration_id=integration_id,
            model=model,
            ids=orjson.dumps(sorted(ids)).decode(),
            held=len(ids),
            live=live,
            run_id=run_id,
            detected_at=utcnow(),
        )
    )


def release(conn: Connection, integration_id: str, model: str) -> None:
    """The model no longer has held deletions (applied, or the records came back)."""
    conn.execute(
        delete(deletion_holds).where(deletion_holds.c.integration_id == integration_id, deletion_holds.c.model == model)
    )


def confirm(engine: Engine, integration_id: str, who: str) -> list[Hold]:
    """An operator confirms every held, unconfirmed deletion of the integration; returns what was confirmed.
    Raises :class:`NothingHeld` when nothing awaits confirmation."""
    now = utcnow()
    with engine.begin() as conn:
        pending = [h for h in holds(conn, [integration_id]) if not h.confirmed]
        if not pending:
            raise NothingHeld(f"no deletions are held for integration {integration_id}")
        for h in pending:  # only the hold as it was read: a newer one replacing it stays unconfirmed
            conn.execute(
                update(deletion_holds)
                .where(
                    deletion_holds.c.integration_id == integration_id,
                    deletion_holds.c.model == h.model,
                    deletion_holds.c.run_id == h.run_id,
                    deletion_holds.c.confirmed_at.is_(None),
                )
                .values(confirmed_by=who[:200], confirmed_at=now)
            )
    return [dataclasses.replace(h, confirmed_by=who[:200], confirmed_at=now) for h in pending]


def as_payload(found: list[Hold]) -> list[dict[str, object]]:
    """The JSON shape holds take in API answers, run stats and events."""
    return [
        {
            "model": h.model,
            "held": h.held,
            "live": h.live,
            "run_id": h.run_id,
            "detected_at": format_ts(h.detected_at),
            "confirmed_by": h.confirmed_by,
            "confirmed_at": format_ts(h.confirmed_at) if h.confirmed_at else None,
        }
        for h in found
    ]
