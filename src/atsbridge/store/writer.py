"""The write path: diff a batch against the store, write what changed, and move related records'
``updated_after`` position as the registry's edges say.

One statement set per batch, whatever its size: a SELECT of the batch's current hashes, one INSERT and one
UPDATE ``executemany``, the side-table refresh and one UPDATE per propagation edge. Unchanged records
are not written at all, so ``changed_at`` moves only when content really changed. The hot statements go
to the driver directly (:mod:`atsbridge.store.bulk`: no per-row bind processing; PostgreSQL inserts by
COPY), and a record's projection and promoted values are computed only when it is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Table, select, update

from atsbridge.model.record import UnifiedRecord
from atsbridge.model.registry import CASCADES, EDGES, MODELS, ModelSpec
from atsbridge.store.bulk import bind, bump_changed_at, delete_by_ids, insert_rows, select_by_ids, update_rows
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES

_CHUNK = 500
_INSERT_COLUMNS = (
    "id", "integration_id", "remote_id", "data", "nested", "embed", "content_hash", "nested_hash",
    "changed_at", "effective_changed_at", "remote_deleted_at", "first_seen_at",
)  # fmt: skip
_UPDATE_COLUMNS = (
    "remote_id", "data", "nested", "embed", "content_hash", "nested_hash",
    "changed_at", "effective_changed_at", "remote_deleted_at",
)  # fmt: skip


def dump(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Ids whose own fields were created, changed, deleted or restored (what `data-changed` reports).
    changed_ids: list[str] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changed_ids.extend(other.changed_ids)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _promoted_values(spec: ModelSpec, fields: dict[str, Any]) -> list[Any]:
    """The promoted columns' values, in ``spec.promoted`` order (datetimes still to be bound per row)."""
    values: list[Any] = []
    for promoted in spec.promoted:
        value = fields.get(promoted.source)
        if value is not None:
            if promoted.type == "datetime":
                value = datetime.fromisoformat(value)
            elif promoted.lower:
                value = str(value).lower()
        values.append(value)
    return values


def _embed(spec: ModelSpec, rec: UnifiedRecord) -> str | None:
    """The record's embedded projection, computed only for rows that are written."""
    return dump(spec.embed(rec.id, rec.remote_id, rec.fields)).decode() if spec.embed is not None else None


def _fk_columns(model: str) -> list[str]:
    return sorted({e.fk for e in EDGES if e.source == model and e.direction == "up"})


def write_batch(
    conn: Connection, integration_id: str, model: str, records: Sequence[UnifiedRecord], ts: datetime
) -> BatchResult:
    """Upsert ``records`` (all of ``model``) stamped ``ts``; return what changed. Runs in the caller's transaction."""
    spec = MODELS[model]
    table = MODEL_TABLES[model]
    result = BatchResult()
    # Last one wins when a page repeats a record.
    unique = list({r.id: r for r in records}.values())
    fk_cols = _fk_columns(model)
    for chunk in _chunks(unique):
        _write_chunk(conn, integration_id, spec, table, chunk, ts, fk_cols, result)
    return result


