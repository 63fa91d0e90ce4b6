"""One Connect link's flow log: what an operator needs to help an end user (never its token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from atsbridge.store.tables import connect_links


@dataclass(frozen=True)
class LinkDetail:
    id: str
    environment_id: str
    purpose: str
    integration_id: str | None
    tool: str | None
    category: str
    organization: str
    email: str | None
    origin_id: str | None
    language: str
    link_type: str
    created_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    failed_attempts: int
    last_error: str | None


def get(conn: Connection, link_id: str) -> LinkDetail | None:
    """Only the columns shown are selected: the token hashes never leave the database."""
    c = connect_links.c
    row = conn.execute(
        select(
            c.id,
            c.environment_id,
            c.purpose,
            c.integration_id,
            c.integration_tool,
            c.integration_category,
            c.end_user_organization_name,
            c.end_user_email,
            c.end_user_origin_id,
            c.language,
            c.link_type,
            c.created_at,
            c.expires_at,
            c.completed_at,
            c.failed_attempts,
            c.last_error,
        ).where(c.id == link_id)
    ).first()
    if row is None:
        return None
    return LinkDetail(
        row.id,
        row.environment_id,
        row.purpose,
        row.integration_id,
        row.integration_tool,
        row.integration_category,
        row.end_user_organization_name,
        row.end_user_email,
        row.end_user_origin_id,
        row.language,
        row.link_type,
        row.created_at,
        row.expires_at,
        row.completed_at,
        row.failed_attempts,
        row.last_error,
    )
