"""The pull feed (``GET /v1/events``): an environment's events in order, for consumers that poll instead
of (or besides) receiving webhooks. The cursor is a position in the log, not a page of a query: a consumer
that stored it gets exactly the events after it, whatever ``types`` filter it uses next, and an empty page
hands back a cursor at the same position so polling loops never lose their place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from atsbridge.core.cursor import CursorCodec
from atsbridge.store.tables import events

MAX_PAGE_SIZE = 1000


def _fingerprint(environment_id: str) -> str:
    """Binds cursors to their environment: another key's cursor is refused, not reinterpreted."""
    return "events:" + environment_id


@dataclass(frozen=True)
class FeedPage:
    results: list[dict[str, Any]]
    next: str
    has_more: bool


def read_feed(
    conn: Connection,
    codec: CursorCodec,
    environment_id: str,
    *,
    after: str | None,
    page_size: int,
    types: list[str] | None,
) -> FeedPage:
    position = int(codec.decode(after, _fingerprint(environment_id))) if after else 0
    stmt = select(events.c.seq, events.c.payload).where(
        events.c.environment_id == environment_id, events.c.seq > position
    )
    if types:
        stmt = stmt.where(events.c.type.in_(types))
    rows = conn.execute(stmt.order_by(events.c.seq).limit(page_size + 1)).all()
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if rows:
        position = rows[-1].seq
    elif types:
        # Nothing of these types: skip ahead over the others seen so far so the next poll starts there.
        newest = conn.execute(
            select(func.max(events.c.seq)).where(events.c.environment_id == environment_id, events.c.seq > position)
        ).scalar_one_or_none()
        position = newest or position
    return FeedPage(
        [orjson.loads(r.payload) for r in rows], codec.encode(str(position), _fingerprint(environment_id)), has_more
    )
