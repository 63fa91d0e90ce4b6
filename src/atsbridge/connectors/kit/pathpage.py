"""Page numbers as a path segment (``/applicants/page/2``), for vendors whose filters and paging live in the
path, not the query (JazzHR). Such vendors may also answer a list of exactly one record with the bare object:
``object_is_one`` makes that a page of one (and an empty object an empty page) instead of a malformed answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import httpx

from atsbridge.connectors.http.paginators import PageRequest, dig


@dataclass(frozen=True)
class PathPage:
    """``<path>/page/1``, ``/page/2``... until a page holds fewer than ``page_size`` records (the vendor sends
    no total). ``segment`` names the path segment before the number."""

    segment: str = "page"
    page_size: int = 100
    start: int = 1
    records_path: str | None = None
    object_is_one: bool = True

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, url=f"{request.url.rstrip('/')}/{self.segment}/{self.start}")

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        records = dig(body, self.records_path)
        if not isinstance(records, list) or len(records) < self.page_size:
            return None  # a bare object is one record: the last page
        found = re.search(rf"/{re.escape(self.segment)}/(\d+)$", request.url)
        if found is None:
            return None
        url = f"{request.url[: found.start()]}/{self.segment}/{int(found.group(1)) + 1}"
        return replace(request, url=url)


def as_list(value: Any) -> list[Any]:
    """A vendor list that may be a bare object when it holds one item (or absent/empty): always a list of dicts."""
    if isinstance(value, dict):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []
