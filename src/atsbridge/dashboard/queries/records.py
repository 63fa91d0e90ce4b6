"""The record browser: unified records of one model, 50 per page (keyset on id), and one record's JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, or_, select

from atsbridge.store.tables import MODEL_TABLES

PAGE = 50
#: Fields tried, in order, to give a row a human label in the table.
_LABEL_FIELDS = ("name", "title", "label", "email", "file_name", "type")


@dataclass(frozen=True)
class RecordRow:
    id: str
    remote_id: str | None
    label: str
    changed_at: datetime
    remote_deleted_at: datetime | None


@dataclass(frozen=True)
class Record:
    id: str
    remote_id: str | None
    changed_at: datetime
    effective_changed_at: datetime
    first_seen_at: datetime
    remote_deleted_at: datetime | None
    data_json: str
    nested_json: str | None


def _label(data: dict[str, Any]) -> str:
    first, last = data.get("first_name"), data.get("last_name")
    if first or last:
        return " ".join(str(p) for p in (first, last) if p)
    for key in _LABEL_FIELDS:
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def page(
    conn: Connection,
    model: str,
    integration_id: str,
    *,
    after: str | None,
    search: str | None,
    include_deleted: bool,
) -> tuple[list[RecordRow], str | None]:
    """One page of records and the cursor of the next one (None on the last page)."""
    table = MODEL_TABLES[model]
    stmt = select(table.c.id, table.c.remote_id, table.c.data, table.c.changed_at, table.c.remote_deleted_at).where(
        table.c.integration_id == integration_id
    )
    if not include_deleted:
        stmt = stmt.where(table.c.remote_deleted_at.is_(None))
    if search:
        stmt = stmt.where(or_(table.c.id == search, table.c.remote_id == search))
    if after:
        stmt = stmt.where(table.c.id > after)
    rows = conn.execute(stmt.order_by(table.c.id).limit(PAGE + 1)).all()
    found = [
        RecordRow(r.id, r.remote_id, _label(orjson.loads(r.data)), r.changed_at, r.remote_deleted_at)
        for r in rows[:PAGE]
    ]
    return found, (found[-1].id if len(rows) > PAGE else None)


def _pretty(text: str | None) -> str | None:
    if text is None:
        return None
    return orjson.dumps(orjson.loads(text), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def get(conn: Connection, model: str, integration_id: str, record_id: str) -> Record | None:
    table = MODEL_TABLES[model]
    row = conn.execute(select(table).where(table.c.integration_id == integration_id, table.c.id == record_id)).first()
    if row is None:
        return None
    return Record(
        row.id,
        row.remote_id,
        row.changed_at,
        row.effective_changed_at,
        row.first_seen_at,
        row.remote_deleted_at,
        _pretty(row.data) or "{}",
        _pretty(row.nested),
    )
