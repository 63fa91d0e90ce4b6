"""Housekeeping after syncs: records deleted in the ATS are anonymised once they have been gone long enough."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, bindparam, select, update

from atsbridge.core.timeutil import utcnow
from atsbridge.model.registry import MODELS
from atsbridge.store.tables import MODEL_TABLES
from atsbridge.store.writer import digest, dump

#: Foreign keys survive anonymisation so the record stays a consistent tombstone; everything else goes.
_KEEP = ("candidate_id", "application_id", "job_id", "current_stage_id", "interview_id", "author_id", "outcome")


def anonymised(model: str, data: dict[str, Any]) -> dict[str, Any]:
    spec = MODELS[model]
    kept = {k: data[k] for k in _KEEP if k in data and k in spec.fields.model_fields}
    result: dict[str, Any] = spec.fields.model_validate(kept).model_dump(mode="json")
    return result


def anonymise_deleted(engine: Engine, integration_id: str, after_days: int) -> int:
    """Blank the personal data of records deleted more than ``after_days`` ago. Returns how many changed."""
    cutoff = utcnow() - timedelta(days=after_days)
    changed = 0
    for model, table in MODEL_TABLES.items():
        with engine.begin() as conn:
            rows = conn.execute(
                select(table.c.id, table.c.remote_id, table.c.data, table.c.content_hash).where(
                    table.c.integration_id == integration_id,
                    table.c.remote_deleted_at.is_not(None),
                    table.c.remote_deleted_at < cutoff,
                )
            ).all()
            updates = []
            spec = MODELS[model]
            for row in rows:
                fields = anonymised(model, orjson.loads(row.data))
                blank = dump(fields)
                h = digest(blank)
                if h != row.content_hash:
                    embed = dump(spec.embed(row.id, row.remote_id, fields)).decode() if spec.embed else None
                    updates.append(
                        {"_id": row.id, "data": blank.decode(), "content_hash": h, "nested": None, "embed": embed}
                    )
            if updates:
                conn.execute(
                    update(table)
                    .where(table.c.id == bindparam("_id"))
                    .values(
                        data=bindparam("data"),
                        content_hash=bindparam("content_hash"),
                        nested=bindparam("nested"),
                        embed=bindparam("embed"),
                    ),
                    updates,
                )
                changed += len(updates)
    return changed
