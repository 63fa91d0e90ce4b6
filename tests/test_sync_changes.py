"""A sync keeps only the changed ids its data-changed event can list, and the event is unchanged by that."""

from __future__ import annotations

import random

from atsbridge.sync.changes import ChangedIds
from atsbridge.webhooks.emitters import MAX_IDS_PER_MODEL


def event_ids(ids: list[str]) -> tuple[list[str], bool]:
    """What ``data_changed`` lists for a model: the sorted distinct ids, capped, and whether it was capped."""
    distinct = sorted(set(ids))
    return distinct[:MAX_IDS_PER_MODEL], len(distinct) > MAX_IDS_PER_MODEL


def test_bounded_ids_give_the_same_event_and_stay_small() -> None:
    rng = random.Random(18)
    for total in (0, 1, 999, 1000, 1001, 1002, 25_000):
        every = [f"id{rng.randrange(10**9):09d}" for _ in range(total)]
        every += every[: total // 10]  # re-seen ids (a page repeated, a record changed twice)
        kept = ChangedIds()
        for start in range(0, len(every), 350):  # added page by page, as a sync does
            kept.update(every[start : start + 350])
            assert len(kept._ids) <= 4 * kept.keep + 350  # never the whole tenant
        assert event_ids(list(kept)) == event_ids(every)
        assert bool(kept) == bool(every)
        assert all(i in kept for i in list(kept))
