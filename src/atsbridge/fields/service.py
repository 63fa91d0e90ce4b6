"""Integration fields, custom-field definitions and mappings: the storage side of the general.* endpoints.

A change to what records carry (a passthrough toggle, a mapping) marks the integration's data expired and
queues a FULL sync; the next successful full sync re-applies the plan to every record and clears the mark.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from atsbridge.core.errors import ApiError
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.model.registry import MODELS
from atsbridge.store import sync_runs as runs
from atsbridge.store.tables import custom_field_mappings, custom_fields, integration_fields, integrations

#: Models whose records carry ``custom_fields`` (custom fields can be defined for these).
CUSTOM_FIELD_MODELS = tuple(name for name, spec in MODELS.items() if "custom_fields" in spec.fields.model_fields)


def _invalid(message: str) -> ApiError:
    return ApiError("PLATFORM.INPUT_INVALID", message)


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = ""
    if not value or encode_cursor(value) != cursor:
        raise _invalid("cursor: not a cursor this endpoint returned")
    return value


def page_size(value: int | None, maximum: int) -> int:
    size = 100 if value is None else value
    if size < 1 or size > maximum:
        raise _invalid(f"page_size: must be between 1 and {maximum}")
    return size


def field_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "key": r.key,
        "model": r.model,
        "type": r.type,
        "label": r.label,
        "is_passthrough_enabled": bool(r.is_passthrough_enabled),
        "is_writable": False,
    }


def list_integration_fields(
    conn: Connection, integration_id: str, cursor: str | None, size: int
) -> tuple[list[dict[str, Any]], str | None]:
    after = decode_cursor(cursor)
    rows = conn.execute(
        select(integration_fields)
        .where(integration_fields.c.integration_id == integration_id, integration_fields.c.id > after)
        .order_by(integration_fields.c.id)
        .limit(size + 1)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    return [field_json(r) for r in rows], (encode_cursor(rows[-1].id) if more else None)


def expire_data(conn: Connection, integration_id: str) -> None:
    conn.execute(update(integrations).where(integrations.c.id == integration_id).values(data_expired_at=utcnow()))


def set_passthrough(engine: Engine, integration_id: str, field_id: str, enabled: bool | None) -> dict[str, Any]:
    with engine.begin() as conn:
        row = conn.execute(
            select(integration_fields).where(
                integration_fields.c.id == field_id, integration_fields.c.integration_id == integration_id
            )
        ).first()
        if row is None:
            raise ApiError(
                "PLATFORM.INPUT_INVALID", f"integration_field_id: no field '{field_id}' in this integration", status=404
            )
        changed = enabled is not None and bool(row.is_passthrough_enabled) != enabled
        if changed:
            conn.execute(
                update(integration_fields)
                .where(integration_fields.c.id == field_id)
                .values(is_passthrough_enabled=enabled)
            )
            expire_data(conn, integration_id)
        row = conn.execute(select(integration_fields).where(integration_fields.c.id == field_id)).one()
    if changed:
        runs.enqueue(engine, integration_id, "FULL", "fields")
    return field_json(row)


def _mapped_field(r: Any) -> dict[str, Any] | None:
    if r.if_id is None:
        return None
    return {"id": r.if_id, "key": r.if_key, "type": r.if_type, "label": r.if_label}


def _custom_select(integration_id: str) -> Any:
    return (
        select(
            custom_fields,
            integration_fields.c.id.label("if_id"),
            integration_fields.c.key.label("if_key"),
            integration_fields.c.type.label("if_type"),
            integration_fields.c.label.label("if_label"),
        )
        .outerjoin(
            custom_field_mappings,
            (custom_field_mappings.c.custom_field_id == custom_fields.c.id)
            & (custom_field_mappings.c.integration_id == integration_id),
        )
        .outerjoin(integration_fields, integration_fields.c.id == custom_field_mappings.c.integration_field_id)
    )


def _custom_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "key": r.key,
        "integration_field": _mapped_field(r),
        "model": r.model,
        "label": r.label,
        "description": r.description,
    }


def list_custom_fields(
    conn: Connection, environment_id: str, integration_id: str, cursor: str | None, size: int
) -> tuple[list[dict[str, Any]], str | None]:
    after = decode_cursor(cursor)
    rows = conn.execute(
        _custom_select(integration_id)
        .where(custom_fields.c.environment_id == environment_id, custom_fields.c.id > after)
        .order_by(custom_fields.c.id)
        .limit(size + 1)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    return [_custom_json(r) for r in rows], (encode_cursor(rows[-1].id) if more else None)


def set_mapping(
    engine: Engine, environment_id: str, integration_id: str, custom_field_id: str, field_id: str | None
) -> dict[str, Any]:
    with engine.begin() as conn:
        cf = conn.execute(
            select(custom_fields).where(
                custom_fields.c.id == custom_field_id, custom_fields.c.environment_id == environment_id
            )
        ).first()
        if cf is None:
            raise ApiError(
                "PLATFORM.INPUT_INVALID", f"custom_field_id: no custom field '{custom_field_id}'", status=404
            )
        if field_id is not None:
            target = conn.execute(
                select(integration_fields.c.model).where(
                    integration_fields.c.id == field_id, integration_fields.c.integration_id == integration_id
                )
            ).first()
            if target is None:
                raise _invalid(f"integration_field_id: no field '{field_id}' in this integration")
            if target.model != cf.model:
                raise _invalid(
                    f"integration_field_id: field '{field_id}' belongs to {target.model}, "
                    f"the custom field to {cf.model}"
                )
        current = conn.execute(
            select(custom_field_mappings.c.integration_field_id).where(
                custom_field_mappings.c.integration_id == integration_id,
                custom_field_mappings.c.custom_field_id == custom_field_id,
            )
        ).scalar_one_or_none()
        changed = current != field_id
        if changed:
            conn.execute(
                delete(custom_field_mappings).where(
                    custom_field_mappings.c.integration_id == integration_id,
                    custom_field_mappings.c.custom_field_id == custom_field_id,
                )
            )
            if field_id is not None:
                conn.execute(
                    insert(custom_field_mappings).values(
                        integration_id=integration_id, custom_field_id=custom_field_id, integration_field_id=field_id
                    )
                )
            expire_data(conn, integration_id)
        row = conn.execute(_custom_select(integration_id).where(custom_fields.c.id == custom_field_id)).one()
    if changed:
        runs.enqueue(engine, integration_id, "FULL", "fields")
    return _custom_json(row)


# ------------------------------------------------------------------------- definitions (atsbridge extension)
def define(
    engine: Engine, environment_id: str, model: str, key: str, label: str | None, description: str | None
) -> dict[str, Any]:
    if model not in CUSTOM_FIELD_MODELS:
        raise _invalid(f"model: must be one of {', '.join(CUSTOM_FIELD_MODELS)}")
    cf_id = "cf_" + random_id(20)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(custom_fields).values(
                    id=cf_id,
                    environment_id=environment_id,
                    model=model,
                    key=key,
                    label=label,
                    description=description,
                    created_at=utcnow(),
                )
            )
            _expire_environment(conn, environment_id)
    except IntegrityError:
        raise _invalid(f"key: custom field '{key}' already exists for {model}") from None
    return {"id": cf_id, "model": model, "key": key, "label": label, "description": description}


def list_definitions(conn: Connection, environment_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(custom_fields)
        .where(custom_fields.c.environment_id == environment_id)
        .order_by(custom_fields.c.model, custom_fields.c.key)
    ).all()
    return [{"id": r.id, "model": r.model, "key": r.key, "label": r.label, "description": r.description} for r in rows]


def undefine(engine: Engine, environment_id: str, custom_field_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(custom_field_mappings).where(custom_field_mappings.c.custom_field_id == custom_field_id))
        done = conn.execute(
            delete(custom_fields).where(
                custom_fields.c.id == custom_field_id, custom_fields.c.environment_id == environment_id
            )
        ).rowcount
        if not done:
            raise ApiError(
                "PLATFORM.INPUT_INVALID", f"custom_field_id: no custom field '{custom_field_id}'", status=404
            )
        _expire_environment(conn, environment_id)


def _expire_environment(conn: Connection, environment_id: str) -> None:
    """Records' custom_fields change shape for every integration of the environment (next full sync)."""
    conn.execute(
        update(integrations)
        .where(integrations.c.environment_id == environment_id, integrations.c.status != "DELETED")
        .values(data_expired_at=utcnow())
    )
