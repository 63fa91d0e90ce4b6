"""Connect links in the database: created with a random secret of which only the SHA-256 is stored, found
again by that secret, and counted down (failures, lock, completion, the one exchange token)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import connect_links

#: How long a link lives, per ``link_type`` (the contract: EMBEDDED 1 hour, MAGIC_LINK 1 year).
LIFETIMES = {"EMBEDDED": timedelta(hours=1), "MAGIC_LINK": timedelta(days=365)}
#: The exchange token handed to the embedding app after success (like an OAuth code).
EXCHANGE_LIFETIME = timedelta(minutes=10)
#: After this many refused credentials the link stops accepting attempts (guessing protection).
MAX_FAILED_ATTEMPTS = 10


def digest(secret: str) -> str:
    """Link secrets and exchange tokens carry 256 bits of entropy: one SHA-256 is enough.

    ``surrogatepass`` keeps this total over any text a client sends: a lone surrogate hashes to something
    no issued secret matches instead of raising UnicodeEncodeError."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Link:
    id: str
    environment_id: str
    purpose: str
    integration_id: str | None
    end_user_email: str | None
    end_user_organization_name: str
    end_user_origin_id: str | None
    integration_tool: str | None
    remote_environment: str | None
    language: str
    scope_config_id: str | None
    link_type: str
    options: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    failed_attempts: int
    last_error: str | None

    def state(self, now: datetime | None = None) -> str:
        """open, used, locked or expired: only an open link shows its form."""
        if self.completed_at is not None:
            return "used"
        if self.failed_attempts >= MAX_FAILED_ATTEMPTS:
            return "locked"
        if self.expires_at <= (now or utcnow()):
            return "expired"
        return "open"


def _link(row: Any) -> Link:
    return Link(
        id=row.id,
        environment_id=row.environment_id,
        purpose=row.purpose,
        integration_id=row.integration_id,
        end_user_email=row.end_user_email,
        end_user_organization_name=row.end_user_organization_name,
        end_user_origin_id=row.end_user_origin_id,
        integration_tool=row.integration_tool,
        remote_environment=row.remote_environment,
        language=row.language,
        scope_config_id=row.scope_config_id,
        link_type=row.link_type,
        options=orjson.loads(row.options or "{}"),
        created_at=row.created_at,
        expires_at=row.expires_at,
        completed_at=row.completed_at,
        failed_attempts=row.failed_attempts,
        last_error=row.last_error,
    )


def create(
    conn: Connection,
    *,
    environment_id: str,
    purpose: str,
    organization_name: str,
    link_type: str = "EMBEDDED",
    language: str = "en",
    integration_id: str | None = None,
    email: str | None = None,
    origin_id: str | None = None,
    tool: str | None = None,
    remote_environment: str | None = None,
    scope_config_id: str | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """Store a link; returns (link id, link secret). The secret is seen here once, never stored."""
    secret = secrets.token_urlsafe(32)
    link_id = "lnk_" + random_id(20)
    now = utcnow()
    conn.execute(
        insert(connect_links).values(
            id=link_id,
            environment_id=environment_id,
            token_hash=digest(secret),
            purpose=purpose,
            integration_id=integration_id,
            end_user_email=email,
            end_user_organization_name=organization_name,
            end_user_origin_id=origin_id,
            integration_category="ATS",
            integration_tool=tool,
            remote_environment=remote_environment,
            language=language,
            scope_config_id=scope_config_id,
            link_type=link_type,
            options=orjson.dumps(options or {}).decode(),
            created_at=now,
            expires_at=now + LIFETIMES[link_type],
            failed_attempts=0,
        )
    )
    return link_id, secret


def find(conn: Connection, secret: str) -> Link | None:
    if not secret or len(secret) > 200:
        return None
    row = conn.execute(select(connect_links).where(connect_links.c.token_hash == digest(secret))).first()
    return _link(row) if row is not None else None


def get(conn: Connection, link_id: str) -> Link | None:
    row = conn.execute(select(connect_links).where(connect_links.c.id == link_id)).first()
    return _link(row) if row is not None else None


def record_failure(conn: Connection, link_id: str, message: str) -> None:
    """Count a refused attempt; ``message`` is the end-customer explanation (never contains a secret)."""
    conn.execute(
        update(connect_links)
        .where(connect_links.c.id == link_id)
        .values(failed_attempts=connect_links.c.failed_attempts + 1, last_error=message[:2000])
    )


def complete(conn: Connection, link_id: str, integration_id: str) -> str | None:
    """Mark the link used and issue its exchange token; None when another request completed it first."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    done = conn.execute(
        update(connect_links)
        .where(connect_links.c.id == link_id, connect_links.c.completed_at.is_(None))
        .values(
            completed_at=now,
            integration_id=integration_id,
            exchange_token_hash=digest(token),
            exchange_expires_at=now + EXCHANGE_LIFETIME,
        )
    )
    return token if done.rowcount == 1 else None


def consume_exchange_token(conn: Connection, environment_id: str, token: str) -> str | None:
    """The integration a still-valid exchange token names, only within ``environment_id``; the token is used
    up by the same call. Like an OAuth code it works once: the conditional UPDATE lets exactly one of two
    racing exchanges win (the other finds no row to clear and gets None)."""
    if not token or len(token) > 200:
        return None
    hashed = digest(token)
    row = conn.execute(
        select(connect_links.c.id, connect_links.c.integration_id, connect_links.c.exchange_expires_at).where(
            connect_links.c.exchange_token_hash == hashed,
            connect_links.c.environment_id == environment_id,
        )
    ).first()
    if row is None or row.exchange_expires_at is None or row.exchange_expires_at <= utcnow():
        return None
    used = conn.execute(
        update(connect_links)
        .where(connect_links.c.id == row.id, connect_links.c.exchange_token_hash == hashed)
        .values(exchange_token_hash=None, exchange_expires_at=None)
    ).rowcount
    if used != 1:
        return None
    return str(row.integration_id) if row.integration_id else None


def field_mapping_enabled(conn: Connection, integration_id: str) -> bool:
    """Whether the integration was connected through a link with ``enable_field_mapping``."""
    rows = conn.execute(
        select(connect_links.c.options).where(
            connect_links.c.integration_id == integration_id, connect_links.c.purpose == "connect"
        )
    ).all()
    return any(orjson.loads(r.options or "{}").get("enable_field_mapping") for r in rows)
