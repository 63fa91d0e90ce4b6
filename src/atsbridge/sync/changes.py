"""What a sync remembers about record ids until it ends, in memory that does not grow with the tenant's data.

A first sync changes every record of the tenant; keeping all their ids until the run ends made a sync's
memory grow with the tenant (about 100 bytes per record for each such set).

* Changed ids: the ``data-changed`` event lists only the smallest ``MAX_IDS_PER_MODEL`` distinct ids of a
  model (sorted) and whether there were more, so keeping the smallest ``MAX_IDS_PER_MODEL + 1`` is exact.
* Seen ids (deletion detection after a full listing): 8 bytes per id, its hash.
"""

from __future__ import annotations

from array import array
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


class SeenIds:
    """The ids a full listing returned, as their 64-bit hashes, for deletion detection at its end.

    A hash collision can only make a vanished record look listed: it is then not marked deleted by this run
    (the safe side, never the other way). String hashes are salted per process, so the next run's
    collisions are different ones and the record is caught then.
    """

    __slots__ = ("_hashes",)

    def __init__(self) -> None:
        self._hashes = array("q")

    def update(self, ids: Iterable[str]) -> None:
        self._hashes.extend(hash(i) for i in ids)

    def missing(self, live: Iterable[str]) -> list[str]:
        """The ``live`` ids that were not listed, sorted."""
        listed = set(self._hashes)
        return sorted(i for i in live if hash(i) not in listed)
