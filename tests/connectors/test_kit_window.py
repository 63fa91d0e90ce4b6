"""kit.DateWindow: report endpoints that need both ends of a date window, full and delta."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
FMT = kit.template("%m/%d/%Y %H:%M:%S")
WINDOW = kit.DateWindow("from", "to", FMT, clock=lambda: NOW)


def test_the_window_is_computed_when_read() -> None:
    assert dict(WINDOW) == {"from": "01/01/2000 00:00:00", "to": "03/05/2026 05:06:07"}
    moving = [NOW]
    later = kit.DateWindow("from", "to", FMT, clock=lambda: moving[0])
    moving[0] = datetime(2027, 1, 1, tzinfo=UTC)
    assert later["to"] == "01/02/2027 00:00:00" and len(later) == 2 and list(later) == ["from", "to"]


def test_full_listings_ask_for_everything_and_deltas_move_the_start() -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        return httpx.Response(200, json={"data": [{"id": "1"}]})

    api = kit.VendorApi(base_url="https://v.test", auth=kit.Bearer(kit.Secret("k", "Key")), records_path="data")
    read = kit.Listed("/report", WINDOW, since=kit.Since("from", FMT))
    streams = (kit.stream("jobs", "jobs", lambda raw, ctx: iter(()), read),)
    source = kit.KitSource(api, api.client(IntegrationInfo("i", "t", {}, {"k": "x"}), httpx.MockTransport(handler)),
                           {}, streams=kit.resolve(streams))  # fmt: skip

    async def go(since: datetime | None) -> None:
        async for _ in source.read(source.streams["jobs"], since):
            pass

    asyncio.run(go(None))
    asyncio.run(go(datetime(2026, 3, 1, 12, tzinfo=UTC)))
    assert seen == [{"from": "01/01/2000 00:00:00", "to": "03/05/2026 05:06:07"},
                    {"from": "03/01/2026 12:00:00", "to": "03/05/2026 05:06:07"}]  # fmt: skip
