"""Read ahead of the writer and hand it the pages that are ready as one batch: commit by size, not per page.

A sync committed every vendor page in its own transaction (heartbeat, liveness check, a statement set per
model, COMMIT). When the writer is the slower side, pages pile up while it works; :func:`coalesce` then
gives it all the ready pages at once (up to ``max_records``), so one transaction covers several pages.
It never waits for a page that has not arrived in order to fill a batch, so a write transaction is never
held open across a network wait (or a vendor's rate-limit pause), and "watermark only after commit" is
untouched: the engine saves a stream's watermark after its last batch committed, as before.

Read-ahead is bounded (``prefetch`` pages), so memory stays flat however big the tenant is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

Page = list[dict[str, Any]]

_END = object()


async def coalesce(pages: AsyncIterator[Page], *, max_records: int, prefetch: int) -> AsyncGenerator[Page, None]:
    """``pages`` in order, merged into batches of whatever was already fetched (at most ``max_records``
    records unless one page alone is bigger; never waiting to fill a batch). An error of ``pages`` is
    raised after the pages read before it. Close it (``aclose``) to stop the read-ahead."""
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=max(prefetch, 1))

    async def produce() -> None:
        try:
            async for page in pages:
                await queue.put(page)
            await queue.put(_END)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # delivered in order, after the pages before it
            await queue.put(exc)

    producer = asyncio.ensure_future(produce())
    carry: object = None
    try:
        while True:
            item = carry if carry is not None else await queue.get()
            carry = None
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, list)
            batch: Page = list(item)
            while len(batch) < max_records and not queue.empty():
                nxt = queue.get_nowait()
                if not isinstance(nxt, list) or len(batch) + len(nxt) > max_records:
                    carry = nxt  # the end, an error or a page that would overfill: after this batch
                    break
                batch.extend(nxt)
            yield batch
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await producer
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
