"""The header pager (``kit.HeaderPages``) against the fake kit's ``HeaderPages``: page and size in request
headers, listing params named as headers sent as headers, totals read from ``X-Result-Total-Pages`` (a capped
page does not end the listing), a short page ending it when no total is sent; and the fake's header filters."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, paginate
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import HeaderPages, header_match

ROWS = [{"id": i, "updated_at": f"2024-01-{1 + i % 28:02d} 10:00:00"} for i in range(1, 251)]


def _app(cap: int | None = None, totals: bool = True, seen: list[dict[str, str]] | None = None) -> Starlette:
    pager = HeaderPages(max_size=100)

    async def listing(request: Request) -> Response:
        if seen is not None:
            seen.append({k: v for k, v in request.headers.items() if k.startswith("x-request")} |
                        dict(request.query_params))  # fmt: skip
        try:
            rows = [r for r in ROWS if header_match(r, pager.filters(request))]
            page = pager.page(request, rows, cap)
        except VendorError as exc:
            return JSONResponse({"message": exc.message}, status_code=exc.status)
        headers = page.headers if totals else {}
        return Response(orjson.dumps(page.body), media_type="application/json", headers=headers)

    return Starlette(routes=[Route("/rows", listing)])


def _list(app: Starlette, pager: kit.HeaderPages, params: dict[str, Any] | None = None) -> list[list[Any]]:
    async def run() -> list[list[Any]]:
        client = HttpClient("http://fake", transport=httpx.ASGITransport(app=app))
        try:
            request = PageRequest("GET", "/rows", params or {})
            return [page async for page in paginate(client, pager, request, records_path=None, stream="rows")]
        finally:
            await client.aclose()

    return asyncio.run(run())


def test_pages_travel_in_headers_and_params_named_as_headers_become_headers() -> None:
    seen: list[dict[str, str]] = []
    pager = kit.HeaderPages(page_size=100, header_params=("X-Request-Filter",))
    flt = {"updated_at": {"value": "2024-01-15 00:00:00", "comparison": ">="}}
    pages = _list(_app(seen=seen), pager, {"X-Request-Filter": flt, "other": "1"})
    wanted = [r for r in ROWS if r["updated_at"] >= "2024-01-15 00:00:00"]
    assert [r for p in pages for r in p] == wanted and len(wanted) > 100
    assert [s["x-request-current-page"] for s in seen] == ["1", "2"]
    assert all(s["x-request-page-size"] == "100" and s["other"] == "1" for s in seen)
    assert all(orjson.loads(s["x-request-filter"]) == flt and "X-Request-Filter" not in s for s in seen)


def test_the_total_pages_header_outlasts_capped_pages() -> None:
    pages = _list(_app(cap=30), kit.HeaderPages(page_size=100))
    assert [len(p) for p in pages] == [30] * 8 + [10]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in ROWS]


def test_without_totals_a_short_page_ends_the_listing() -> None:
    pages = _list(_app(totals=False), kit.HeaderPages(page_size=100))
    assert [len(p) for p in pages] == [100, 100, 50]
    capped = _list(_app(cap=30, totals=False), kit.HeaderPages(page_size=100))
    assert [len(p) for p in capped] == [30]  # nothing says more exist: the short page is the end


def test_a_broken_filter_header_is_the_vendors_400() -> None:
    pager = kit.HeaderPages(page_size=10, header_params=("X-Request-Filter",))
    with pytest.raises(RemoteError) as info:
        _list(_app(), pager, {"X-Request-Filter": "{not json"})
    assert info.value.status == 400


def test_header_match_comparisons() -> None:
    row = {"id": 12, "name": "Anna Nowak", "updated_at": "2024-02-01 10:00:00", "none": None}
    assert header_match(row, {"id": (">", 9)})  # numbers compare as numbers, not as text ("12" < "9")
    assert header_match(row, {"id": ("in", [1, 12]), "name": ("like", "%nowak%")})
    assert header_match(row, {"updated_at": (">=", "2024-02-01 10:00:00"), "id": ("!=", 13)})
    assert not header_match(row, {"updated_at": ("<", "2024-02-01 09:59:59")})
    assert not header_match(row, {"none": ("=", "x")}) and not header_match(row, {"id": ("in", [1])})
