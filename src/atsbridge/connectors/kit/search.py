"""Search-then-fetch reads, and a daily request quota kept as a budget.

Some vendors (iCIMS) list nothing: a **search** endpoint answers ids only, at most ``cap`` per search and
sorted by id, and each hit is then read by id (N+1). :func:`search_then_fetch` declares such a read: it pages
by narrowing (the next search asks for ids above the last one served), reads the hits with bounded
concurrency (a hit gone meanwhile, 404, is skipped), and checks the vendor's daily quota before each batch.

:class:`DailyQuota`: the vendor announces what is left of the day in ``X-RateLimit-Remaining`` and when it
resets in ``X-RateLimit-Reset``. Before each batch the read checks that the batch fits the day's remainder
minus ``reserve`` (kept for writes and the Connect check). When it does not, and the reset is farther than
``wait_seconds``, the run stops with :class:`QuotaExhausted` (retryable, ``REMOTE.RATE_LIMIT_EXCEEDED``)
*before* spending the rest: a failed run marks nothing deleted and keeps the previous sync position, so the
next scheduled run after the reset resumes from there (it re-reads what this run read; unchanged rows are
not rewritten). A reset closer than ``wait_seconds`` is simply waited for by the client's pacing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.http.ratelimit import remaining, retry_after_seconds
from atsbridge.connectors.kit.concurrency import bounded
from atsbridge.connectors.kit.reads import Custom, Pages

if TYPE_CHECKING:
    from atsbridge.connectors.kit.source import KitSource

Raw = dict[str, Any]
#: (id after which to search, or None; the delta bound, or None) -> the search request's JSON body.
SearchBody = Callable[[str | None, datetime | None], Any]


class QuotaExhausted(RemoteError):
    """The day's request quota would run out in this run: stopped cleanly, to resume after the reset."""

    def __init__(self, message: str):
        super().__init__("REMOTE.RATE_LIMIT_EXCEEDED", message, retryable=True)


@dataclass(frozen=True)
class DailyQuota:
    """A daily request quota as a budget (see the module docstring). ``config["quota_reserve"]`` overrides
    ``reserve`` per integration."""

    reserve: int = 500
    wait_seconds: float = 120.0

    def check(self, seen: httpx.Response | None, needed: int, config: Mapping[str, Any]) -> None:
        if seen is None:
            return
        left = remaining(seen)
        if left is None:
            return
        reserve = int(str(config.get("quota_reserve", self.reserve)))
        reset = retry_after_seconds(seen) or 0.0
        if left - reserve < needed and reset > self.wait_seconds:
            raise QuotaExhausted(
                f"the ATS's daily request quota would be exceeded ({left} requests left, {reserve} kept in "
                f"reserve, {needed} needed next; it resets in {reset:.0f}s): the sync stops here and the next "
                "run after the reset resumes it"
            )


@dataclass
class _Seen:
    last: httpx.Response | None = None


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return orjson.loads(response.content)
    except ValueError:
        message = f"{what}: the ATS sent a body that is not complete JSON"
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", message) from None


def _id_key(value: str) -> tuple[int, str]:
    """Numeric ids sort as numbers, as the vendor sorts them."""
    return (int(value), "") if value.isdigit() else (0, value)


@dataclass(frozen=True)
class SearchThenFetch:
    """``search_path`` (``method``, body from ``body``) answers hits at ``hits_path``, each with ``id_key``;
    each hit is read with ``GET detail_path`` (``{id}``) and ``detail_params``. ``cap``: the most hits one
    search answers (a full answer means: search again above the last id)."""

    search_path: str
    detail_path: str
    body: SearchBody
    hits_path: str | None = "searchResults"
    id_key: str = "id"
    cap: int = 1000
    method: str = "POST"
    detail_params: Mapping[str, str] = field(default_factory=dict)
    quota: DailyQuota | None = None

    async def _detail(self, source: KitSource, rid: str, seen: _Seen) -> Raw | None:
        path = self.detail_path.format(id=rid)
        try:
            response = await source.client.request("GET", path, params=dict(self.detail_params))
        except RemoteError as exc:
            if exc.status == 404:  # gone since the search
                return None
            raise
        seen.last = response
        found = _json(response, f"GET {path}")
        if not isinstance(found, dict):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"GET {path}: expected an object")
        return {**found, "_id": rid}

    async def fetch(self, source: KitSource, since: datetime | None) -> Pages:
        after: str | None = None
        seen = _Seen()
        while True:
            if self.quota is not None:
                self.quota.check(seen.last, 1, source.config)
            response = await source.client.request(self.method, self.search_path, json=self.body(after, since))
            seen.last = response
            hits = dig(_json(response, self.search_path), self.hits_path)
            if not isinstance(hits, list):
                raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{self.search_path}: no search results in the answer")
            ids = sorted({str(h[self.id_key]) for h in hits if isinstance(h, dict) and h.get(self.id_key) is not None},
                         key=_id_key)  # fmt: skip
            if self.quota is not None:
                self.quota.check(seen.last, len(ids), source.config)
            rows = await bounded(ids, lambda rid: self._detail(source, rid, seen), source.api.concurrency)
            page = [row for row in rows if row is not None]
            if page:
                yield page
            if len(hits) < self.cap or not ids:
                return
            after = ids[-1]


def search_then_fetch(spec: SearchThenFetch, *, incremental: bool = True) -> Custom:
    """The read of a search-then-fetch resource (a :class:`~atsbridge.connectors.kit.reads.Custom` with its
    reason stated once, here)."""
    return Custom(spec.fetch, reason="search answers ids only: each hit is read by id (N+1), paged by id",
                  incremental=incremental)  # fmt: skip
