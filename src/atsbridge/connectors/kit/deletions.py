"""Deletion feeds as data: ``GET path?<since param>`` lists remote ids of one unified model (or, for RPC-style
APIs, ``method`` with a ``body(since)`` built per run)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atsbridge.connectors.kit.since import Since


def id_field(item: object) -> str | None:
    """``{"id": ...}`` rows, or bare ids."""
    if isinstance(item, dict):
        value = item.get("id")
        return str(value) if value else None
    return str(item) if item else None


@dataclass(frozen=True)
class DeletionFeed:
    """A vendor listing of deleted records. A feed the account lacks (a status in ``tolerate``) is skipped:
    full syncs still find those deletions by listing."""

    path: str
    model: str
    since: Since | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    id_of: Callable[[object], str | None] = id_field
    tolerate: tuple[int, ...] = (404,)
    method: str = "GET"
    #: The request body of a run (None: no body); its delta filter built from ``since`` (None on a full run).
    body: Callable[[datetime | None], object] | None = None
