"""One request budget per integration across processes (distributed mode), writes first, on both databases.

Two processes are stood for by two :class:`DatabaseBudgets`, each on its own engine (own connection pool) over
the same database: they share nothing but the rows, exactly like a worker and an API process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, delete

from atsbridge.connectors.http import distributed_budget
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.distributed_budget import DatabaseBudget, DatabaseBudgets, share_budgets_through
from atsbridge.connectors.http.ratelimit import RateLimit, SharedBudget, shared_budget, write_priority
from atsbridge.core.config import Settings
from atsbridge.store import rate_budgets
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import rate_budget_slots
from atsbridge.store.tables import rate_budgets as rate_budgets_table


@pytest.fixture
def other_engine(db_url: str, engine: Engine) -> Iterator[Engine]:
    """A second process's engine on the same (migrated) database."""
    other = make_engine(db_url)
    yield other
    other.dispose()


def _key() -> str:
    return f"int_budget_{uuid.uuid4().hex[:8]}"


def _budget(engine: Engine, key: str, limit: RateLimit) -> DatabaseBudget:
    return DatabaseBudget(DatabaseBudgets(engine), key, limit, SharedBudget(limit))


async def _completed_within(seconds: float, *acquires: asyncio.Task[None]) -> int:
    done, pending = await asyncio.wait(acquires, timeout=seconds)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return len(done)


def test_two_processes_share_one_limit_not_one_each(engine: Engine, other_engine: Engine) -> None:
    limit = RateLimit(5, 30.0)
    key = _key()
    first, second = _budget(engine, key, limit), _budget(other_engine, key, limit)
    elsewhere = _budget(other_engine, _key(), limit)  # another integration: a budget of its own

    async def scenario() -> tuple[int, int]:
        tasks = [asyncio.create_task(b.acquire(write=False)) for b in (first, second) for _ in range(limit.requests)]
        shared = await _completed_within(2.0, *tasks)
        own = await _completed_within(2.0, *(asyncio.create_task(elsewhere.acquire(write=False)) for _ in range(5)))
        return shared, own

    assert asyncio.run(scenario()) == (limit.requests, limit.requests), "5 per window in total, not 5 each"


