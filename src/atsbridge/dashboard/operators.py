"""Dashboard operators: self-hosting admins who sign in with a token. Only the token's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import operators

#: Tokens carry 256 bits of entropy, so one SHA-256 suffices (no password stretching), as for API keys.
TOKEN_PREFIX = "atsbop_"


@dataclass(frozen=True)
class Operator:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(conn: Connection, name: str) -> tuple[str, str]:
    """Create an operator; returns (operator id, token). The token exists nowhere else after this call."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    operator_id = "op_" + random_id(20)
    conn.execute(insert(operators).values(id=operator_id, name=name, token_hash=hash_token(token), created_at=utcnow()))
    return operator_id, token


def list_all(conn: Connection) -> list[Operator]:
    rows = conn.execute(
        select(operators.c.id, operators.c.name, operators.c.created_at, operators.c.revoked_at).order_by(
            operators.c.created_at
        )
    )
    return [Operator(r.id, r.name, r.created_at, r.revoked_at) for r in rows]


def revoke(conn: Connection, operator_id: str) -> bool:
    """Revoke an operator: their token stops working and every session they hold ends at its next request."""
    result = conn.execute(
        update(operators)
        .where(operators.c.id == operator_id, operators.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)


def by_token(conn: Connection, token: str) -> Operator | None:
    row = conn.execute(
        select(operators.c.id, operators.c.name, operators.c.created_at, operators.c.revoked_at).where(
            operators.c.token_hash == hash_token(token.strip()), operators.c.revoked_at.is_(None)
        )
    ).first()
    return Operator(row.id, row.name, row.created_at, row.revoked_at) if row is not None else None


def active(conn: Connection, operator_id: str) -> Operator | None:
    """The operator if it still exists and is not revoked (checked on every dashboard request)."""
    row = conn.execute(
        select(operators.c.id, operators.c.name, operators.c.created_at, operators.c.revoked_at).where(
            operators.c.id == operator_id, operators.c.revoked_at.is_(None)
        )
    ).first()
    return Operator(row.id, row.name, row.created_at, row.revoked_at) if row is not None else None


def revoke_named(conn: Connection, name: str) -> int:
    """Revoke every active operator of that name (quickstart re-issues its token on each run)."""
    result = conn.execute(
        update(operators).where(operators.c.name == name, operators.c.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return result.rowcount or 0
