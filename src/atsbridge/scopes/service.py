"""Scope configs in the store: resolution per integration, and what changing one does to the data.

Narrowing a config purges what fell out of it at once (rows of a disabled model are deleted; a disabled
field is blanked in every stored record and its projections). Widening queues a full sync of every
integration using the config, which fills what came into scope.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, Engine, bindparam, delete, insert, or_, select, update

from atsbridge.core.errors import ApiError
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.model.registry import MODELS
from atsbridge.scopes.model import EVERYTHING, Scope, parse
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES, integrations, scope_configs
from atsbridge.store.writer import digest, dump

Json = dict[str, Any]


def _row_scope(row: Any) -> Scope:
    return parse(orjson.loads(row.settings), config_id=row.id, name=row.name)


def scope_for(conn: Connection, integration_id: str) -> Scope:
    """The integration's own config, else its environment's default, else everything enabled."""
    found = conn.execute(
        select(integrations.c.scope_config_id, integrations.c.environment_id).where(integrations.c.id == integration_id)
    ).first()
    if found is None:
        return EVERYTHING
    stmt = select(scope_configs)
    if found.scope_config_id:
        stmt = stmt.where(scope_configs.c.id == found.scope_config_id)
    else:
        stmt = stmt.where(scope_configs.c.environment_id == found.environment_id, scope_configs.c.is_default.is_(True))
    row = conn.execute(stmt.limit(1)).first()
    return _row_scope(row) if row is not None else EVERYTHING


def as_json(row: Any) -> Json:
    return {
        "id": row.id,
        "name": row.name,
        "is_default": row.is_default,
        "settings": orjson.loads(row.settings),
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def list_configs(conn: Connection, environment_id: str) -> list[Json]:
    rows = conn.execute(
        select(scope_configs)
        .where(scope_configs.c.environment_id == environment_id)
        .order_by(scope_configs.c.created_at)
    )
    return [as_json(r) for r in rows]


def get_config(conn: Connection, environment_id: str, config_id: str) -> Any:
    row = conn.execute(
        select(scope_configs).where(scope_configs.c.id == config_id, scope_configs.c.environment_id == environment_id)
    ).first()
    if row is None:
        raise ApiError("PLATFORM.INPUT_INVALID", f"scope_config_id: no scope config {config_id!r}", status=404)
    return row


def create_config(engine: Engine, environment_id: str, name: str, settings: Json, *, is_default: bool = False) -> str:
    parse(settings)
    config_id = "scope_" + random_id(20)
    now = utcnow()
    with engine.begin() as conn:
        if is_default:
            conn.execute(
                update(scope_configs).where(scope_configs.c.environment_id == environment_id).values(is_default=False)
            )
        conn.execute(
            insert(scope_configs).values(
                id=config_id,
                environment_id=environment_id,
                name=name,
                settings=orjson.dumps(settings).decode(),
                is_default=is_default,
                created_at=now,
                updated_at=now,
            )
        )
        affected = _integrations_of(conn, environment_id, config_id, is_default)
        before = {iid: scope_for(conn, iid) for iid in affected}
    _apply_change(engine, before, parse(settings))
    return config_id


def update_config(engine: Engine, environment_id: str, config_id: str, settings: Json, name: str | None = None) -> None:
    new = parse(settings, config_id=config_id)
    with engine.begin() as conn:
        row = get_config(conn, environment_id, config_id)
        affected = _integrations_of(conn, environment_id, config_id, row.is_default)
        before = {iid: scope_for(conn, iid) for iid in affected}
        conn.execute(
            update(scope_configs)
            .where(scope_configs.c.id == config_id)
            .values(settings=orjson.dumps(settings).decode(), name=name or row.name, updated_at=utcnow())
        )
    _apply_change(engine, before, new)


def assign(engine: Engine, environment_id: str, integration_id: str, config_id: str | None) -> None:
    """Put an integration under another config (None: the environment default)."""
    with engine.begin() as conn:
        if config_id is not None:
            get_config(conn, environment_id, config_id)
        before = {integration_id: scope_for(conn, integration_id)}
        conn.execute(update(integrations).where(integrations.c.id == integration_id).values(scope_config_id=config_id))
        after = scope_for(conn, integration_id)
    _apply_change(engine, before, after)


def _integrations_of(conn: Connection, environment_id: str, config_id: str, is_default: bool) -> list[str]:
    cond = integrations.c.scope_config_id == config_id
    if is_default:
        cond = or_(cond, integrations.c.scope_config_id.is_(None))
    return list(
        conn.execute(select(integrations.c.id).where(integrations.c.environment_id == environment_id, cond)).scalars()
    )


def _apply_change(engine: Engine, before: dict[str, Scope], after: Scope) -> None:
    from atsbridge.store import sync_runs as runs

    for integration_id, old in before.items():
        narrowed_models = after.disabled_models - old.disabled_models
        narrowed_fields = {
            m: after.fields_off(m) - old.fields_off(m) for m in MODELS if after.fields_off(m) - old.fields_off(m)
        }
        widened = (old.disabled_models - after.disabled_models) or any(
            old.fields_off(m) - after.fields_off(m) for m in MODELS
        )
        with engine.begin() as conn:
            for model in narrowed_models:
                table = MODEL_TABLES[model]
                conn.execute(delete(table).where(table.c.integration_id == integration_id))
            for model, fields in narrowed_fields.items():
                if model not in after.disabled_models:
                    blank_fields(conn, integration_id, model, fields)
        if widened:
            runs.enqueue(engine, integration_id, "FULL", "scope-change")


def blank_fields(conn: Connection, integration_id: str, model: str, fields: frozenset[str]) -> int:
    """Null ``fields`` in every stored record of ``model`` (documents, hashes and projections)."""
    spec = MODELS[model]
    table = MODEL_TABLES[model]
    rows = conn.execute(
        select(table.c.id, table.c.remote_id, table.c.data).where(table.c.integration_id == integration_id)
    ).all()
    updates = []
    for row in rows:
        data = orjson.loads(row.data)
        if all(data.get(f) is None for f in fields):
            continue
        for f in fields:
            data[f] = None
        raw = dump(data)
        embed = dump(spec.embed(row.id, row.remote_id, data)).decode() if spec.embed else None
        updates.append({"_id": row.id, "data": raw.decode(), "content_hash": digest(raw), "embed": embed})
    if updates:
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(data=bindparam("data"), content_hash=bindparam("content_hash"), embed=bindparam("embed")),
            updates,
        )
        for side, extract in spec.sides.items():  # e.g. the candidate e-mail index: no copy may survive
            side_table = SIDE_TABLES[(model, side)]
            ids = [u["_id"] for u in updates]
            conn.execute(delete(side_table).where(side_table.c.record_id.in_(ids)))
            rows_ = [
                {"integration_id": integration_id, "record_id": u["_id"], "value": v}
                for u in updates
                for v in extract(orjson.loads(u["data"]))
            ]
            if rows_:
                conn.execute(insert(side_table), rows_)
    return len(updates)
