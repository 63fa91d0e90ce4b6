"""What a stream reads, as data. One of:

* :class:`Listed` — a listed resource: path, params, pager, records path, ``since``;
* :class:`FanOut` — children of each row another stream listed (``/opportunities/{key}/notes``);
* :class:`Derived` — rows taken out of another stream's rows (no request);
* :class:`Static` — fixed rows (a vendor without a roles endpoint);
* :class:`Custom` — the escape hatch: an async generator, with a one-line ``reason`` it cannot be data.

Per-row steps apply to any of them: :class:`Detail` (one extra call per row), :class:`Attach` (a lookup
entry per row), :class:`Enrich` (a row function of a lookup table) and :class:`Position` (the row's index
across pages).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from atsbridge.connectors.http.paginators import Paginator
from atsbridge.connectors.kit.lookups import Lookup
from atsbridge.connectors.kit.since import Incremental

if TYPE_CHECKING:
    from atsbridge.connectors.kit.source import KitSource

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]


class _ApiDefault:
    def __repr__(self) -> str:
        return "API_DEFAULT"


#: "Whatever the vendor API declares" (pager, records path).
API_DEFAULT = _ApiDefault()


@dataclass(frozen=True)
class Listed:
    """``GET path`` (or ``method``), every page. ``since``: how the listing filters changes (None: a delta run
    lists it in full)."""

    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    since: Incremental | None = None
    pager: Paginator | _ApiDefault = API_DEFAULT
    records_path: str | None | _ApiDefault = API_DEFAULT
    method: str = "GET"
    body: Any = None


@dataclass(frozen=True)
class FanOut:
    """For each row of ``over`` (a lookup another stream publishes), list each of ``paths``: label -> path
    template with ``{key}`` and the lookup value's fields. A parent gone meanwhile (404) has no children.

    Each child row gets the parent's lookup value under ``parent_into`` and the path's label under
    ``label_into``. A delta run fans out over the parents listed in that run only."""

    over: Lookup[Any]
    paths: Mapping[str, str]
    parent_into: str = "_parent"
    label_into: str | None = None
    tolerate: tuple[int, ...] = (404,)
    records_path: str | None | _ApiDefault = API_DEFAULT
    pager: Paginator | _ApiDefault = API_DEFAULT


@dataclass(frozen=True)
class Derived:
    """Rows computed from each entry of ``over`` (key, value) -> rows, without a request."""

    over: Lookup[Any]
    rows: Callable[[str, Any], list[Raw]]


@dataclass(frozen=True)
class Static:
    rows: Callable[[], list[Raw]]


Fetch = Callable[["KitSource", datetime | None], Pages]


@dataclass(frozen=True)
class Custom:
    """The escape hatch. ``reason`` says in one line why this read cannot be declared (it shows in docs and
    review); ``reads`` names the lookups ``fetch`` uses so the engine still orders it."""

    fetch: Fetch
    reason: str
    reads: tuple[Lookup[Any], ...] = ()
    incremental: bool = False

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("Custom(fetch=...) needs a one-line reason")


Read = Listed | FanOut | Derived | Static | Custom


@dataclass(frozen=True)
class Detail:
    """One extra ``GET path`` per row (``{id}`` and the row's fields), its answer (at ``data_path``) stored
    under ``into``; a status in ``tolerate`` (the row has none, or is gone) stores None."""

    path: str
    into: str
    data_path: str | None = None
    tolerate: tuple[int, ...] = (404,)


@dataclass(frozen=True)
class Attach:
    """Put ``lookup[str(key(row))]`` (or None) under ``into`` on each row (an archive reason for its outcome).
    Keys are strings as :class:`~atsbridge.connectors.kit.lookups.Publish` stores them; for a ``fold`` table
    with other keys, use :class:`Enrich`."""

    lookup: Lookup[Any]
    key: Callable[[Raw], object]
    into: str


@dataclass(frozen=True)
class Enrich:
    """Replace each row by ``fn(row, table)`` (the general form of :class:`Attach`, for a conditional or
    computed attachment)."""

    lookup: Lookup[Any]
    fn: Callable[[Raw, dict[Any, Any]], Raw]


@dataclass(frozen=True)
class Position:
    """The row's 0-based position across all pages, under ``into`` (an ordered pipeline's stage index)."""

    into: str = "_index"


Step = Detail | Attach | Enrich | Position
