"""The fake engine's page-number pager: a server-side cap shortens pages but never skips a record."""

from __future__ import annotations

from starlette.requests import Request

from atsbridge.fakes.kit.paging import PageNumber


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/x", "query_string": query.encode(), "headers": []})


def test_a_capped_page_size_skips_nothing_between_pages() -> None:
    pager = PageNumber(max_size=100)
    ordered = [(i, f"r{i}") for i in range(10)]
    served: list[str] = []
    for page in range(1, 6):
        rows, _ = pager.slice(pager.cursor(_request(f"page={page}&per_page=5")), ordered, cap=2)
        served += rows
    assert served == [f"r{i}" for i in range(10)]
    rows, following = pager.slice(pager.cursor(_request("page=2&per_page=5")), ordered, cap=None)
    assert rows == [f"r{i}" for i in range(5, 10)] and following is None
