"""Stream order from declared dependencies: a stable topological sort (declaration order where free)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from atsbridge.connectors.base import Stream

S = TypeVar("S", bound=Stream)


class StreamOrderError(ValueError):
    """Streams depend on each other in a cycle, or on a stream that does not exist."""


def ordered(streams: Sequence[S]) -> tuple[S, ...]:
    """Every stream after the streams it ``depends_on`` (pulled in just before it); otherwise in declaration
    order, so a vendor without dependencies is listed exactly as declared."""
    by_name = {s.name: s for s in streams}
    for s in streams:
        missing = [d for d in s.depends_on if d not in by_name]
        if missing:
            raise StreamOrderError(f"stream {s.name!r} depends on unknown stream(s) {', '.join(missing)}")
    done: list[S] = []
    placed: set[str] = set()
    visiting: list[str] = []

    def visit(s: S) -> None:
        if s.name in placed:
            return
        if s.name in visiting:
            cycle = [*visiting[visiting.index(s.name) :], s.name]
            raise StreamOrderError(f"streams depend on each other in a cycle: {' -> '.join(cycle)}")
        visiting.append(s.name)
        for dep in s.depends_on:
            visit(by_name[dep])
        visiting.pop()
        placed.add(s.name)
        done.append(s)

    for s in streams:
        visit(s)
    return tuple(done)
