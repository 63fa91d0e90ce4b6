"""NDJSON streamed listings (TalentLink's ``stream=true``): the answer is newline-delimited JSON chunks, each
shaped like one ordinary page (``{"data": {"candidates": [...]}}``), parsed chunk by chunk.

:func:`read_ndjson` parses the chunks (a line that is not complete JSON fails the page: a cut-off stream is
never a short one); :class:`NdjsonPages` is the pager. The stream carries no end marker or total, so a page
cut exactly between two chunks cannot be told from a short last page: the pager advances its offset by the
rows it *received* and only an **empty** page ends the listing (one extra request per listing, no row lost).
``paginate`` uses a pager's ``decode(response)`` instead of parsing JSON when it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig

#: (the listing's own params, page size, offset) -> the params sent (TalentLink writes them into ``query``).
PageParams = Callable[[Mapping[str, Any], int, int], dict[str, Any]]


def offset_params(listing: Mapping[str, Any], size: int, offset: int) -> dict[str, Any]:
    """The plain form: ``?first=<size>&after=<offset>`` next to the listing's params."""
    return {**listing, "first": size, "after": offset}


def read_ndjson(content: bytes) -> list[Any]:
    """Every chunk of an NDJSON body, in order (blank lines skipped). Raises ``ValueError`` on a line that is
    not complete JSON (a stream cut mid-chunk)."""
    return [orjson.loads(line) for line in content.splitlines() if line.strip()]


def merge(chunks: list[Any], records_path: str, errors_path: str | None = "errors") -> dict[str, Any]:
    """The chunks as one page: their rows at ``records_path`` concatenated under the same path. A chunk with
    an error at ``errors_path`` fails the listing with the vendor's message (an error sent mid-stream)."""
    rows: list[Any] = []
    for chunk in chunks:
        problem = dig(chunk, errors_path) if errors_path else None
        if problem:
            raise RemoteError(
                "REMOTE.UNKNOWN_HTTP_ERROR", f"the ATS reported an error mid-stream: {str(problem)[:300]}"
            )
        found = dig(chunk, records_path)
        if found is None:
            continue
        if not isinstance(found, list):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"expected a list at {records_path!r} in a streamed chunk")
        rows.extend(found)
    body: dict[str, Any] = {}
    node = body
    *parents, last = records_path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = rows
    return body


@dataclass(frozen=True)
class _Position(PageRequest):
    """A page request that remembers the listing's own params and its offset (the sent params are rendered)."""

    listing: Mapping[str, Any] = field(default_factory=dict)
    offset: int = 0


@dataclass(frozen=True)
class NdjsonPages:
    """Offset pages of an NDJSON stream: ``params(listing, page_size, offset)`` renders each request; the
    offset grows by the rows received; an empty page ends the listing."""

    records_path: str
    page_size: int = 100
    params: PageParams = offset_params
    errors_path: str | None = "errors"

    def _at(self, request: PageRequest, listing: Mapping[str, Any], offset: int) -> _Position:
        sent = self.params(listing, self.page_size, offset)
        return _Position(request.method, request.url, sent, request.json, request.headers, dict(listing), offset)

    def first(self, request: PageRequest) -> PageRequest:
        return self._at(request, dict(request.params or {}), 0)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        rows = dig(body, self.records_path)
        if not isinstance(rows, list) or not rows or not isinstance(request, _Position):
            return None
        return self._at(request, request.listing, request.offset + len(rows))

    def decode(self, response: httpx.Response) -> dict[str, Any]:
        return merge(read_ndjson(response.content), self.records_path, self.errors_path)
