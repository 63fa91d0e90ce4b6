"""Declarative HTTP streams and the generic source that reads them.

A connector lists :class:`HttpStream` values (path, paginator, where the records are, how ``since``
becomes query parameters); :class:`HttpSource` does the rest with the shared client. Streams with an
unusual shape (per-parent fan-out) give a ``fetch`` function instead, still using the shared pieces.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atsbridge.connectors.base import Deletions, Mapper, Stream
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.paginators import BodyCheck, PageRequest, Paginator, Single, paginate

SinceParams = Callable[[datetime], Mapping[str, Any]]
Fetch = Callable[["HttpSource", "HttpStream", datetime | None], AsyncIterator[list[dict[str, Any]]]]


@dataclass(frozen=True)
class HttpStream(Stream):
    path: str = ""
    method: str = "GET"
    paginator: Paginator = field(default_factory=Single)
    records_path: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    #: How the vendor filters "changed since" (None: the listing has no such filter).
    since_params: SinceParams | None = None
    fetch: Fetch | None = None


def http_stream(
    name: str, models: tuple[str, ...], mapper: Mapper, path: str, *, since_params: SinceParams | None = None, **kw: Any
) -> HttpStream:
    return HttpStream(name, models, mapper, since_params is not None, path=path, since_params=since_params, **kw)


class HttpSource:
    """Reads :class:`HttpStream` listings through one :class:`HttpClient` (one per sync run)."""

    def __init__(
        self,
        client: HttpClient,
        *,
        check: BodyCheck | None = None,
        deletions: Callable[[HttpSource, datetime | None], Awaitable[Deletions]] | None = None,
        state: dict[str, Any] | None = None,
    ):
        self.client = client
        self.check = check
        self._deletions = deletions
        #: Scratch space shared by a connector's streams within one run (e.g. lookup tables).
        self.state: dict[str, Any] = state if state is not None else {}

    def pages(
        self, stream_name: str, request: PageRequest, paginator: Paginator, records_path: str | None
    ) -> AsyncIterator[list[dict[str, Any]]]:
        return paginate(
            self.client, paginator, request, records_path=records_path, stream=stream_name, check=self.check
        )

    async def read(self, stream: Stream, since: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        assert isinstance(stream, HttpStream)
        if stream.fetch is not None:
            async for page in stream.fetch(self, stream, since):
                yield page
            return
        params = dict(stream.params)
        if since is not None and stream.since_params is not None:
            params.update(stream.since_params(since))
        request = PageRequest(stream.method, stream.path, params or None, stream.body)
        async for page in self.pages(stream.name, request, stream.paginator, stream.records_path):
            yield page

    async def deletions(self, since: datetime | None) -> Deletions:
        if self._deletions is None:
            return Deletions()
        return await self._deletions(self, since)

    async def aclose(self) -> None:
        await self.client.aclose()
