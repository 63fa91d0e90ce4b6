"""Pages read ahead and coalesced into one write batch: order kept, errors after their pages, bounded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from atsbridge.sync.pages import Page, coalesce


def page(start: int, n: int) -> Page:
    return [{"id": i} for i in range(start, start + n)]


async def vendor(
    pages: list[Page], *, fail_after: int | None = None, log: list[int] | None = None
) -> AsyncIterator[Page]:
    for i, p in enumerate(pages):
        if fail_after is not None and i == fail_after:
            raise RuntimeError("vendor 500")
        await asyncio.sleep(0)
        if log is not None:
            log.append(i)
        yield p


async def collect(it: AsyncIterator[Page], delay: float = 0.0) -> list[Page]:
    out = []
    async for batch in it:
        out.append(batch)
        await asyncio.sleep(delay)  # a slow writer: pages pile up meanwhile
    return out


def ids(batches: list[Page]) -> list[Any]:
    return [r["id"] for b in batches for r in b]


def test_ready_pages_are_merged_in_order_up_to_the_size() -> None:
    pages = [page(i * 10, 10) for i in range(20)]
    batches = asyncio.run(collect(coalesce(vendor(pages), max_records=35, prefetch=8), delay=0.01))
    assert ids(batches) == list(range(200))  # every record once, in order
    assert all(len(b) <= 35 for b in batches)
    assert len(batches) < 20  # a slow writer got several pages per batch


def test_a_fast_writer_is_never_kept_waiting_for_a_full_batch() -> None:
    async def slow_vendor() -> AsyncIterator[Page]:
        for i in range(3):
            await asyncio.sleep(0.02)
            yield page(i, 1)

    batches = asyncio.run(collect(coalesce(slow_vendor(), max_records=1000, prefetch=4)))
    assert batches == [page(0, 1), page(1, 1), page(2, 1)]


def test_an_error_comes_after_the_pages_before_it() -> None:
    pages = [page(i * 5, 5) for i in range(6)]
    got: list[Page] = []

    async def run() -> None:
        async for batch in coalesce(vendor(pages, fail_after=4), max_records=100, prefetch=8):
            got.append(batch)
            await asyncio.sleep(0.01)

    with pytest.raises(RuntimeError, match="vendor 500"):
        asyncio.run(run())
    assert ids(got) == list(range(20))  # the four pages read before the failure were all delivered


def test_read_ahead_is_bounded_and_stops_on_close() -> None:
    log: list[int] = []
    pages = [page(i, 1) for i in range(50)]

    async def run() -> None:
        it = coalesce(vendor(pages, log=log), max_records=1, prefetch=3)
        first = await anext(it)
        assert first == page(0, 1)
        for _ in range(20):
            await asyncio.sleep(0)
        assert len(log) <= 1 + 3 + 1  # delivered + queued + one waiting to be queued
        await it.aclose()
        before = len(log)
        for _ in range(20):
            await asyncio.sleep(0)
        assert len(log) == before  # the producer is gone

    asyncio.run(run())
