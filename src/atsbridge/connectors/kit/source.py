"""The one source every kit connector opens: reads declared streams, fills and serves lookups, reads deletion
feeds, and keeps vendor sync tokens for the engine. Write actions get the same object (its ``client``,
``config``, ``lookup`` and ``memo``)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl, quote

import orjson

from atsbridge.connectors.base import Deletions, IntegrationInfo, Stream
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, Paginator, dig, paginate
from atsbridge.connectors.kit.api import VendorApi
from atsbridge.connectors.kit.concurrency import bounded
from atsbridge.connectors.kit.deletions import DeletionFeed
from atsbridge.connectors.kit.lookups import Lookup, Memo
from atsbridge.connectors.kit.reads import (
    API_DEFAULT,
    Attach,
    Derived,
    Detail,
    Enrich,
    FanOut,
    Listed,
    Position,
    Static,
    _ApiDefault,
)
from atsbridge.connectors.kit.since import BodySince, Since, SyncToken
from atsbridge.connectors.kit.streams import KitStream

log = logging.getLogger("atsbridge.connectors.kit")

T = TypeVar("T")
Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"path template field {key!r} missing from the row")


def fill(template: str, key: object, fields: object) -> str:
    """A path template with ``{key}`` and the fields of a row, each URL-quoted (ids are untrusted text)."""
    values = _Fields({"key": quote(str(key), safe="")})
    if isinstance(fields, dict):
        values.update({str(k): quote(str(v), safe="") for k, v in fields.items() if isinstance(v, str | int)})
    return template.format_map(values)


def split_query(path: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """A path template's own query (``/positions?state={key}``) moved into the params, which win on a clash:
    the HTTP client replaces a URL's query by the params it is given, so it would silently be lost."""
    base, sep, query = path.partition("?")
    if not sep:
        return path, dict(params or {})
    return base, {**dict(parse_qsl(query, keep_blank_values=True)), **dict(params or {})}