def test_both_processes_are_paced_by_the_one_window(db_url: str, engine: Engine) -> None:
    """12 requests, 6 from each of two processes on their own threads and loops, at 4 per 0.5 s: the third
    batch of 4 cannot go before a full second has passed (each alone would finish in half that)."""
    limit = RateLimit(4, 0.5)
    key = _key()

    def process() -> None:
        own = make_engine(db_url)

        async def run() -> None:
            budget = _budget(own, key, limit)
            for _ in range(6):
                await budget.acquire(write=False)

        try:
            asyncio.run(run())
        finally:
            own.dispose()

    rate_budgets.prepare(engine, rate_budgets.BudgetKey(key, limit.requests, limit.per_seconds))
    started = time.monotonic()
    threads = [threading.Thread(target=process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert time.monotonic() - started >= 2 * limit.per_seconds


def test_a_waiting_write_in_one_process_goes_before_the_reads_of_another(engine: Engine, other_engine: Engine) -> None:
    limit = RateLimit(1, 0.5)
    key = _key()
    sync, api = _budget(engine, key, limit), _budget(other_engine, key, limit)
    order: list[str] = []

    async def one(budget: DatabaseBudget, name: str, write: bool) -> None:
        await budget.acquire(write)
        order.append(name)

    async def scenario() -> None:
        await sync.acquire(write=False)  # the window is now full
        reads = [asyncio.create_task(one(sync, f"read{i}", False)) for i in range(3)]
        await asyncio.sleep(0.1)  # the reads wait for the window
        write = asyncio.create_task(one(api, "write", True))
        await asyncio.gather(write, *reads)

    asyncio.run(asyncio.wait_for(scenario(), 30))
    assert order[0] == "write", order
    assert sorted(order[1:]) == ["read0", "read1", "read2"]


def test_reads_leave_free_slots_to_a_waiting_write_until_it_is_served_or_its_lease_lapses(engine: Engine) -> None:
    key = rate_budgets.BudgetKey(_key(), 10, 60.0)
    rate_budgets.prepare(engine, key)
    rate_budgets.prepare(engine, key)  # a second process preparing the same budget changes nothing

    def take(write: bool = False) -> bool:
        return rate_budgets.take(engine, key, write=write)

    assert take()
    rate_budgets.announce_write(engine, key, 30.0, first=True)
    assert not take(), "a write waits: slots are free, but not for reads"
    assert take(write=True)
    rate_budgets.write_served(engine, key)
    assert take(), "the write was served: reads go on"

    rate_budgets.announce_write(engine, key, 0.2, first=True)  # its process dies: the claim is never withdrawn
    assert not take()
    time.sleep(0.3)
    assert take(), "a lapsed claim holds nobody back"
    rate_budgets.announce_write(engine, key, 30.0, first=True)  # the dead one's count starts over
    rate_budgets.write_served(engine, key)
    assert take()

    assert [take() for _ in range(6)] == [True] * 5 + [False], "10 per window: 5 were taken above"
    wait = rate_budgets.seconds_until_free(engine, key)
    assert wait is not None and 59.0 < wait <= 60.0
    assert rate_budgets.seconds_until_free(engine, rate_budgets.BudgetKey(_key(), 1, 1.0)) is None


def test_a_database_without_the_table_falls_back_to_the_process_budget_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bare = make_engine(f"sqlite:///{tmp_path}/bare.db")  # never migrated: the tables do not exist
    source = DatabaseBudgets(bare)
    limit = RateLimit(2, 30.0)
    first, second = (DatabaseBudget(source, _key(), limit, SharedBudget(limit)) for _ in range(2))
    caplog.set_level(logging.INFO, "atsbridge.ratelimit")

    async def scenario() -> tuple[int, int]:
        paced = await _completed_within(2.0, *(asyncio.create_task(first.acquire(write=False)) for _ in range(3)))
        other = await _completed_within(2.0, asyncio.create_task(second.acquire(write=True)))
        return paced, other

    try:
        assert asyncio.run(scenario()) == (2, 1), "requests go on, and the process's own budget still paces them"
    finally:
        bare.dispose()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


def test_an_unreachable_database_neither_fails_nor_stalls_requests() -> None:
    gone = make_engine("postgresql://postgres@127.0.0.1:1/nowhere")
    budget = _budget(gone, _key(), RateLimit(5, 1.0))
    started = time.monotonic()
    try:
        asyncio.run(asyncio.wait_for(budget.acquire(write=False), 30))
    finally:
        gone.dispose()
    assert time.monotonic() - started < 10


def test_a_database_that_does_not_answer_in_time_is_left_for_a_while_then_tried_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "atsbridge.ratelimit")
    limit = RateLimit(5, 60.0)
    source = DatabaseBudgets(engine, statement_seconds=0.2)
    budget = DatabaseBudget(source, _key(), limit, SharedBudget(limit))
    real_take = rate_budgets.take

    def stuck(*args: object, **kwargs: bool) -> bool:
        time.sleep(1.0)
        return False

    async def timed() -> float:  # measured inside the loop: asyncio.run itself waits for the stuck thread
        started = time.monotonic()
        await budget.acquire(write=False)
        return time.monotonic() - started

    monkeypatch.setattr(rate_budgets, "take", stuck)
    assert asyncio.run(timed()) < 0.9, "the request did not wait for the stuck database"
    assert not source.available()

    monkeypatch.setattr(rate_budgets, "take", real_take)
    monkeypatch.setattr(distributed_budget, "RETRY_AFTER_SECONDS", 0.0)
    source.failed(TimeoutError())  # the outage goes on, retried at once from now (logged once all the same)
    asyncio.run(budget.acquire(write=False))
    left = [rate_budgets.take(engine, budget.key, write=False) for _ in range(limit.requests)]
    assert left == [True] * 4 + [False], "back to the database: the request took a slot there"
    messages = [r.getMessage() for r in caplog.records]
    assert sum("database failed" in m for m in messages) == 1
    assert any("answers again" in m for m in messages)


def test_requests_still_under_way_when_the_integration_is_purged_go_on_without_making_its_budget_again(
    engine: Engine,
) -> None:
    limit = RateLimit(1, 60.0)
    budget = _budget(engine, _key(), limit)
    asyncio.run(budget.acquire(write=False))
    with engine.begin() as conn:  # what purging the integration does to these tables
        for table in (rate_budget_slots, rate_budgets_table):
            conn.execute(delete(table).where(table.c.integration_id == budget.key.integration_id))
    asyncio.run(asyncio.wait_for(budget.acquire(write=True), 5))  # paced by the process's own budget
    assert rate_budgets.seconds_until_free(engine, budget.key) is None


def test_distributed_mode_shares_limited_budgets_through_the_database(engine: Engine) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json={})

    limit = RateLimit(3, 60.0)
    key = _key()
    share_budgets_through(engine)
    try:
        assert isinstance(shared_budget(key, limit), DatabaseBudget)
        assert isinstance(shared_budget(key, RateLimit(100_000, 1.0)), SharedBudget), "unlimited: no database"
        assert isinstance(shared_budget(key, RateLimit(36_000, 3600.0)), SharedBudget), "too many rows: in-process"

        async def run() -> None:
            for path in ("/read", "/write"):
                client = HttpClient(base_url="https://vendor.example", rate_limit=limit, budget_key=key,
                                    transport=httpx.MockTransport(handler))  # fmt: skip
                with write_priority() if path == "/write" else contextlib.nullcontext():
                    await client.request("GET", path)
                await client.aclose()

        asyncio.run(run())
    finally:
        share_budgets_through(None)
    assert sent == ["/read", "/write"]
    budget_key = rate_budgets.BudgetKey(key, limit.requests, limit.per_seconds)
    assert rate_budgets.take(engine, budget_key, write=False)
    assert not rate_budgets.take(engine, budget_key, write=False), "the clients took the other two"
    assert isinstance(shared_budget(key, limit), SharedBudget), "back to in-process budgets"


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    """Distributed mode runs on PostgreSQL only, so this test has no SQLite variant (rather than a skipped one)."""
    from tests.conftest import _pg_database

    for url in _pg_database():
        eng = make_engine(url)
        upgrade(eng)
        yield eng
        eng.dispose()


def test_the_api_process_shares_budgets_while_its_distributed_backend_runs(pg_engine: Engine) -> None:
    from atsbridge.jobs.procrastinate_backend import ProcrastinateBackend
    from atsbridge.jobs.settings import JobSettings

    settings = Settings(database_url=pg_engine.url.render_as_string(hide_password=False), scheduler=False,
                        secret_key="test-secret-" + "x" * 40)  # fmt: skip
    backend = ProcrastinateBackend(pg_engine, settings, JobSettings())
    backend.start()
    try:
        assert isinstance(shared_budget(_key(), RateLimit(5, 1.0)), DatabaseBudget)
    finally:
        backend.stop()
    assert isinstance(shared_budget(_key(), RateLimit(5, 1.0)), SharedBudget)
