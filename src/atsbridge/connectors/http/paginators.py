"""Every pagination style the supported vendors use, each a few lines, all with loop detection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import httpx
import orjson

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import PaginationLoop, RemoteError


@dataclass(frozen=True)
class PageRequest:
    method: str
    url: str
    params: dict[str, Any] | None = None
    json: Any = None
    #: Request headers of this page (vendors that page or filter in headers: :class:`HeaderPages`).
    headers: dict[str, str] | None = None


class Paginator(Protocol):
    def first(self, request: PageRequest) -> PageRequest: ...

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None: ...


def dig(body: Any, path: str | None) -> Any:
    """``a.b.c`` lookup in nested dicts; ``None`` path is the body itself."""
    if path is None:
        return body
    for part in path.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(part)
    return body


@dataclass(frozen=True)
class LinkHeader:
    """RFC 5988 ``Link: <...>; rel="next"`` (Greenhouse). With ``cursor_only`` the next URL is sent as is,
    with no other parameter (Harvest v3 answers 422 otherwise). ``size_param=None``: the vendor fixes the page
    size (HRworks: 50) and the first request carries no size."""

    size_param: str | None = "per_page"
    page_size: int = 500
    cursor_only: bool = True

    def first(self, request: PageRequest) -> PageRequest:
        if self.size_param is None:
            return request
        return replace(request, params={**(request.params or {}), self.size_param: self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        link = response.links.get("next")
        if not link or not link.get("url"):
            return None
        return PageRequest(request.method, link["url"], None if self.cursor_only else request.params)


@dataclass(frozen=True)
class BodyToken:
    """A token in the body names the next page (Lever: ``next`` while ``hasNext``; Ashby: ``nextCursor``
    while ``moreDataAvailable``, sent in the JSON body of a POST)."""

    token_path: str = "next"
    more_path: str | None = "hasNext"
    param: str = "offset"
    size_param: str | None = "limit"
    page_size: int = 100
    in_body: bool = False

    def first(self, request: PageRequest) -> PageRequest:
        if self.size_param is None:
            return request
        if self.in_body:
            return replace(request, json={**(request.json or {}), self.size_param: self.page_size})
        return replace(request, params={**(request.params or {}), self.size_param: self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        token = dig(body, self.token_path)
        more = dig(body, self.more_path) if self.more_path else bool(token)
        if not more or not token:
            return None
        if self.in_body:
            return replace(request, json={**(request.json or {}), self.param: token})
        return replace(request, params={**(request.params or {}), self.param: token})


@dataclass(frozen=True)
class NextUrl:
    """The body carries the full next URL (Workable ``paging.next``)."""

    path: str = "paging.next"
    size_param: str | None = "limit"
    page_size: int = 100

    def first(self, request: PageRequest) -> PageRequest:
        if self.size_param is None:
            return request
        return replace(request, params={**(request.params or {}), self.size_param: self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        url = dig(body, self.path)
        return PageRequest(request.method, url, None) if url else None


@dataclass(frozen=True)
class PageNumber:
    """``page=1,2,...`` until a short or empty page (or ``total_pages`` when the body says it)."""

    param: str = "page"
    size_param: str | None = "per_page"
    page_size: int = 100
    start: int = 1
    total_path: str | None = None
    records_path: str | None = None

    def first(self, request: PageRequest) -> PageRequest:
        params = {**(request.params or {}), self.param: self.start}
        if self.size_param:
            params[self.size_param] = self.page_size
        return replace(request, params=params)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        page = int((request.params or {})[self.param])
        if self.total_path is not None:
            total = dig(body, self.total_path)
            if total is not None and page >= int(total):
                return None
        records = dig(body, self.records_path) or []
        if len(records) < self.page_size:
            return None
        return replace(request, params={**(request.params or {}), self.param: page + 1})


@dataclass(frozen=True)
class Offset:
    """``offset``/``limit`` until a short page."""

    param: str = "offset"
    size_param: str = "limit"
    page_size: int = 100
    records_path: str | None = None

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), self.param: 0, self.size_param: self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        records = dig(body, self.records_path) or []
        if len(records) < self.page_size:
            return None
        offset = int((request.params or {})[self.param]) + self.page_size
        return replace(request, params={**(request.params or {}), self.param: offset})


def _put(body: Any, path: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with ``value`` at the dotted ``path`` (nested dicts created as needed)."""
    out: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
    head, _, rest = path.partition(".")
    out[head] = _put(out.get(head), rest, value) if rest else value
    return out


