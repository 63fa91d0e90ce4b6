"""Offset paging inside the JSON body of a search ``POST`` (BITE's ``/jobpostings/search``).

Some vendors list nothing with ``GET``: a search endpoint takes a filter body and answers ``{total, entries}``.
:class:`BodyOffset` sends ``offset``/``limit`` in that body (beside the filter) and stops when ``total`` is
reached or a page comes back short, whichever comes first (a vendor that omits ``total`` still ends).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from atsbridge.connectors.http.paginators import PageRequest, dig


@dataclass(frozen=True)
class BodyOffset:
    """``offset``/``limit`` keys in the request's JSON body; ``total_path`` in the answer bounds the listing."""

    param: str = "offset"
    size_param: str = "limit"
    page_size: int = 100
    records_path: str | None = "entries"
    total_path: str | None = "total"

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, json={**(request.json or {}), self.param: 0, self.size_param: self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        records = dig(body, self.records_path)
        served = len(records) if isinstance(records, list) else 0
        if served < self.page_size:
            return None
        offset = int((request.json or {}).get(self.param) or 0) + served
        total = dig(body, self.total_path) if self.total_path else None
        if isinstance(total, int) and not isinstance(total, bool) and offset >= total:
            return None
        return replace(request, json={**(request.json or {}), self.param: offset})
