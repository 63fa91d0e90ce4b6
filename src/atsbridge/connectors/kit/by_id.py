"""Reading one record by its remote id, declared per stream: how a webhook's "deleted" is checked with the
vendor before anything is marked deleted (a forged or stale event must not delete a record that exists).

Two shapes, both through the connector's own client (auth, rate budget, retries, error classification):

* ``kit.ById("/candidates/{key}")``: ``GET`` the record; the statuses in ``gone`` (404, 410) mean deleted.
* ``kit.ById("/candidates", param="ids")``: the stream's listing filtered to that one id (Greenhouse v3 has no
  single-record ``GET``); an empty answer means deleted. An answer whose rows do not include the id (a vendor
  ignoring the filter) tells nothing and raises.

Anything else (5xx, timeouts, refusals) raises: the caller changes nothing then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.kit.deletions import id_field

if TYPE_CHECKING:
    from atsbridge.connectors.kit.source import KitSource

Raw = dict[str, Any]


@dataclass(frozen=True)
class ById:
    """How a stream's record is read by id. ``path``: a template with ``{key}`` (the URL-quoted id), or with
    ``param`` the listing path that filter applies to. ``data_path``: where a ``GET`` answer holds the record
    (None: the body is the record); ``shape``: instead, the answer -> the row the listing would hand the mapper
    (Recruitee attaches the answer's references). ``gone``: the statuses meaning the record no longer exists."""

    path: str
    param: str | None = None
    data_path: str | None = None
    shape: Callable[[Any], Raw | None] | None = None
    gone: frozenset[int] = frozenset({404, 410})

    def __post_init__(self) -> None:
        if self.param is None and "{key}" not in self.path:
            raise ValueError(f"ById({self.path!r}) names no {{key}} and no filter param")

    async def fetch(self, source: KitSource, name: str, remote_id: str) -> list[Raw] | None:
        """The record as a one-row page, or None when the vendor answers that it is gone."""
        if self.param is not None:
            rows = await source.all_records(name, self.path, {self.param: remote_id})
            if not rows:
                return None
            found = [r for r in rows if id_field(r) == remote_id]
            if not found:
                message = f"{name}: the listing by {self.param} left out {remote_id}"
                raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", message)
            return found[:1]
        try:
            body = await source.get_json(self.path.format(key=quote(remote_id, safe="")))
        except RemoteError as exc:
            if exc.status in self.gone:
                return None
            raise
        record = self.shape(body) if self.shape is not None else dig(body, self.data_path)
        if not isinstance(record, dict):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{name}: the answer for {remote_id} holds no record")
        return [record]
