"""One environment: its API keys, its integrations (a keyset-paginated page), its recent Connect links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, select, update

from atsbridge.core.timeutil import utcnow
from atsbridge.store import platform
from atsbridge.store.platform import Integration
from atsbridge.store.tables import api_keys, connect_links, environments, integrations

#: Integrations per page on the environment page (keyset on id).
PAGE = 50
KEYS_LIMIT = 200
LINKS_LIMIT = 20


@dataclass(frozen=True)
class EnvironmentInfo:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class KeyRow:
    id: str
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class LinkRow:
    id: str
    purpose: str
    tool: str | None
    organization: str
    created_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    failed_attempts: int


def environment(conn: Connection, environment_id: str) -> EnvironmentInfo | None:
    row = conn.execute(select(environments).where(environments.c.id == environment_id)).first()
    return EnvironmentInfo(row.id, row.name, row.created_at) if row is not None else None


def keys(conn: Connection, environment_id: str) -> list[KeyRow]:
    """Keys without their hashes: name and the non-secret prefix are enough to recognise one."""
    rows = conn.execute(
        select(api_keys.c.id, api_keys.c.name, api_keys.c.prefix, api_keys.c.created_at, api_keys.c.revoked_at)
        .where(api_keys.c.environment_id == environment_id)
        .order_by(api_keys.c.created_at.desc(), api_keys.c.id)
        .limit(KEYS_LIMIT)
    )
    return [KeyRow(r.id, r.name, r.prefix, r.created_at, r.revoked_at) for r in rows]


def revoke_key(conn: Connection, environment_id: str, key_id: str) -> bool:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.environment_id == environment_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)


def integrations_page(conn: Connection, environment_id: str, after: str | None) -> tuple[list[Integration], str | None]:
    """One page of the environment's integrations ordered by id; returns it and the next page's cursor."""
    stmt = select(integrations).where(integrations.c.environment_id == environment_id)
    if after:
        stmt = stmt.where(integrations.c.id > after)
    rows = conn.execute(stmt.order_by(integrations.c.id).limit(PAGE + 1)).all()
    found = [platform._integration(r) for r in rows[:PAGE]]
    return found, (found[-1].id if len(rows) > PAGE else None)


def recent_links(conn: Connection, environment_id: str) -> list[LinkRow]:
    return latest_links(conn, connect_links.c.environment_id == environment_id, LINKS_LIMIT)


def latest_links(conn: Connection, where: ColumnElement[bool], limit: int) -> list[LinkRow]:
    """Newest Connect links matching ``where`` (never their secrets: only these columns are read)."""
    c = connect_links.c
    rows = conn.execute(
        select(c.id, c.purpose, c.integration_tool, c.end_user_organization_name, c.created_at, c.expires_at,
               c.completed_at, c.failed_attempts)
        .where(where)
        .order_by(c.created_at.desc(), c.id)
        .limit(limit)
    )  # fmt: skip
    return [LinkRow(*r) for r in rows]
