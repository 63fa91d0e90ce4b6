"""What a sync reads from Breezy HR, and how a delta run finds changes without an updated-since filter.

* ``/pipelines`` (a full array) feeds the ``pipelines`` lookup: pipeline id -> its stages.
* ``/positions?state=<s>`` (a full array per state, for each documented state: which states an unfiltered
  listing returns is not documented [gap]) is the jobs stream; each position gets its pipeline's stages.
  (A kit ``FanOut`` path cannot carry the query: httpx replaces a path's query with the request's params.)
* ``/position/{id}/candidates`` per position (``page``/``page_size``, bare arrays until a short page) is the
  candidates-and-applications stream. Breezy has **no updated-since filter** [doc][conn]: a full sync lists
  every page (``sort=created``, stable while records change); a delta run asks ``sort=updated_date``
  (newest change first [conn]) and stops at the first candidate older than the last sync, so an unchanged
  position costs one request (the stop is taken only on a page seen to be newest-first, so another order
  costs a full listing, never a missed change). Deletions have no feed (the ``candidateDeleted`` webhook
  only queues a delta, ``webhooks.py``): the engine finds them on full syncs, which never mark anything
  deleted after a failed listing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.breezyhr import mappers as m
from atsbridge.connectors.breezyhr.api import PIPELINES, POSITIONS, TAGS, position_path
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
POSITION_STATES = ("published", "draft", "pending", "closed", "archived")
#: Breezy's one way to say "rejected": the built-in ``disqualified`` stage (no reasons were seen [gap]).
DISQUALIFIED = {"id": "disqualified", "name": "Disqualified"}


def _updated(raw: Raw) -> datetime | None:
    try:
        return parse_ts(str(raw.get("updated_date")))
    except ValueError:
        return None


def _changed_since(raw: Raw, since: datetime) -> bool:
    found = _updated(raw)
    return found is None or found >= since  # no usable date: keep it (a needless re-read, never a missed change)


def _newest_first(page: list[Raw]) -> bool:
    """Whether the page really is in descending ``updated_date`` order (the stop relies on it [conn])."""
    stamps = [_updated(r) for r in page]
    known = [s for s in stamps if s is not None]
    return len(known) == len(stamps) and all(a >= b for a, b in zip(known, known[1:], strict=False))


async def read_positions(source: kit.KitSource, since: datetime | None) -> Pages:
    """Every position: one full listing per documented state."""
    for state in POSITION_STATES:
        async for page in source.listing("positions", "/positions", {"state": state}, pager=kit.Single()):
            yield page


async def read_candidates(source: kit.KitSource, since: datetime | None) -> Pages:
    """Each position's candidates; in a delta run newest change first, stopping at the last sync."""
    positions = await source.lookup(POSITIONS)
    params = {"sort": "created" if since is None else "updated_date"}
    for pid, position in list(positions.items()):
        try:
            async for page in source.listing("candidates", f"{position_path(pid)}/candidates", params):
                fresh = [r for r in page if since is None or _changed_since(r, since)]
                for raw in fresh:
                    raw["_position"] = position
                if fresh:
                    yield fresh
                if len(fresh) < len(page) and _newest_first(page):
                    break  # the rest is older than the last sync
        except RemoteError as exc:
            if exc.status != 404:  # a position deleted meanwhile has no candidates
                raise


def _tag_rows(table: dict[Any, Raw], raw: Raw) -> None:
    for name in m.tags_of(raw):
        table[name] = {"name": name}


STREAMS = (
    kit.lookup_only("pipelines", kit.Listed("/pipelines", pager=kit.Single()),
                    [kit.Publish(PIPELINES, lambda p: list(p.get("stages") or []), key=lambda p: p.get("_id"))]),
    kit.stream("positions", ("jobs", "application_stages"), m.map_position,
               kit.Custom(read_positions, reason="one listing per state: an unfiltered one's states are unknown"),
               steps=[kit.Attach(PIPELINES, lambda p: p.get("pipeline_id"), into="_stages")],
               publishes=[kit.Publish(POSITIONS, lambda p: {"_id": p["_id"], "pipeline_id": p.get("pipeline_id")},
                                      key=lambda p: p.get("_id"))]),
    kit.stream("candidates", ("candidates", "applications", "attachments"), m.map_candidate,
               kit.Custom(read_candidates, reads=(POSITIONS,), incremental=True,
                          reason="no updated-since filter: newest change first, stopping at the last sync"),
               publishes=[kit.Publish(TAGS, fold=_tag_rows)]),
    kit.stream("tags", "tags", m.map_tag, kit.Derived(TAGS, lambda _name, row: [row])),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_reason, kit.Static(lambda: [dict(DISQUALIFIED)])),
)  # fmt: skip
