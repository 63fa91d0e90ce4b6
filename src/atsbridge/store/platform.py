"""Environments, API keys and integrations: the tenancy the API authenticates against."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from atsbridge.core.ids import hash_api_key, new_api_key, random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import api_keys, environments, integrations, kv


@dataclass(frozen=True)
class Integration:
    id: str
    environment_id: str
    tool: str
    organization_name: str
    config: dict[str, Any]
    enabled: bool
    status: str
    setup_status: str
    created_at: datetime
    first_synced_at: datetime | None
    end_user_email: str | None = None
    end_user_origin_id: str | None = None
    #: Encrypted vendor credentials; opened only where a connector needs them.
    sealed_credentials: bytes | None = None
    scope_config_id: str | None = None
    data_expired_at: datetime | None = None
    status_reason: str | None = None


def create_environment(conn: Connection, name: str) -> str:
    env_id = "env_" + random_id(20)
    conn.execute(insert(environments).values(id=env_id, name=name, created_at=utcnow()))
    return env_id


def first_environment(conn: Connection) -> str | None:
    return conn.execute(select(environments.c.id).order_by(environments.c.created_at).limit(1)).scalar_one_or_none()


def create_api_key(conn: Connection, environment_id: str, name: str) -> str:
    """Create a key and return it. Only its hash is stored: this is the one time it is seen."""
    key = new_api_key()
    conn.execute(
        insert(api_keys).values(
            id="key_" + random_id(20),
            environment_id=environment_id,
            name=name,
            key_hash=hash_api_key(key),
            prefix=key[:9],
            created_at=utcnow(),
        )
    )
    return key


def revoke_api_keys(conn: Connection, environment_id: str, name: str) -> int:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.environment_id == environment_id, api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


def environment_for_key(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(api_keys.c.environment_id).where(
            api_keys.c.key_hash == hash_api_key(key), api_keys.c.revoked_at.is_(None)
        )
    ).scalar_one_or_none()


def create_integration(
    conn: Connection,
    environment_id: str,
    tool: str,
    organization_name: str,
    config: dict[str, Any] | None = None,
    credentials: bytes | None = None,
) -> str:
    integration_id = f"{tool}:{random_id(24)}"
    conn.execute(
        insert(integrations).values(
            id=integration_id,
            environment_id=environment_id,
            tool=tool,
            end_user_organization_name=organization_name,
            config=orjson.dumps(config or {}).decode(),
            credentials=credentials,
            enabled=True,
            status="ACTIVE",
            setup_status="FINAL_SYNC_PENDING",
            created_at=utcnow(),
        )
    )
    return integration_id


def _integration(row: Any) -> Integration:
    return Integration(
        id=row.id,
        environment_id=row.environment_id,
        tool=row.tool,
        organization_name=row.end_user_organization_name,
        config=orjson.loads(row.config or "{}"),
        enabled=row.enabled,
        status=row.status,
        setup_status=row.setup_status,
        created_at=row.created_at,
        first_synced_at=row.first_synced_at,
        end_user_email=row.end_user_email,
        end_user_origin_id=row.end_user_origin_id,
        sealed_credentials=row.credentials,
        scope_config_id=row.scope_config_id,
        data_expired_at=row.data_expired_at,
        status_reason=row.status_reason,
    )


#: ``integrations.status`` of an integration being deleted: invisible everywhere while its rows are purged.
DELETED = "DELETED"


def get_integration(conn: Connection, integration_id: str) -> Integration | None:
    row = conn.execute(
        select(integrations).where(integrations.c.id == integration_id, integrations.c.status != DELETED)
    ).first()
    return _integration(row) if row is not None else None


def list_integrations(conn: Connection, environment_id: str | None = None) -> list[Integration]:
    stmt = select(integrations).where(integrations.c.status != DELETED).order_by(integrations.c.created_at)
    if environment_id is not None:
        stmt = stmt.where(integrations.c.environment_id == environment_id)
    return [_integration(r) for r in conn.execute(stmt)]


def mark_first_sync_done(conn: Connection, integration_id: str, ts: datetime) -> bool:
    """True when this was the first completed sync (setup just became COMPLETED)."""
    done = conn.execute(
        update(integrations)
        .where(integrations.c.id == integration_id, integrations.c.first_synced_at.is_(None))
        .values(first_synced_at=ts, setup_status="COMPLETED")
    ).rowcount
    return bool(done)


def platform_secret(engine: Engine, configured: str | None) -> bytes:
    """The signing secret: the configured one, else one generated once and kept in the database."""
    if configured:
        return configured.encode()
    try:
        with engine.begin() as conn:
            value = conn.execute(select(kv.c.value).where(kv.c.key == "secret_key")).scalar_one_or_none()
            if value is None:
                value = secrets.token_urlsafe(48)
                conn.execute(insert(kv).values(key="secret_key", value=value))
    except IntegrityError:  # another process created it first
        with engine.connect() as conn:
            value = conn.execute(select(kv.c.value).where(kv.c.key == "secret_key")).scalar_one()
    return value.encode()


def save_credentials(conn: Connection, integration_id: str, sealed: bytes) -> None:
    conn.execute(update(integrations).where(integrations.c.id == integration_id).values(credentials=sealed))
