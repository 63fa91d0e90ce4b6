"""Vendor request budgets shared by every process: one integration's limit as rows, taken one statement at a time.

In distributed mode a sync runs in a worker process while the API process sends writes to the same vendor,
which counts both against one limit. A budget of ``requests`` per ``per_seconds`` is ``requests`` slot rows,
each holding when it was last taken: a request takes a slot last taken a full window ago, in one UPDATE, so
no window ever holds more than ``requests`` across all processes. This is the in-process sliding log of
:class:`~atsbridge.connectors.http.ratelimit.SharedBudget`, kept in the database. Times come from the
database's clock, so hosts whose clocks differ still agree on the window.

Writes first: a write that has to wait counts itself in the budget's row under a short lease it renews while
it waits; meanwhile reads take no slot, so the write gets the next one whichever process frees it. A process
that dies while its write waits holds reads back only until the lease runs out.

Every function here is blocking: call them off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, Float, case, cast, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from atsbridge.store.tables import rate_budget_slots as slots
from atsbridge.store.tables import rate_budgets as budgets

#: Julian day of the Unix epoch (SQLite's clock is a Julian day number).
_UNIX_EPOCH_JULIAN = 2440587.5


@dataclass(frozen=True)
class BudgetKey:
    """Which budget: an integration's at one limit (a changed limit is another budget; the old rows go unused
    and are purged with the integration)."""

    integration_id: str
    requests: int
    per_seconds: float

    @property
    def rate(self) -> str:
        return f"{self.requests}/{self.per_seconds!r}"


def _now(engine: Engine) -> ColumnElement[float]:
    """The database's time in epoch seconds, fixed for the statement (PostgreSQL's statement time; SQLite's
    ``'now'`` is stable within one statement)."""
    if engine.dialect.name == "postgresql":
        return cast(func.extract("epoch", func.statement_timestamp()), Float)
    return (func.julianday("now") - _UNIX_EPOCH_JULIAN) * 86400.0


def _budget_row(key: BudgetKey) -> ColumnElement[bool]:
    return (budgets.c.integration_id == key.integration_id) & (budgets.c.rate == key.rate)


def _slots_of(key: BudgetKey) -> ColumnElement[bool]:
    return (slots.c.integration_id == key.integration_id) & (slots.c.rate == key.rate)


def prepare(engine: Engine, key: BudgetKey) -> None:
    """Create the budget's row and slots unless another process did (idempotent, safe when racing)."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    ids = {"integration_id": key.integration_id, "rate": key.rate}
    with engine.begin() as conn:
        conn.execute(
            dialect.insert(budgets).on_conflict_do_nothing(), [{**ids, "writes_waiting": 0, "writes_until": 0.0}]
        )
        conn.execute(
            dialect.insert(slots).on_conflict_do_nothing(),
            [{**ids, "slot": slot, "used_at": 0.0} for slot in range(key.requests)],
        )


def take(engine: Engine, key: BudgetKey, *, write: bool) -> bool:
    """Take a slot free for a full window, in one statement; False when none is (or, for a read, while a write
    waits). Concurrent takers skip each other's rows on PostgreSQL; SQLite serialises writers."""
    now = _now(engine)
    free = slots.c.used_at <= now - key.per_seconds
    oldest_free = (
        select(slots.c.slot)
        .where(_slots_of(key), free)
        .order_by(slots.c.used_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    # ``free`` again outside the subquery: a row another transaction took meanwhile is re-checked, not retaken
    stmt = update(slots).where(_slots_of(key), slots.c.slot == oldest_free, free)
    if not write:
        stmt = stmt.where(~exists().where(_budget_row(key), budgets.c.writes_waiting > 0, budgets.c.writes_until > now))
    with engine.begin() as conn:
        return conn.execute(stmt.values(used_at=now).returning(slots.c.slot)).first() is not None


def seconds_until_free(engine: Engine, key: BudgetKey) -> float | None:
    """How long until the oldest slot leaves the window (0 or less: one is free now); None when the budget
    has no rows (not prepared, or purged)."""
    with engine.connect() as conn:
        oldest, now = conn.execute(select(func.min(slots.c.used_at), _now(engine)).where(_slots_of(key))).one()
    return None if oldest is None else float(oldest) + key.per_seconds - float(now)


def announce_write(engine: Engine, key: BudgetKey, lease_seconds: float, *, first: bool) -> None:
    """A write waits for this budget (``first``), or still waits: renew the lease. A count left by a dead
    process whose lease ran out starts over."""
    now = _now(engine)
    waiting = (
        case((budgets.c.writes_until < now, literal(1)), else_=budgets.c.writes_waiting + 1)
        if first
        else budgets.c.writes_waiting
    )
    with engine.begin() as conn:
        conn.execute(
            update(budgets).where(_budget_row(key)).values(writes_waiting=waiting, writes_until=now + lease_seconds)
        )


def write_served(engine: Engine, key: BudgetKey) -> None:
    """A write that announced itself took its slot (or gave up): it no longer holds reads back."""
    with engine.begin() as conn:
        conn.execute(
            update(budgets)
            .where(_budget_row(key))
            .values(writes_waiting=case((budgets.c.writes_waiting > 0, budgets.c.writes_waiting - 1), else_=0))
        )
