"""Bounded concurrency for per-row calls (detail enrichment, fan-out)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int) -> list[R]:
    """``work`` over ``items`` with at most ``limit`` in flight, results in order. The first error cancels the
    rest and propagates as itself (not wrapped in an exception group), so its code reaches the sync log."""
    gate = asyncio.Semaphore(max(limit, 1))

    async def one(item: T) -> R:
        async with gate:
            return await work(item)

    tasks = [asyncio.ensure_future(one(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
