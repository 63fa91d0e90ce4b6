"""A kit stream: the engine's :class:`~atsbridge.connectors.base.Stream` (name, models, mapper) plus what it
reads, the per-row steps, and the lookups it publishes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from atsbridge.connectors.base import MapContext, Mapper, Stream
from atsbridge.connectors.kit.by_id import ById
from atsbridge.connectors.kit.lookups import Lookup, Publish
from atsbridge.connectors.kit.order import StreamOrderError, ordered
from atsbridge.connectors.kit.reads import Attach, Custom, Derived, Enrich, FanOut, Listed, Position, Read, Static, Step
from atsbridge.model.record import UnifiedRecord


@dataclass(frozen=True)
class KitStream(Stream):
    read: Read = dataclasses.field(default_factory=lambda: Static(list))
    steps: tuple[Step, ...] = ()
    publishes: tuple[Publish[Any], ...] = ()
    #: How one record is read by its remote id (webhook deletions are checked with it); None: it cannot be.
    by_id: ById | None = None

    def reads_one(self) -> bool:
        return self.by_id is not None

    def reads_lookups(self) -> tuple[Lookup[Any], ...]:
        found: list[Lookup[Any]] = []
        if isinstance(self.read, FanOut | Derived):
            found.append(self.read.over)
        if isinstance(self.read, Custom):
            found.extend(self.read.reads)
        found.extend(step.lookup for step in self.steps if isinstance(step, Attach | Enrich))
        return tuple(found)


def _incremental(read: Read) -> bool:
    if isinstance(read, Listed):
        return read.since is not None
    if isinstance(read, FanOut | Derived):
        return True  # a delta run lists changed parents only, so only their children
    if isinstance(read, Custom):
        return read.incremental
    return False


def stream(
    name: str,
    models: str | tuple[str, ...],
    mapper: Mapper,
    read: Read,
    *,
    steps: Sequence[Step] = (),
    publishes: Sequence[Publish[Any]] = (),
    by_id: ById | None = None,
) -> KitStream:
    """Declare a stream. ``models``: the unified models it fills completely when listed in full (the first is
    the one a record read ``by_id`` is). ``by_id``: how one record is read by remote id, if the vendor can."""
    names = (models,) if isinstance(models, str) else tuple(models)
    if by_id is not None and (not names or any(isinstance(step, Position) for step in steps)):
        raise ValueError(f"stream {name!r}: a record read by id needs a model and no Position step (its index)")
    return KitStream(name, names, mapper, _incremental(read), read=read, steps=tuple(steps),
                     publishes=tuple(publishes), by_id=by_id)  # fmt: skip


def _no_records(raw: dict[str, Any], ctx: MapContext) -> Iterator[UnifiedRecord]:
    return iter(())


def lookup_only(name: str, read: Read, publishes: Sequence[Publish[Any]]) -> KitStream:
    """A listing that only feeds lookups (job posts for jobs...): it fills no model, so the engine never
    lists it itself; the first reader of its lookup lists it on demand."""
    return KitStream(name, (), _no_records, False, read=read, publishes=tuple(publishes))


def resolve(streams: Sequence[KitStream]) -> tuple[KitStream, ...]:
    """Fill each stream's ``depends_on`` from the lookups it reads, check every lookup read has exactly one
    publisher, and order the streams (publishers first)."""
    publisher: dict[Lookup[Any], str] = {}
    for s in streams:
        for pub in s.publishes:
            if pub.lookup in publisher:
                raise StreamOrderError(f"{pub.lookup!r} is published by both {publisher[pub.lookup]} and {s.name}")
            publisher[pub.lookup] = s.name
    out: list[KitStream] = []
    for s in streams:
        deps: list[str] = list(s.depends_on)
        for lookup in s.reads_lookups():
            if lookup not in publisher:
                raise StreamOrderError(f"stream {s.name!r} reads {lookup!r}, which no stream publishes")
            if publisher[lookup] != s.name and publisher[lookup] not in deps:
                deps.append(publisher[lookup])
        out.append(dataclasses.replace(s, depends_on=tuple(deps)))
    return ordered(out)
