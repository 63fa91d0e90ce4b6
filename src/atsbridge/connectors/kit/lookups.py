"""Typed lookups: a table one stream publishes while it lists, and other streams (or writes) read.

They replace the untyped ``HttpSource.state`` dict: a :class:`Lookup` is a typed key, declared once per vendor,
and the stream that fills it says so (``publishes=``). A reader depends on the publisher, so the engine lists
the publisher first; when the publisher was not listed in this run (out of scope, or a write), the source
lists it on demand, so a reader never sees a silently empty table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Raw = dict[str, Any]


@dataclass(frozen=True, eq=False)
class Lookup(Generic[T]):
    """A per-run table ``key -> T`` (``Lookup[Raw]`` of archive reasons by id, of opportunities listed...).

    Identity is the object itself: two lookups with the same name are still two tables."""

    name: str

    def __repr__(self) -> str:
        return f"Lookup({self.name!r})"


@dataclass(frozen=True)
class Publish(Generic[T]):
    """How each listed row enters a lookup: its key (as a string) and the value kept (keep it small: the
    value of each listed row stays in memory for the run). ``fold`` instead adds a row any other way (several
    entries per row, or rows grouped under one key), with keys of its choosing."""

    lookup: Lookup[T]
    value: Callable[[Raw], T] | None = None
    key: Callable[[Raw], object] = lambda raw: raw.get("id")
    fold: Callable[[dict[Any, T], Raw], None] | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.fold is None):
            raise ValueError(f"Publish({self.lookup!r}) takes a value or a fold, not both or neither")

    def add(self, table: dict[Any, T], raw: Raw) -> None:
        if self.fold is not None:
            self.fold(table, raw)
            return
        key = self.key(raw)
        if key is not None and self.value is not None:
            table[str(key)] = self.value(raw)


def row(raw: Raw) -> Raw:
    """Keep the whole row (for small reference tables such as archive reasons)."""
    return raw


@dataclass(frozen=True, eq=False)
class Memo(Generic[T]):
    """A value computed once per source and kept for the run (e.g. a write's acting user)."""

    name: str