@dataclass(frozen=True)
class BodyPage:
    """Page numbers inside a POST search body (Eploy: ``{"Paging": {"RecordsPerPage", "RequestedPage"}}``,
    answer ``{"Records", "TotalPages"}``): the next page until ``total_path`` says it was the last (a vendor
    serving fewer rows than asked still states its page count) or an empty page; without a total, until a short
    page."""

    page_path: str = "Paging.RequestedPage"
    size_path: str | None = "Paging.RecordsPerPage"
    page_size: int = 100
    start: int = 1
    total_path: str | None = "TotalPages"
    records_path: str | None = "Records"

    def first(self, request: PageRequest) -> PageRequest:
        body = _put(request.json, self.page_path, self.start)
        if self.size_path:
            body = _put(body, self.size_path, self.page_size)
        return replace(request, json=body)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        page = int(dig(request.json, self.page_path))
        records = dig(body, self.records_path) or []
        total = dig(body, self.total_path) if self.total_path is not None else None
        if isinstance(total, int) and not isinstance(total, bool):  # the vendor's count wins (it may cap pages)
            if page >= total or not records:
                return None
        elif len(records) < self.page_size:
            return None
        return replace(request, json=_put(request.json, self.page_path, page + 1))


@dataclass(frozen=True)
class HeaderPages:
    """Page number and size sent in request headers, totals answered in response headers (TRAFFIT:
    ``X-Request-Current-Page`` from 1, ``X-Request-Page-Size``; ``X-Result-Total-Pages``). Listing parameters
    named in ``header_params`` travel as headers too (a filter or sort the vendor reads from a header, such as
    ``X-Request-Filter``), so ``kit.Since("X-Request-Filter", ...)`` and fixed sort params need no special
    case. Stops at the total-pages header when it is sent, else at a short page."""

    page_header: str = "X-Request-Current-Page"
    size_header: str = "X-Request-Page-Size"
    page_size: int = 100
    start: int = 1
    total_pages_header: str | None = "X-Result-Total-Pages"
    header_params: tuple[str, ...] = ()
    records_path: str | None = None

    def first(self, request: PageRequest) -> PageRequest:
        params, headers = dict(request.params or {}), dict(request.headers or {})
        for name in self.header_params:
            if name in params:
                value = params.pop(name)
                headers[name] = value if isinstance(value, str) else orjson.dumps(value).decode()
        headers.update({self.page_header: str(self.start), self.size_header: str(self.page_size)})
        return replace(request, params=params, headers=headers)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        headers = dict(request.headers or {})
        page = int(headers[self.page_header])
        total = response.headers.get(self.total_pages_header) if self.total_pages_header else None
        records = dig(body, self.records_path) or []
        if total is not None and total.strip().isdigit():  # the vendor's count wins (a capped page is short)
            if page - self.start + 1 >= int(total) or not records:
                return None
        elif not isinstance(records, list) or len(records) < self.page_size:
            return None
        return replace(request, headers={**headers, self.page_header: str(page + 1)})


@dataclass(frozen=True)
class Single:
    def first(self, request: PageRequest) -> PageRequest:
        return request

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        return None


@dataclass
class PageLog:
    """Keys of requests already sent in one listing: a repeat means the vendor is looping."""

    seen: set[str] = field(default_factory=set)

    def check(self, stream: str, request: PageRequest) -> None:
        key = f"{request.method} {request.url} {sorted((request.params or {}).items())} {request.json!r}"
        if request.headers:
            key += f" {sorted(request.headers.items())}"
        if key in self.seen:
            raise PaginationLoop(stream, key)
        self.seen.add(key)


BodyCheck = Callable[[httpx.Response, Any], None]


async def paginate(
    client: HttpClient,
    paginator: Paginator,
    request: PageRequest,
    *,
    records_path: str | None,
    stream: str,
    check: BodyCheck | None = None,
    on_body: Callable[[Any], None] | None = None,
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield each page's records. Truncated or non-JSON bodies raise instead of ending the listing early."""
    log = PageLog()
    current: PageRequest | None = paginator.first(request)
    while current is not None:
        log.check(stream, current)
        decode = getattr(paginator, "decode", None)  # a pager of a non-JSON body (NDJSON streams)
        response = await client.request(
            current.method, current.url, params=current.params, json=current.json, headers=current.headers
        )
        try:
            # orjson: several times faster than the stdlib on big pages
            body = decode(response) if decode is not None else orjson.loads(response.content)
        except ValueError:
            raise RemoteError(
                "REMOTE.UNKNOWN_HTTP_ERROR", f"{stream}: the ATS sent a body that is not complete JSON", retryable=True
            ) from None
        if check is not None:
            check(response, body)
        if on_body is not None:  # e.g. a sync token handed out with the last page
            on_body(body)
        records = dig(body, records_path)
        if records is None:
            records = []
        if isinstance(records, dict) and getattr(paginator, "object_is_one", False):
            records = [records] if records else []  # a list of one sent as the bare object (JazzHR)
        if not isinstance(records, list):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{stream}: expected a list at {records_path!r}")
        yield records
        current = paginator.next(current, response, body)
