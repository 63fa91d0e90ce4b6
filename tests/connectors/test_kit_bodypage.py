"""``kit.BodyPage`` (page numbers inside a POST search body), ``kit.BodySince`` (the delta filter written into
that body) and ``kit.OAuthClientCredentials(json_body=True)`` with a token path on the API host (Eploy)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, paginate

PAGER = kit.BodyPage("Paging.RequestedPage", "Paging.RecordsPerPage", 2, total_path="TotalPages")


def _search(answers: list[Any], pager: kit.BodyPage = PAGER) -> tuple[list[list[Any]], list[Any]]:
    sent: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        answer = answers[len(sent) - 1]
        return httpx.Response(200, content=answer) if isinstance(answer, bytes) else httpx.Response(200, json=answer)

    async def go() -> list[list[Any]]:
        client = HttpClient(base_url="https://v.test", transport=httpx.MockTransport(handler))
        request = PageRequest("POST", "/items/search", json={"Filters": [], "Paging": {"Other": True}})
        try:
            return [p async for p in paginate(client, pager, request, records_path="Records", stream="s")]
        finally:
            await client.aclose()

    return asyncio.run(go()), sent


def test_body_page_walks_requested_pages_until_total_pages() -> None:
    two = [{"id": 1}, {"id": 2}]
    pages, sent = _search([{"Records": two, "TotalPages": 2}, {"Records": two, "TotalPages": 2}])
    assert [b["Paging"] for b in sent] == [{"Other": True, "RequestedPage": 1, "RecordsPerPage": 2},
                                           {"Other": True, "RequestedPage": 2, "RecordsPerPage": 2}]  # fmt: skip
    assert sent[0]["Filters"] == [] and len(pages) == 2


def test_body_page_stops_on_a_short_page_without_a_total_and_fails_on_a_cut_body() -> None:
    pages, sent = _search([{"Records": [{"id": 1}, {"id": 2}]}, {"Records": [{"id": 3}]}])
    assert len(sent) == 2 and pages[-1] == [{"id": 3}]
    with pytest.raises(RemoteError, match="not complete JSON"):
        _search([b'{"Records": [{"id": 1}, {"id"'])


def test_body_since_writes_the_filter_into_the_body_on_a_delta_only() -> None:
    def apply(body: Any, since: datetime) -> Any:
        return {**body, "Filters": [*body["Filters"], {"After": kit.iso(since)}]}

    sent: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"Records": [{"id": 1}], "TotalPages": 1})

    read = kit.Listed("/x/search", method="POST", body={"Filters": []}, since=kit.BodySince(apply))
    streams = kit.resolve((kit.stream("x", "users", lambda raw, ctx: iter(()), read),))
    api = kit.VendorApi(base_url="https://v.test", auth=kit.Bearer(kit.Secret("k", "K")), pager=PAGER,
                        records_path="Records")  # fmt: skip
    info = IntegrationInfo("t:1", "t", {}, {"k": "key"})

    async def go(since: datetime | None) -> None:
        source = kit.KitSource(api, api.client(info, httpx.MockTransport(handler)), {}, streams=streams)
        async for _page in source.read(streams[0], since):
            pass
        await source.client.aclose()

    asyncio.run(go(None))
    asyncio.run(go(datetime(2024, 5, 1, 12, tzinfo=UTC)))
    assert sent[0]["Filters"] == [] and sent[1]["Filters"] == [{"After": "2024-05-01T12:00:00Z"}]
    assert kit.stream("x", "users", lambda raw, ctx: iter(()), read).incremental


def test_oauth_json_grant_on_the_api_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/token":
            return httpx.Response(200, json={"access_token": "tok", "token_type": "Bearer", "expires_in": 3599})
        return httpx.Response(200, json={"ok": True})

    auth = kit.OAuthClientCredentials("/token", kit.Text("client_id", "Id"), kit.Secret("client_secret", "Secret"),
                                      json_body=True)  # fmt: skip
    api = kit.VendorApi(base_url="https://{host}/api", auth=auth)
    info = IntegrationInfo("t:1", "t", {"host": "acme.eploy.net"}, {"client_id": "cid", "client_secret": "sec"})

    async def go() -> None:
        client = api.client(info, httpx.MockTransport(handler))
        await client.request("GET", "/vacancies/1")
        await client.aclose()

    asyncio.run(go())
    token, call = seen
    assert str(token.url) == "https://acme.eploy.net/api/token" and "authorization" not in token.headers
    assert json.loads(token.content) == {"grant_type": "client_credentials", "client_id": "cid", "client_secret": "sec"}
    assert call.headers["authorization"] == "Bearer tok" and str(call.url) == "https://acme.eploy.net/api/vacancies/1"


def test_the_stated_page_count_wins_over_a_short_page_and_an_empty_page_ends_it() -> None:
    one = [{"id": 1}]  # the vendor capped the page below the size asked for
    pages, sent = _search([{"Records": one, "TotalPages": 3}, {"Records": one, "TotalPages": 3},
                           {"Records": one, "TotalPages": 3}])  # fmt: skip
    assert [b["Paging"]["RequestedPage"] for b in sent] == [1, 2, 3] and len(pages) == 3
    pages, sent = _search([{"Records": one, "TotalPages": 9}, {"Records": [], "TotalPages": 9}])
    assert len(sent) == 2
