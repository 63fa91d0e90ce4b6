"""The ids a sync's ``data-changed`` event lists, kept in memory bounded by the event, not by the tenant.

A first sync changes every record of the tenant; keeping all their ids until the run ends made a sync's
memory grow with the tenant. The event lists only the smallest ``MAX_IDS_PER_MODEL`` distinct ids of a
model (sorted) and whether there were more, so keeping the smallest ``MAX_IDS_PER_MODEL + 1`` is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from atsbridge.webhooks.emitters import MAX_IDS_PER_MODEL


class ChangedIds:
    """A set of ids that forgets all but its ``keep`` smallest (pruned lazily, in batches)."""

    __slots__ = ("_ids", "keep")

    def __init__(self, keep: int = MAX_IDS_PER_MODEL + 1) -> None:
        self.keep = keep
        self._ids: set[str] = set()

    def update(self, ids: Iterable[str]) -> None:
        self._ids.update(ids)
        if len(self._ids) > 4 * self.keep:
            self._prune()

    def add(self, item: str) -> None:
        self.update((item,))

    def _prune(self) -> None:
        if len(self._ids) > self.keep:
            self._ids = set(sorted(self._ids)[: self.keep])

    def __iter__(self) -> Iterator[str]:
        self._prune()
        return iter(sorted(self._ids))

    def __len__(self) -> int:
        return min(len(self._ids), self.keep)

    def __contains__(self, item: object) -> bool:
        self._prune()
        return item in self._ids

    def __repr__(self) -> str:
        return f"ChangedIds({sorted(self)!r})"
