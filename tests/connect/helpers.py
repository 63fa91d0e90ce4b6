"""Driving the hosted Connect page over plain HTTP, as a browser without JavaScript would."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import Engine, select

from atsbridge.store.tables import events

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html[:500]
    return found.group(1)


def submit(link: str, tool: str, fields: dict[str, str], *, csrf: str | None = None) -> httpx.Response:
    """Open the tool's form (for the CSRF token), then post ``fields`` (keys without the ``field_`` prefix)."""
    page = httpx.get(link, params={"tool": tool})
    assert page.status_code == 200, page.text[:300]
    form = {"csrf": csrf or csrf_of(page.text), "tool": tool, **{f"field_{k}": v for k, v in fields.items()}}
    return httpx.post(link, data=form, timeout=30)


def events_of(engine: Engine, environment_id: str, type_: str) -> list[dict[str, Any]]:
    import orjson

    with engine.connect() as conn:
        rows = conn.execute(
            select(events.c.payload).where(events.c.environment_id == environment_id, events.c.type == type_)
        ).all()
    return [orjson.loads(r.payload) for r in rows]


TOKEN = re.compile(r'id="connect-token">([^<]+)<')


def token_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None, html[:800]
    return found.group(1)