class KitSource:
    """A live connection to one integration's ATS through a :class:`VendorApi` (one per sync run or write)."""

    def __init__(
        self,
        api: VendorApi,
        client: HttpClient,
        config: Mapping[str, Any],
        *,
        streams: Sequence[KitStream] = (),
        deletion_feeds: Sequence[DeletionFeed] = (),
        sync_tokens: Mapping[str, str] | None = None,
        info: IntegrationInfo | None = None,
    ):
        #: The integration (when opened by the engine or a write), for vendors that build other clients.
        self.info = info
        self._siblings: dict[str, KitSource] = {}
        self.api = api
        self.client = client
        self.config: dict[str, Any] = dict(config)
        self.streams = {s.name: s for s in streams}
        self.deletion_feeds = tuple(deletion_feeds)
        #: Tokens the engine saved from earlier runs (stream -> token), and the new ones of this run.
        self.sync_tokens_in: dict[str, str] = dict(sync_tokens or {})
        self.sync_tokens: dict[str, str] = {}
        self._tables: dict[Lookup[Any], dict[str, Any]] = {}
        self._complete: set[Lookup[Any]] = set()
        self._memos: dict[Memo[Any], Any] = {}
        #: lookup -> the last stream (in the declared order the engine follows) that reads it: its table is
        #: dropped once that stream has been read, instead of being held through the rest of the run.
        self._last_reader: dict[Lookup[Any], str] = {}
        for s in self.streams.values():
            if isinstance(s, KitStream):
                for read_lookup in s.reads_lookups():
                    self._last_reader[read_lookup] = s.name

    # ------------------------------------------------------------------------------------------ requests

    def _pager(self, pager: Paginator | _ApiDefault) -> Paginator:
        return self.api.pager if isinstance(pager, _ApiDefault) else pager

    def _records(self, path: str | None | _ApiDefault) -> str | None:
        return self.api.records_path if isinstance(path, _ApiDefault) else path

    async def listing(
        self,
        name: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        method: str = "GET",
        body: Any = None,
        pager: Paginator | _ApiDefault = API_DEFAULT,
        records_path: str | None | _ApiDefault = API_DEFAULT,
        on_body: Callable[[Any], None] | None = None,
    ) -> Pages:
        """Every page of one list, with the API's pager, records path and error check. A listing the vendor
        breaks in the declared harmless way (``VendorApi.restart``) starts over from page 1."""
        restart = self.api.restart
        attempts = 1 + (restart.times if restart is not None else 0)
        path, params = split_query(path, params)
        for attempt in range(attempts):
            request = PageRequest(method, path, dict(params), body)
            try:
                async for page in paginate(
                    self.client,
                    self._pager(pager),
                    request,
                    records_path=self._records(records_path),
                    stream=name,
                    check=self.api.errors.check,
                    on_body=on_body,
                ):
                    yield page
                return
            except RemoteError as exc:
                if restart is None or not restart.when(exc) or attempt + 1 == attempts:
                    raise
                log.warning("%s: the vendor broke the listing midway (%s); listing it again", name, exc.message)

    async def all_records(self, name: str, path: str, params: Mapping[str, Any] | None = None) -> list[Raw]:
        return [raw async for page in self.listing(name, path, params) for raw in page]

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """One GET's JSON body; a cut-off body is an error, not an empty answer."""
        response = await self.client.request("GET", path, params=params)
        try:
            return orjson.loads(response.content)
        except ValueError:
            raise RemoteError(
                "REMOTE.UNKNOWN_HTTP_ERROR", f"GET {path}: the ATS sent a body that is not complete JSON"
            ) from None

    # ------------------------------------------------------------------------------------------- lookups

    def table(self, lookup: Lookup[T]) -> dict[Any, T]:
        """The lookup as filled so far in this run (possibly empty; see :meth:`lookup`)."""
        return cast(dict[Any, T], self._tables.setdefault(lookup, {}))

    def forget(self, lookup: Lookup[Any]) -> None:
        """Drop a table a write just made stale (a tag was created): the next read lists it again."""
        self._tables.pop(lookup, None)
        self._complete.discard(lookup)

    def sibling(self, key: str, client: Callable[[], HttpClient]) -> KitSource:
        """A source like this one over another client (e.g. acting as another user), made once per ``key``
        and closed with this one."""
        if key not in self._siblings:
            self._siblings[key] = KitSource(
                self.api, client(), self.config, streams=list(self.streams.values()),
                deletion_feeds=self.deletion_feeds, info=self.info,
            )  # fmt: skip
        return self._siblings[key]

    async def lookup(self, lookup: Lookup[T], since: datetime | None = None) -> dict[Any, T]:
        """The lookup's table; when its publisher has not been listed in this run yet, it is listed now (its
        rows are not stored: only the table is kept), with ``since`` as a delta filter."""
        if lookup not in self._complete:
            publisher = next((s for s in self.streams.values() if any(p.lookup is lookup for p in s.publishes)), None)
            if publisher is None:
                raise KeyError(f"no stream publishes {lookup!r}")
            async for _page in self.read(publisher, since):
                pass
        return self.table(lookup)

    async def memo(self, key: Memo[T], build: Callable[[], Awaitable[T]]) -> T:
        """A value computed once per source (e.g. a write's acting user)."""
        if key not in self._memos:
            self._memos[key] = await build()
        return cast(T, self._memos[key])

    # --------------------------------------------------------------------------------------------- reads

    async def read(self, stream: Stream, since: datetime | None) -> Pages:
        if not isinstance(stream, KitStream):
            raise TypeError(f"{stream.name} is not a kit stream")
        position = 0
        async for page in self._rows(stream, since):
            position = await self._steps(stream, page, position)
            for pub in stream.publishes:
                table = self.table(pub.lookup)
                for raw in page:
                    pub.add(table, raw)
            yield page
        self._complete.update(pub.lookup for pub in stream.publishes)
        self._release_after(stream)

    def _release_after(self, stream: KitStream) -> None:
        """Drop the lookup tables no stream after this one reads. They can be big (Greenhouse's job posts are
        full records, held through the candidate and application listings otherwise) and grow with the
        tenant; a later :meth:`lookup` (a read by id, a stream read out of order) simply lists them again."""
        own = {pub.lookup for pub in stream.publishes}
        for read_lookup in stream.reads_lookups():
            if self._last_reader.get(read_lookup) == stream.name and read_lookup not in own:
                self.forget(read_lookup)

    async def read_one(self, stream: Stream, remote_id: str) -> list[Raw] | None:
        """One record by its remote id, with the stream's steps applied (its lookups are listed on demand),
        or None when the vendor answers it is gone (:class:`~atsbridge.connectors.kit.by_id.ById`)."""
        if not isinstance(stream, KitStream) or stream.by_id is None:
            raise TypeError(f"{stream.name} declares no read by id")
        page = await stream.by_id.fetch(self, stream.name, remote_id)
        if page is not None:
            await self._steps(stream, page, 0)
        return page

    async def _steps(self, stream: KitStream, page: list[Raw], position: int) -> int:
        """Apply the stream's per-row steps to a page; returns the next row's position."""
        for step in stream.steps:
            if isinstance(step, Detail):
                await self._detail(step, page)
            elif isinstance(step, Attach):
                table = await self.lookup(step.lookup)
                for raw in page:
                    key = step.key(raw)
                    raw[step.into] = table.get(str(key)) if key is not None else None
            elif isinstance(step, Enrich):
                table = await self.lookup(step.lookup)
                page[:] = [step.fn(raw, table) for raw in page]
            elif isinstance(step, Position):
                for raw in page:
                    raw[step.into] = position
                    position += 1
        return position

    def _rows(self, stream: KitStream, since: datetime | None) -> Pages:
        read = stream.read
        if isinstance(read, Listed):
            return self._listed(stream.name, read, since)
        if isinstance(read, FanOut):
            return self._fan_out(stream.name, read, since)
        if isinstance(read, Derived):
            return self._derived(read, since)
        if isinstance(read, Static):
            return self._static(read)
        return read.fetch(self, since)

    async def _static(self, read: Static) -> Pages:
        yield read.rows()

    async def _listed(self, name: str, read: Listed, since: datetime | None) -> Pages:
        params = dict(read.params)
        body = read.body
        on_body: Callable[[Any], None] | None = None
        if isinstance(read.since, Since) and since is not None:
            params.update(read.since.params(since))
        elif isinstance(read.since, BodySince) and since is not None:
            body = read.since.apply(body, since)
        elif isinstance(read.since, SyncToken):
            token_decl = read.since
            known = self.sync_tokens_in.get(name) if since is not None else None
            if known and token_decl.in_body:
                body = {**(body or {}), token_decl.param: known}
            elif known:
                params[token_decl.param] = known

            def keep(answer: Any) -> None:
                token = token_decl.token(answer)
                if token:
                    self.sync_tokens[name] = token

            on_body = keep
        async for page in self.listing(
            name,
            read.path,
            params,
            method=read.method,
            body=body,
            pager=read.pager,
            records_path=read.records_path,
            on_body=on_body,
        ):
            yield page

    async def _children(self, name: str, read: FanOut, key: str, value: Any, label: str, path: str) -> list[Raw]:
        url = fill(path, key, value)
        try:
            rows = [
                raw
                async for page in self.listing(name, url, pager=read.pager, records_path=read.records_path)
                for raw in page
            ]
        except RemoteError as exc:
            if exc.status in read.tolerate:
                return []
            raise
        for raw in rows:
            raw[read.parent_into] = value
            if read.label_into is not None:
                raw[read.label_into] = label
        return rows

    async def _fan_out(self, name: str, read: FanOut, since: datetime | None) -> Pages:
        parents = await self.lookup(read.over, since)
        keys = list(parents)
        for start in range(0, len(keys), self.api.batch):
            jobs = [
                (k, label, path) for k in keys[start : start + self.api.batch] for label, path in read.paths.items()
            ]
            results = await bounded(
                jobs,
                lambda job: self._children(name, read, job[0], parents[job[0]], job[1], job[2]),
                self.api.concurrency,
            )
            page = [raw for rows in results for raw in rows]
            if page:
                yield page

    async def _derived(self, read: Derived, since: datetime | None) -> Pages:
        parents = await self.lookup(read.over, since)
        items = list(parents.items())
        for start in range(0, len(items), self.api.batch):
            page = [raw for key, value in items[start : start + self.api.batch] for raw in read.rows(key, value)]
            if page:
                yield page

    async def _one(self, step: Detail, raw: Raw) -> Any:
        url = fill(step.path, raw.get("id"), raw)
        try:
            body = await self.get_json(url)
        except RemoteError as exc:
            if exc.status in step.tolerate:
                return None
            raise
        data = dig(body, step.data_path)
        return data if isinstance(data, dict | list) else None

    async def _detail(self, step: Detail, page: list[Raw]) -> None:
        found = await bounded(page, lambda raw: self._one(step, raw), self.api.concurrency)
        for raw, value in zip(page, found, strict=True):
            raw[step.into] = value

    # ----------------------------------------------------------------------------------------- deletions

    async def deletions(self, since: datetime | None) -> Deletions:
        found = Deletions()
        for feed in self.deletion_feeds:
            params = dict(feed.params)
            if since is not None and feed.since is not None:
                params.update(feed.since.params(since))
            try:
                name = f"deleted {feed.model}"
                if feed.body is None and feed.method == "GET":
                    rows = await self.all_records(name, feed.path, params)
                else:
                    body = feed.body(since) if feed.body is not None else None
                    listing = self.listing(name, feed.path, params, method=feed.method, body=body)
                    rows = [raw async for page in listing for raw in page]
            except RemoteError as exc:
                if exc.status not in feed.tolerate:
                    raise
                log.warning("the ATS has no deletion feed at %s", feed.path)
                continue
            ids = [i for i in (feed.id_of(r) for r in rows) if i]
            found.by_model.setdefault(feed.model, []).extend(ids)
        return found

    async def aclose(self) -> None:
        for other in self._siblings.values():
            await other.aclose()
        await self.client.aclose()
