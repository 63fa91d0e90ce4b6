"""Webhook deletions, checked with the vendor: a vendor webhook saying "record X was deleted" is only a claim
(it may be forged, replayed or stale), so the run reads X by id at the vendor. Only the vendor's own "gone"
(404/410, or an empty answer to a filter by id, as the connector declares) marks it deleted; a record that
still exists is written like any listed one (the store stays what polling produces); any other failure
changes nothing, as a failed sync never marks records deleted (the next complete listing decides)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from atsbridge.connectors.base import ReadsOne, Source, Stream

log = logging.getLogger("atsbridge.sync")

#: At most this many failure messages are kept in a run's stats.
MAX_ERRORS = 10

StorePage = Callable[[Stream, list[dict[str, Any]]], Awaitable[None]]
MarkGone = Callable[[str, str], Awaitable[None]]


@dataclass
class Checked:
    """What the checks found: records the vendor said were gone (marked deleted), records it still has
    (re-written), and reads that failed (nothing changed), with why."""

    gone: int = 0
    present: int = 0
    unverified: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"gone": self.gone, "present": self.present, "unverified": self.unverified, "errors": self.errors}


async def check(
    source: Source,
    streams: Mapping[str, Stream],
    claims: Sequence[tuple[str, str]],
    *,
    enabled: Callable[[str], bool],
    store: StorePage,
    mark_gone: MarkGone,
) -> Checked:
    """Read each claimed (stream, remote id) at the vendor and act on the answer (see the module docstring).
    ``enabled``: whether a model is in scope; ``store`` writes a page as the listing would; ``mark_gone``
    (model, remote id) marks a record and its dependants deleted."""
    done = Checked()
    if not isinstance(source, ReadsOne):
        return done
    for name, remote_id in claims:
        stream = streams.get(name)
        if stream is None or not stream.reads_one() or not stream.models or not enabled(stream.models[0]):
            continue
        try:
            page = await source.read_one(stream, remote_id)
        except Exception as exc:  # the vendor could not say: nothing is changed on the event's word
            done.unverified += 1
            message = f"{name} {remote_id}: {type(exc).__name__}: {exc}"[:300]
            if len(done.errors) < MAX_ERRORS:
                done.errors.append(message)
            log.warning("webhook deletion not checked, nothing changed: %s", message)
            continue
        if page is None:
            await mark_gone(stream.models[0], remote_id)
            done.gone += 1
        else:
            await store(stream, page)
            done.present += 1
    return done
