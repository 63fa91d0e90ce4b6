"""Webhook endpoints of an environment: create, change, rotate secrets, delete; their delivery log.

Everything is scoped by environment: an id of another environment is answered exactly like a missing one.
Signing secrets are sealed with the platform's :class:`~atsbridge.core.crypto.CredentialBox` (they must be
read back to sign) and returned only by :func:`create_endpoint` and :func:`rotate_secret`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, insert, select, update

from atsbridge.core.config import Settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.core.errors import ApiError, input_invalid
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.store.tables import events, webhook_attempts, webhook_deliveries, webhook_endpoints
from atsbridge.webhooks.events import EVENT_TYPES, RETRY_WINDOW
from atsbridge.webhooks.signing import new_secret
from atsbridge.webhooks.targets import validate_url

DELIVERY_STATUSES = ("PENDING", "SUCCEEDED", "FAILED")
MAX_GRACE_HOURS = 24 * 30


def seal_secret(box: CredentialBox, secret: str) -> bytes:
    return box.seal({"secret": secret})


def open_secret(box: CredentialBox, blob: bytes | None) -> str | None:
    return str(box.open(blob)["secret"]) if blob else None


def not_found(kind: str, field: str, value: str) -> ApiError:
    """The one answer for missing and foreign ids alike (nothing leaks across environments)."""
    return ApiError("PLATFORM.INPUT_INVALID", f"{field}: no {kind} {value!r} in this API key's environment", status=404)


def normalise_event_types(value: list[str] | None, field: str = "event_types") -> list[str] | None:
    """``None`` means every type (including types added later); an explicit list must name known types."""
    if value is None:
        return None
    if not value:
        raise input_invalid(f"{field}: must name at least one event type, or be null for all types")
    unknown = [t for t in value if t not in EVENT_TYPES]
    if unknown:
        raise input_invalid(f"{field}: unknown event type {unknown[0]!r}; known: {', '.join(EVENT_TYPES)}")
    return sorted(set(value), key=EVENT_TYPES.index)


def _ts(value: datetime | None) -> str | None:
    return format_ts(value) if value is not None else None


def endpoint_json(row: Any, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    grace = row.previous_secret is not None and row.previous_secret_expires_at is not None
    grace = grace and row.previous_secret_expires_at > now
    return {
        "id": row.id,
        "url": row.url,
        "description": row.description,
        "event_types": orjson.loads(row.event_types) if row.event_types is not None else None,
        "enabled": row.enabled,
        "created_at": format_ts(row.created_at),
        "updated_at": format_ts(row.updated_at),
        "previous_secret_expires_at": _ts(row.previous_secret_expires_at) if grace else None,
    }


def _row(conn: Connection, environment_id: str, endpoint_id: str) -> Any:
    row = conn.execute(
        select(webhook_endpoints).where(
            webhook_endpoints.c.id == endpoint_id, webhook_endpoints.c.environment_id == environment_id
        )
    ).first()
    if row is None:
        raise not_found("webhook endpoint", "webhook_id", endpoint_id)
    return row


def create_endpoint(
    engine: Engine,
    box: CredentialBox,
    settings: Settings,
    environment_id: str,
    *,
    url: str,
    event_types: list[str] | None = None,
    description: str | None = None,
) -> tuple[dict[str, Any], str]:
    """Returns the endpoint and its signing secret (the only time the secret is handed out)."""
    url = validate_url(url, settings)
    types = normalise_event_types(event_types)
    secret = new_secret()
    now = utcnow()
    endpoint_id = "whe_" + random_id(20)
    with engine.begin() as conn:
        conn.execute(
            insert(webhook_endpoints).values(
                id=endpoint_id,
                environment_id=environment_id,
                url=url,
                description=description,
                secret=seal_secret(box, secret),
                event_types=orjson.dumps(types).decode() if types is not None else None,
                enabled=True,
                created_at=now,
                updated_at=now,
            )
        )
        return endpoint_json(_row(conn, environment_id, endpoint_id), now), secret


def list_endpoints(conn: Connection, environment_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(webhook_endpoints)
        .where(webhook_endpoints.c.environment_id == environment_id)
        .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
    ).all()
    now = utcnow()
    return [endpoint_json(r, now) for r in rows]


def get_endpoint(conn: Connection, environment_id: str, endpoint_id: str) -> dict[str, Any]:
    return endpoint_json(_row(conn, environment_id, endpoint_id))


@dataclass(frozen=True)
class EndpointChanges:
    """A PATCH: only the fields given change (``event_types=None`` with ``set_event_types`` means all)."""

    url: str | None = None
    description: str | None = None
    set_description: bool = False
    event_types: list[str] | None = None
    set_event_types: bool = False
    enabled: bool | None = None


def update_endpoint(
    engine: Engine, settings: Settings, environment_id: str, endpoint_id: str, changes: EndpointChanges
) -> dict[str, Any]:
    values: dict[str, Any] = {"updated_at": utcnow()}
    if changes.url is not None:
        values["url"] = validate_url(changes.url, settings)
    if changes.set_description:
        values["description"] = changes.description
    if changes.set_event_types:
        types = normalise_event_types(changes.event_types)
        values["event_types"] = orjson.dumps(types).decode() if types is not None else None
    if changes.enabled is not None:
        values["enabled"] = changes.enabled
    with engine.begin() as conn:
        _row(conn, environment_id, endpoint_id)
        conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id).values(**values))
        return endpoint_json(_row(conn, environment_id, endpoint_id))


def delete_endpoint(engine: Engine, environment_id: str, endpoint_id: str) -> None:
    """Deletes its deliveries and their attempts too (foreign-key cascades, spelled out for clarity)."""
    with engine.begin() as conn:
        _row(conn, environment_id, endpoint_id)
        ids = select(webhook_deliveries.c.id).where(webhook_deliveries.c.endpoint_id == endpoint_id)
        conn.execute(delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(ids)))
        conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.endpoint_id == endpoint_id))
        conn.execute(delete(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id))


def rotate_secret(
    engine: Engine, box: CredentialBox, environment_id: str, endpoint_id: str, grace_hours: float = 24
) -> tuple[dict[str, Any], str]:
    """A new current secret; the old one keeps signing ``X-Atsbridge-Previous-Signature`` for the grace
    period so receivers can switch without losing events (0 hours: it stops at once)."""
    if not 0 <= grace_hours <= MAX_GRACE_HOURS:
        raise input_invalid(f"grace_hours: must be between 0 and {MAX_GRACE_HOURS}")
    secret = new_secret()
    now = utcnow()
    with engine.begin() as conn:
        row = _row(conn, environment_id, endpoint_id)
        conn.execute(
            update(webhook_endpoints)
            .where(webhook_endpoints.c.id == endpoint_id)
            .values(
                secret=seal_secret(box, secret),
                previous_secret=row.secret if grace_hours > 0 else None,
                previous_secret_expires_at=now + timedelta(hours=grace_hours) if grace_hours > 0 else None,
                updated_at=now,
            )
        )
        return endpoint_json(_row(conn, environment_id, endpoint_id), now), secret


def _delivery_json(row: Any, attempts: list[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "endpoint_id": row.endpoint_id,
        "event_id": row.event_id,
        "event_type": row.type,
        "integration_id": row.ordering_key or None,
        "status": row.status,
        "attempts": row.attempts,
        "created_at": format_ts(row.created_at),
        "next_attempt_at": _ts(row.next_attempt_at) if row.status == "PENDING" else None,
        "last_attempt_at": _ts(row.last_attempt_at),
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "delivered_at": _ts(row.delivered_at),
        "give_up_at": format_ts(row.give_up_at),
        "attempt_log": [
            {
                "attempt": a.attempt,
                "at": format_ts(a.at),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ],
    }


def _delivery_select() -> Any:
    return select(webhook_deliveries, events.c.type).join(events, events.c.seq == webhook_deliveries.c.event_seq)


def _with_attempts(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    log: dict[str, list[Any]] = defaultdict(list)
    if rows:
        for a in conn.execute(
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id.in_([r.id for r in rows]))
            .order_by(webhook_attempts.c.delivery_id, webhook_attempts.c.attempt)
        ):
            log[a.delivery_id].append(a)
    return [_delivery_json(r, log[r.id]) for r in rows]


def list_deliveries(
    conn: Connection,
    environment_id: str,
    endpoint_id: str,
    *,
    status: str | None = None,
    before_seq: int | None = None,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int | None]:
    """Newest first; returns the page and the ``event_seq`` to continue before (None at the end)."""
    _row(conn, environment_id, endpoint_id)
    if status is not None and status not in DELIVERY_STATUSES:
        raise input_invalid(f"status: must be one of {', '.join(DELIVERY_STATUSES)}")
    stmt = _delivery_select().where(webhook_deliveries.c.endpoint_id == endpoint_id)
    if status is not None:
        stmt = stmt.where(webhook_deliveries.c.status == status)
    if before_seq is not None:
        stmt = stmt.where(webhook_deliveries.c.event_seq < before_seq)
    rows = list(conn.execute(stmt.order_by(webhook_deliveries.c.event_seq.desc()).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return _with_attempts(conn, rows), (rows[-1].event_seq if more else None)


def get_delivery(conn: Connection, environment_id: str, delivery_id: str) -> dict[str, Any]:
    row = conn.execute(
        _delivery_select().where(
            webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.environment_id == environment_id
        )
    ).first()
    if row is None:
        raise not_found("webhook delivery", "delivery_id", delivery_id)
    return _with_attempts(conn, [row])[0]


def redeliver(engine: Engine, environment_id: str, delivery_id: str) -> dict[str, Any]:
    """Back to PENDING with a fresh retry window (its attempt log is kept). It goes out in its place in the
    integration's order: later pending events of the same integration wait for it."""
    now = utcnow()
    with engine.begin() as conn:
        found = conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.environment_id == environment_id)
            .values(
                status="PENDING",
                next_attempt_at=now,
                give_up_at=now + RETRY_WINDOW,
                locked_until=None,
                delivered_at=None,
            )
        ).rowcount
        if not found:
            raise not_found("webhook delivery", "delivery_id", delivery_id)
        return get_delivery(conn, environment_id, delivery_id)
