"""``kit.PathPage``: page numbers as a path segment, and a one-record page sent as a bare object; other pagers
still refuse an object where a list belongs."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, Paginator, paginate


def _pages(answers: dict[str, Any], pager: Paginator, path: str = "/items") -> tuple[list[list[Any]], list[str]]:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json=answers[request.url.path])

    async def go() -> list[list[Any]]:
        client = HttpClient(base_url="https://v.test", transport=httpx.MockTransport(handler))
        try:
            return [p async for p in paginate(client, pager, PageRequest("GET", path), records_path=None, stream="s")]
        finally:
            await client.aclose()

    return asyncio.run(go()), asked


def test_path_page_walks_segments_until_a_short_page() -> None:
    full = [{"id": i} for i in range(3)]
    pages, asked = _pages({"/items/page/1": full, "/items/page/2": full, "/items/page/3": [{"id": 9}]},
                          kit.PathPage(page_size=3))  # fmt: skip
    assert asked == ["/items/page/1", "/items/page/2", "/items/page/3"] and pages[-1] == [{"id": 9}]


def test_a_bare_object_is_a_page_of_one_and_an_empty_one_is_empty() -> None:
    pages, asked = _pages({"/items/page/1": {"id": 1}}, kit.PathPage(page_size=3))
    assert pages == [[{"id": 1}]] and asked == ["/items/page/1"]
    assert _pages({"/items/page/1": {}}, kit.PathPage())[0] == [[]]
    page = kit.PathPage(segment="p", start=0).first(PageRequest("GET", "/x/"))
    assert page.url == "/x/p/0"


def test_other_pagers_still_refuse_an_object() -> None:
    with pytest.raises(RemoteError, match="expected a list"):
        _pages({"/items": {"id": 1}}, kit.Single())
    with pytest.raises(RemoteError, match="expected a list"):
        _pages({"/items/page/1": {"id": 1}}, kit.PathPage(object_is_one=False))
