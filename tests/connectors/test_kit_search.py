"""kit.SearchThenFetch and kit.DailyQuota: ids-only searches paged by narrowing, hits read by id, and a daily
quota that stops a run cleanly before it is spent."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import httpx
import orjson
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError

IDS = [str(i) for i in range(1, 8)] + ["10"]


def _body(after: str | None, since: datetime | None) -> dict[str, Any]:
    return {"after": after}


def _run(spec: kit.SearchThenFetch, handler: Any, config: dict[str, Any] | None = None) -> list[list[dict[str, Any]]]:
    api = kit.VendorApi(base_url="http://vendor", auth=kit.Basic(kit.Text("u", "U")))
    info = IntegrationInfo("i", "t", config or {}, {"u": "x"})
    read = kit.search_then_fetch(spec)

    async def go() -> list[list[dict[str, Any]]]:
        source = kit.KitSource(api, api.client(info, httpx.MockTransport(handler)), info.config)
        try:
            return [page async for page in read.fetch(source, None)]
        finally:
            await source.aclose()

    return asyncio.run(go())


def _vendor(gone: frozenset[str] = frozenset(), headers: dict[str, str] | None = None) -> Any:
    searches: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            after = orjson.loads(request.content)["after"]
            searches.append(after)
            above = [i for i in IDS if after is None or int(i) > int(after)][:3]
            return httpx.Response(200, json={"hits": [{"id": int(i)} for i in above]}, headers=headers)
        rid = request.url.path.rsplit("/", 1)[-1]
        if rid in gone:
            return httpx.Response(404, json={"error": "gone"})
        return httpx.Response(200, json={"name": f"n{rid}", "f": request.url.params.get("fields")}, headers=headers)

    handler.searches = searches  # type: ignore[attr-defined]
    return handler


def test_pages_by_narrowing_above_the_last_id_and_skips_hits_gone_since() -> None:
    handler = _vendor(gone=frozenset({"5"}))
    spec = kit.SearchThenFetch("/search/x", "/x/{id}", _body, hits_path="hits", cap=3, detail_params={"fields": "a"})
    pages = _run(spec, handler)
    assert [[r["_id"] for r in p] for p in pages] == [["1", "2", "3"], ["4", "6"], ["7", "10"]]
    assert handler.searches == [None, "3", "6"]  # a short answer (2 < cap) ends the listing
    assert pages[0][0] == {"name": "n1", "f": "a", "_id": "1"}


def test_a_broken_search_answer_fails_the_read() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"hits": [{"id"')

    with pytest.raises(RemoteError, match="not complete JSON"):
        _run(kit.SearchThenFetch("/s", "/x/{id}", _body, hits_path="hits"), handler)


def test_the_daily_quota_stops_the_run_before_it_is_spent() -> None:
    far = {"x-ratelimit-remaining": "502", "x-ratelimit-reset": "36000"}
    spec = kit.SearchThenFetch("/s", "/x/{id}", _body, hits_path="hits", cap=3, quota=kit.DailyQuota(reserve=500))
    with pytest.raises(kit.QuotaExhausted, match="502 requests left"):
        _run(spec, _vendor(headers=far))
    # a lower reserve (per integration) lets the same run go on
    assert len(_run(spec, _vendor(headers=far), {"quota_reserve": 0})) == 3


def test_a_quota_resetting_soon_is_waited_for_not_a_stop() -> None:
    near = {"x-ratelimit-remaining": "600", "x-ratelimit-reset": "0"}
    spec = kit.SearchThenFetch("/s", "/x/{id}", _body, hits_path="hits", cap=3, quota=kit.DailyQuota(reserve=599))
    assert len(_run(spec, _vendor(headers=near))) == 3
