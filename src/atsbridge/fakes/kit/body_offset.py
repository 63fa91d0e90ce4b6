"""Offset paging inside a search ``POST``'s JSON body (the fake side of ``kit.BodyOffset``): ``offset`` and
``limit`` beside the filter, the answer ``{"total": n, "entries": [...]}`` (BITE's search endpoints)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from atsbridge.fakes.kit.errors import VendorError


def body_offset_page(
    body: Mapping[str, Any], rows: Sequence[Any], *, default_size: int = 25, max_size: int = 100
) -> dict[str, Any]:
    """The page of ``rows`` the body asks for; 400 for a negative offset or a limit outside 1..``max_size``."""
    offset, limit = body.get("offset", 0), body.get("limit", default_size)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise VendorError(400, "offset must be a non-negative integer")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= max_size:
        raise VendorError(400, f"limit must be an integer between 1 and {max_size}")
    return {"total": len(rows), "entries": list(rows[offset : offset + limit])}
