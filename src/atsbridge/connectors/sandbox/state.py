"""The sandbox ATS's own persistent state: ``sandbox_changes`` rows layered over the seeded generator.

A row holds the *full* current vendor record of one (kind, remote id) the sandbox ATS changed, or NULL once
it deleted it. ``updated_at`` is the wall-clock time of the change (what delta reads and the deletion feed
compare against); ``seq`` orders changes within an integration. SQLAlchemy Core only, so it runs the same
on SQLite and PostgreSQL; every function opens and closes its own short connection unless given one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select

from atsbridge.store.tables import sandbox_changes as t

Record = dict[str, Any]


@dataclass(frozen=True)
class OverlayRow:
    kind: str
    remote_id: str
    payload: Record | None  # None: deleted
    updated_at: datetime
    seq: int


@dataclass(frozen=True)
class Change:
    """One write: the record's new full vendor form, or None to delete it."""

    kind: str
    remote_id: str
    payload: Record | None


def _row(row: Any) -> OverlayRow:
    payload = None if row.payload is None else orjson.loads(row.payload)
    return OverlayRow(row.kind, row.remote_id, payload, row.updated_at, row.seq)


def load(engine: Engine, integration_id: str, kind: str | None = None) -> list[OverlayRow]:
    """All overlay rows (of one kind, or all), oldest change first."""
    query = select(t).where(t.c.integration_id == integration_id).order_by(t.c.seq, t.c.kind, t.c.remote_id)
    if kind is not None:
        query = query.where(t.c.kind == kind)
    with engine.connect() as conn:
        return [_row(row) for row in conn.execute(query)]


def get(engine: Engine, integration_id: str, kind: str, remote_id: str) -> OverlayRow | None:
    """The overlay row of one record, if the sandbox ATS ever changed it."""
    query = select(t).where(t.c.integration_id == integration_id, t.c.kind == kind, t.c.remote_id == remote_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else _row(row)


def changed_page(
    engine: Engine,
    integration_id: str,
    kind: str,
    since: datetime,
    after: tuple[datetime, int, str] | None = None,
    limit: int = 1000,
) -> list[OverlayRow]:
    """Live (not deleted) rows of ``kind`` changed after ``since``, keyset-paged by (updated_at, seq, id)."""
    query = select(t).where(
        t.c.integration_id == integration_id,
        t.c.kind == kind,
        t.c.payload.is_not(None),
        t.c.updated_at > since,
    )
    if after is not None:
        at, seq, rid = after
        query = query.where(
            or_(
                t.c.updated_at > at,
                and_(t.c.updated_at == at, t.c.seq > seq),
                and_(t.c.updated_at == at, t.c.seq == seq, t.c.remote_id > rid),
            )
        )
    query = query.order_by(t.c.updated_at, t.c.seq, t.c.remote_id).limit(limit)
    with engine.connect() as conn:
        return [_row(row) for row in conn.execute(query)]


def deleted_since(engine: Engine, integration_id: str, since: datetime | None) -> dict[str, list[str]]:
    """kind -> remote ids deleted after ``since`` (all deletions when ``since`` is None)."""
    query = select(t.c.kind, t.c.remote_id).where(t.c.integration_id == integration_id, t.c.payload.is_(None))
    if since is not None:
        query = query.where(t.c.updated_at > since)
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for kind, rid in conn.execute(query.order_by(t.c.seq, t.c.remote_id)):
            out.setdefault(kind, []).append(rid)
    return out


def max_seq(conn: Connection, integration_id: str) -> int:
    found = conn.execute(select(func.max(t.c.seq)).where(t.c.integration_id == integration_id)).scalar()
    return int(found or 0)


def write(
    engine: Engine,
    integration_id: str,
    changes: Sequence[Change],
    *,
    now: datetime | None = None,
    first_seq: int | None = None,
) -> int:
    """Write changes in one transaction (delete + insert per key: portable upsert). Returns the last seq.

    Without ``first_seq`` the next seq is read inside the transaction.
    """
    if not changes:
        return (first_seq or 1) - 1
    stamp = now or datetime.now(UTC)
    with engine.begin() as conn:
        seq = first_seq if first_seq is not None else max_seq(conn, integration_id) + 1
        rows = []
        for change in _last_per_key(changes):
            payload = None if change.payload is None else orjson.dumps(change.payload).decode()
            rows.append({"integration_id": integration_id, "kind": change.kind, "remote_id": change.remote_id,
                         "payload": payload, "updated_at": stamp, "seq": seq})  # fmt: skip
            seq += 1
        for row in rows:
            conn.execute(
                delete(t).where(
                    t.c.integration_id == integration_id, t.c.kind == row["kind"], t.c.remote_id == row["remote_id"]
                )
            )
        conn.execute(insert(t), rows)
    return seq - 1


def _last_per_key(changes: Iterable[Change]) -> list[Change]:
    """Within one write only the final state of each record matters (and keys must be unique)."""
    latest: dict[tuple[str, str], Change] = {}
    for change in changes:
        latest.pop((change.kind, change.remote_id), None)
        latest[(change.kind, change.remote_id)] = change
    return list(latest.values())


def clear(engine: Engine, integration_id: str) -> None:
    """Forget everything the sandbox ATS changed: back to the pure generator."""
    with engine.begin() as conn:
        conn.execute(delete(t).where(t.c.integration_id == integration_id))
