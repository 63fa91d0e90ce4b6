"""One request budget per integration, shared by every client of it in the process, writes first."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.ratelimit import RateLimit, SharedBudget, shared_budget, write_priority


class Clock:
    """A clock the test moves: the budget's window is judged on it, never on wall time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_clients_of_one_integration_share_its_window() -> None:
    limit = RateLimit(5, 60.0)
    a = shared_budget("int_a", limit)
    assert shared_budget("int_a", limit) is a
    assert shared_budget("int_b", limit) is not a
    assert shared_budget("int_a", RateLimit(9, 60.0)) is not a  # a changed limit is another budget


def test_the_window_counts_every_caller_and_frees_slots_as_it_slides() -> None:
    clock = Clock()
    budget = SharedBudget(RateLimit(3, 10.0), clock=clock)
    taken = [budget._try(write=False) for _ in range(3)]
    assert taken == [0.0, 0.0, 0.0]
    assert budget._try(write=False) == 10.0  # the 4th must wait for the oldest to leave the window
    clock.now = 10.0
    assert budget._try(write=True) == 0.0


def test_a_waiting_write_takes_the_next_slot_before_reads() -> None:
    clock = Clock()
    budget = SharedBudget(RateLimit(1, 1.0), clock=clock)
    order: list[str] = []

    async def one(name: str, write: bool) -> None:
        await budget.acquire(write)
        order.append(name)

    async def scenario() -> None:
        await budget.acquire(write=False)  # the window is now full
        reads = [asyncio.create_task(one(f"read{i}", False)) for i in range(3)]
        await asyncio.sleep(0.05)  # the reads wait for the window
        write = asyncio.create_task(one("write", True))
        await asyncio.sleep(0.05)  # the write waits too, and now holds the reads back
        for second in range(1, 5):  # one slot frees per second of the test's clock
            clock.now = float(second)
            while len(order) < second:
                await asyncio.sleep(0.01)
        await asyncio.gather(write, *reads)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    assert order[0] == "write", order
    assert sorted(order[1:]) == ["read0", "read1", "read2"]


def test_a_sync_and_a_write_on_two_event_loops_never_exceed_the_vendor_limit_together() -> None:
    """Two clients of one integration, each on its own loop and thread (a sync in a worker thread, a write in
    the API's loop): together they send no more than the budget allows per window, and the write is not
    starved by the sync's backlog."""
    sent: list[tuple[str, float]] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            sent.append((request.url.path, time.monotonic()))
        return httpx.Response(200, json={})

    limit = RateLimit(4, 0.5)

    def client() -> HttpClient:
        return HttpClient(base_url="https://vendor.example", rate_limit=limit, budget_key="int_shared_test",
                          transport=httpx.MockTransport(handler))  # fmt: skip

    def sync() -> None:
        async def run() -> None:
            c = client()
            for _ in range(16):
                await c.request("GET", "/read")
            await c.aclose()

        asyncio.run(run())

    def write() -> None:
        async def run() -> None:
            c = client()
            with write_priority():
                await c.request("POST", "/write")
            await c.aclose()

        asyncio.run(run())

    reader = threading.Thread(target=sync)
    reader.start()
    while True:
        with lock:
            if len(sent) >= 5:
                break
    writer = threading.Thread(target=write)
    writer.start()
    writer.join(60)
    reader.join(60)
    paths = [p for p, _ in sent]
    assert paths.count("/read") == 16 and paths.count("/write") == 1
    assert paths.index("/write") < 5 + 4 + 1, "the write went within the next window, ahead of the backlog"
    # never more than the vendor's 4 per 0.5 s across both clients (a rate cap: a slow machine only lowers it)
    times = sorted(t for _, t in sent)
    for i in range(len(times) - limit.requests):
        assert times[i + limit.requests] - times[i] >= limit.per_seconds * 0.95, "the shared window was exceeded"
