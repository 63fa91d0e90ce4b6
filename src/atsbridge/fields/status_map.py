"""An integration's status -> outcome override (``config["status_map"]``): read it, and change it.

The map is applied by the mappers before records are hashed, so a change makes stored outcomes stale: like a
custom-field mapping change, it marks the integration's data expired and queues a FULL sync, which rewrites
each application whose outcome moved (and so moves its ``changed_at`` for ``updated_after`` readers).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, select, update

from atsbridge.connectors.outcomes import parse_status_map
from atsbridge.core.errors import ApiError
from atsbridge.fields.service import expire_data
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import integrations


def stored(config: dict[str, Any]) -> dict[str, str]:
    """The map as the client gave it (an unreadable stored value reads as empty)."""
    value = config.get("status_map")
    try:
        parse_status_map(value or {})
    except ValueError:
        return {}
    return dict(value or {})


def set_status_map(engine: Engine, integration_id: str, value: object) -> tuple[dict[str, str], bool]:
    """Validate and store ``value``; (the stored map, whether it changed). A change queues a FULL sync."""
    try:
        parse_status_map(value)
    except ValueError as exc:
        raise ApiError("PLATFORM.INPUT_INVALID", str(exc)) from None
    assert isinstance(value, dict)  # parse_status_map accepted it
    with engine.begin() as conn:
        row = conn.execute(
            select(integrations.c.config).where(integrations.c.id == integration_id).with_for_update()
        ).first()
        if row is None:
            raise ApiError("PLATFORM.INTEGRATION_NOT_FOUND", f"integration_id: no integration '{integration_id}'")
        config = orjson.loads(row.config or "{}")
        changed = stored(config) != value
        if changed:
            if value:
                config["status_map"] = value
            else:
                config.pop("status_map", None)
            conn.execute(
                update(integrations)
                .where(integrations.c.id == integration_id)
                .values(config=orjson.dumps(config).decode())
            )
            expire_data(conn, integration_id)
    if changed:
        runs.enqueue(engine, integration_id, "FULL", "status_map")
    return dict(value), changed
