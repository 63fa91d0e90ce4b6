"""``kit.NdjsonPages``: an NDJSON stream read chunk by chunk, the offset advanced by the rows received, and only
an empty page ending the listing (a stream cut between chunks loses nothing, one cut mid-chunk fails); the
fake side writes the same chunks."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, paginate
from atsbridge.connectors.kit.ndjson import merge
from atsbridge.fakes.kit.ndjson import chunks, ndjson_response, parse_ndjson

ROWS = [{"id": i} for i in range(23)]


def _stream(rows: list[Any], size: int = 4) -> bytes:
    return b"".join(orjson.dumps(c) + b"\n" for c in chunks("data.items", rows, size))


def _read(cut: int | None = None, cut_mid: bool = False) -> tuple[list[list[Any]], list[dict[str, str]]]:
    """List ROWS 10 at a time; the first answer keeps only ``cut`` rows (between chunks, or mid-chunk)."""
    asked: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        q = dict(request.url.params)
        asked.append(q)
        after, first = int(q["after"]), int(q["first"])
        body = _stream(ROWS[after : after + first])
        if cut is not None and len(asked) == 1:
            body = _stream(ROWS[after : after + cut])
            body = body[:-7] if cut_mid else body
        return httpx.Response(200, content=body, headers={"content-type": "application/x-ndjson"})

    async def go() -> list[list[Any]]:
        client = HttpClient(base_url="https://v.test", transport=httpx.MockTransport(handler))
        pager = kit.NdjsonPages("data.items", page_size=10)
        try:
            request = PageRequest("GET", "/items", {"where": "x"})
            return [p async for p in paginate(client, pager, request, records_path="data.items", stream="s")]
        finally:
            await client.aclose()

    return asyncio.run(go()), asked


def test_pages_advance_by_rows_received_until_an_empty_page() -> None:
    pages, asked = _read()
    assert [r for p in pages for r in p] == ROWS and pages[-1] == []
    assert [(q["first"], q["after"], q["where"]) for q in asked] == [("10", "0", "x"), ("10", "10", "x"),
                                                                    ("10", "20", "x"), ("10", "23", "x")]  # fmt: skip


def test_a_stream_cut_between_chunks_loses_nothing_and_one_cut_mid_chunk_fails() -> None:
    pages, asked = _read(cut=4)  # a short first page: not the end
    assert [r for p in pages for r in p] == ROWS and asked[1]["after"] == "4"
    with pytest.raises(RemoteError, match="not complete JSON"):
        _read(cut=4, cut_mid=True)


def test_chunks_merge_into_one_page_and_an_error_chunk_fails() -> None:
    body = merge([{"data": {"items": [1, 2]}}, {"data": {"items": [3]}}, {"other": 1}], "data.items")
    assert body == {"data": {"items": [1, 2, 3]}}
    assert kit.read_ndjson(b'{"a": 1}\n\n{"a": 2}\n') == [{"a": 1}, {"a": 2}] and kit.read_ndjson(b"") == []
    with pytest.raises(RemoteError, match="mid-stream: .*expired"):
        merge([{"data": {"items": [1]}}, {"errors": [{"message": "session expired"}]}], "data.items")
    with pytest.raises(RemoteError, match="expected a list"):
        merge([{"data": {"items": {"id": 1}}}], "data.items")
    with pytest.raises(ValueError):
        kit.read_ndjson(b'{"a": 1}\n{"a": ')


def test_the_fake_side_writes_one_chunk_per_line() -> None:
    response = ndjson_response(chunks("data.items", ROWS, 10))
    assert response.media_type == "application/x-ndjson" and bytes(response.body).endswith(b"\n")
    assert [len(c["data"]["items"]) for c in parse_ndjson(bytes(response.body))] == [10, 10, 3]
    assert ndjson_response([]).body == b""
