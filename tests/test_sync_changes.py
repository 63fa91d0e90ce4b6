"""A sync keeps only the changed ids its data-changed event can list, and the event is unchanged by that."""

from __future__ import annotations

import random

from atsbridge.sync.changes import ChangedIds, SeenIds
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


def test_seen_ids_find_exactly_the_unlisted_live_ids() -> None:
    rng = random.Random(7)
    live = {f"id{i:06d}" for i in range(5000)}
    listed = set(rng.sample(sorted(live), 4000)) | {f"new{i}" for i in range(300)}  # plus records not stored yet
    seen = SeenIds()
    pages = sorted(listed)
    for start in range(0, len(pages), 333):
        seen.update(pages[start : start + 333])
    seen.update(pages[:50])  # a repeated page
    assert seen.missing(live) == sorted(live - listed)
    assert SeenIds().missing(live) == sorted(live)  # nothing listed: everything missing (the breaker decides)
    assert len(seen._hashes.tobytes()) == 8 * (len(listed) + 50)  # 8 bytes per listed id