def _write_chunk(
    conn: Connection,
    integration_id: str,
    spec: ModelSpec,
    table: Table,
    chunk: Sequence[UnifiedRecord],
    ts: datetime,
    fk_cols: list[str],
    result: BatchResult,
) -> None:
    cols = ["id", "content_hash", "nested_hash", "remote_deleted_at", *fk_cols]
    existing = {row.id: row for row in select_by_ids(conn, table, cols, integration_id, [r.id for r in chunk])}
    promoted_cols = [p.column for p in spec.promoted]
    datetimes = {p.column for p in spec.promoted if p.type == "datetime"}
    stamp = bind(conn, table, "changed_at", ts)  # converted once for the batch, not per row and column
    inserts: list[tuple[Any, ...]] = []
    own_updates: list[tuple[Any, ...]] = []
    nested_updates: list[tuple[Any, ...]] = []
    added: list[str] = []  # created or restored
    changed: list[str] = []  # own fields changed
    old_fks: dict[str, list[Any]] = {c: [] for c in fk_cols}
    new_fks_added: dict[str, list[Any]] = {c: [] for c in fk_cols}
    new_fks_changed: dict[str, list[Any]] = {c: [] for c in fk_cols}
    side_refresh: list[UnifiedRecord] = []

    for rec in chunk:
        data = dump(rec.fields)
        h = digest(data)
        nested_raw = dump(rec.nested) if rec.nested is not None else None
        nh = digest(nested_raw) if nested_raw is not None else None
        nested_text = nested_raw.decode() if nested_raw is not None else None
        row = existing.get(rec.id)
        if row is None:
            embed = _embed(spec, rec)
            promoted = _promoted_values(spec, rec.fields)
            inserts.append(
                (rec.id, integration_id, rec.remote_id, data.decode(), nested_text, embed, h, nh, stamp, stamp, None,
                 stamp, *promoted)
            )  # fmt: skip
            added.append(rec.id)
            for c in fk_cols:
                new_fks_added[c].append(rec.fields.get(c))
            side_refresh.append(rec)
            result.created += 1
            continue
        own_changed = row.content_hash != h or row.remote_deleted_at is not None
        nested_changed = row.nested_hash != nh
        if own_changed:
            embed = _embed(spec, rec)
            promoted = _promoted_values(spec, rec.fields)
            own_updates.append(
                (rec.remote_id, data.decode(), nested_text, embed, h, nh, stamp, stamp, None, *promoted, rec.id)
            )
            (added if row.remote_deleted_at is not None else changed).append(rec.id)
            target = new_fks_added if row.remote_deleted_at is not None else new_fks_changed
            for c in fk_cols:
                target[c].append(rec.fields.get(c))
                if getattr(row, c) != rec.fields.get(c):
                    old_fks[c].append(getattr(row, c))
            side_refresh.append(rec)
            result.updated += 1
        elif nested_changed:
            nested_updates.append((nested_text, nh, stamp, rec.id))
            result.updated += 1
        else:
            result.unchanged += 1

    insert_rows(conn, table, [*_INSERT_COLUMNS, *promoted_cols], inserts, convert=datetimes)
    update_rows(conn, table, [*_UPDATE_COLUMNS, *promoted_cols], own_updates, convert=datetimes)
    update_rows(conn, table, ["nested", "nested_hash", "effective_changed_at"], nested_updates)
    _refresh_sides(conn, integration_id, spec, side_refresh)
    result.changed_ids.extend(added)
    result.changed_ids.extend(changed)
    _propagate(conn, integration_id, spec.name, added, changed, new_fks_added, new_fks_changed, old_fks, ts)


def _refresh_sides(conn: Connection, integration_id: str, spec: ModelSpec, recs: Sequence[UnifiedRecord]) -> None:
    if not spec.sides or not recs:
        return
    for side, extract in spec.sides.items():
        side_table = SIDE_TABLES[(spec.name, side)]
        delete_by_ids(conn, side_table, "record_id", [r.id for r in recs])
        rows = [(integration_id, r.id, v) for r in recs for v in extract(r.fields)]
        insert_rows(conn, side_table, ("integration_id", "record_id", "value"), rows)


