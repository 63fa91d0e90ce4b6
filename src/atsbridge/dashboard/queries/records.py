"""The record browser: unified records of one model, 50 per page (keyset on id), and one record's JSON."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    if model == "applications" and found:
        found = _application_labels(conn, integration_id, found)
    return found, (found[-1].id if len(rows) > PAGE else None)


def _labels_of(conn: Connection, model: str, integration_id: str, ids: set[str]) -> dict[str, str]:
    """Labels of these records (deleted ones too: an old application still names its candidate)."""
    if not ids:
        return {}
    table = MODEL_TABLES[model]
    rows = conn.execute(
        select(table.c.id, table.c.data).where(table.c.integration_id == integration_id, table.c.id.in_(sorted(ids)))
    )
    return {r.id: _label(orjson.loads(r.data)) for r in rows}


def _application_labels(conn: Connection, integration_id: str, found: list[RecordRow]) -> list[RecordRow]:
    """Applications carry no name of their own: label them "candidate · job" (two queries per page)."""
    apps = MODEL_TABLES["applications"]
    links = {
        r.id: (r.candidate_id, r.job_id)
        for r in conn.execute(
            select(apps.c.id, apps.c.candidate_id, apps.c.job_id).where(
                apps.c.integration_id == integration_id, apps.c.id.in_([f.id for f in found])
            )
        )
    }
    candidates = _labels_of(conn, "candidates", integration_id, {c for c, _ in links.values() if c})
    jobs = _labels_of(conn, "jobs", integration_id, {j for _, j in links.values() if j})
    out = []
    for row in found:
        candidate_id, job_id = links.get(row.id, (None, None))
        who = candidates.get(candidate_id or "") or "unknown candidate"
        what = jobs.get(job_id or "") or "no job"
        out.append(replace(row, label=f"{who} · {what}"))
    return out


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