def _propagate(
    conn: Connection,
    integration_id: str,
    model: str,
    added: list[str],
    changed: list[str],
    fks_added: dict[str, list[Any]],
    fks_changed: dict[str, list[Any]],
    old_fks: dict[str, list[Any]],
    ts: datetime,
) -> None:
    for edge in EDGES:
        if edge.source != model:
            continue
        target = MODEL_TABLES[edge.target]
        if edge.direction == "up":
            ids: set[Any] = set()
            if edge.add_remove:
                ids.update(fks_added[edge.fk])
                ids.update(old_fks[edge.fk])
            if edge.change:
                ids.update(fks_changed[edge.fk])
                ids.update(old_fks[edge.fk])
            if edge.null_means_all and None in ids and (fks_added[edge.fk] or old_fks[edge.fk]):
                _bump_all(conn, target, integration_id, ts)
            ids.discard(None)
            _bump(conn, target, integration_id, target.c.id, sorted(ids), ts)
        else:
            source_ids = (added if edge.add_remove else []) + (changed if edge.change else [])
            _bump(conn, target, integration_id, target.c[edge.fk], source_ids, ts)


def _bump(
    conn: Connection, table: Table, integration_id: str, column: Any, values: Sequence[Any], ts: datetime
) -> None:
    stamp = bind(conn, table, "effective_changed_at", ts)
    for chunk in _chunks(list(values)):
        bump_changed_at(conn, table, integration_id, column.name, chunk, stamp)


def _bump_all(conn: Connection, table: Table, integration_id: str, ts: datetime) -> None:
    conn.execute(
        update(table)
        .where(table.c.integration_id == integration_id, table.c.effective_changed_at < ts)
        .values(effective_changed_at=ts)
    )


def mark_deleted(
    conn: Connection,
    integration_id: str,
    model: str,
    ids: Sequence[str],
    ts: datetime,
    *,
    deleted: dict[str, set[str]] | None = None,
) -> int:
    """Soft-delete ``ids``; deletion counts as "removed" for the propagation edges. ``deleted`` collects
    the ids that were live until now, per model (what a data-changed event reports)."""
    table = MODEL_TABLES[model]
    fk_cols = _fk_columns(model)
    count = 0
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            select(table.c.id, *[table.c[c] for c in fk_cols]).where(
                table.c.integration_id == integration_id, table.c.id.in_(chunk), table.c.remote_deleted_at.is_(None)
            )
        ).all()
        if not rows:
            continue
        live = [r.id for r in rows]
        if deleted is not None:
            deleted.setdefault(model, set()).update(live)
        conn.execute(
            update(table)
            .where(table.c.id.in_(live))
            .values(remote_deleted_at=ts, changed_at=ts, effective_changed_at=ts)
        )
        count += len(live)
        fks = {c: [getattr(r, c) for r in rows] for c in fk_cols}
        _propagate(conn, integration_id, model, live, [], fks, {c: [] for c in fk_cols}, {c: [] for c in fk_cols}, ts)
    return count


def live_ids(conn: Connection, integration_id: str, model: str) -> set[str]:
    table = MODEL_TABLES[model]
    return set(
        conn.execute(
            select(table.c.id).where(table.c.integration_id == integration_id, table.c.remote_deleted_at.is_(None))
        ).scalars()
    )


def mark_deleted_cascade(
    conn: Connection,
    integration_id: str,
    model: str,
    ids: Sequence[str],
    ts: datetime,
    *,
    deleted: dict[str, set[str]] | None = None,
) -> dict[str, int]:
    """Soft-delete ``ids`` and the records that hang off them (a candidate's applications, their interviews...)."""
    counts: dict[str, int] = {}
    counts[model] = counts.get(model, 0) + mark_deleted(conn, integration_id, model, ids, ts, deleted=deleted)
    for child, fk in CASCADES.get(model, ()):
        table = MODEL_TABLES[child]
        child_ids = [
            r.id
            for chunk in _chunks(list(ids))
            for r in conn.execute(
                select(table.c.id).where(
                    table.c.integration_id == integration_id,
                    table.c[fk].in_(chunk),
                    table.c.remote_deleted_at.is_(None),
                )
            )
        ]
        if child_ids:
            for name, n in mark_deleted_cascade(conn, integration_id, child, child_ids, ts, deleted=deleted).items():
                counts[name] = counts.get(name, 0) + n
    return counts
