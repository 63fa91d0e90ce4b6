"""Paging styles, declared once per vendor API. A list handler asks its fake's pager for the request's
:class:`Cursor` (the effective filters, page size and position), filters and orders its records, and lets the
pager cut the page and write the answer (body and headers) the vendor's way.

Implemented: keyset tokens carried in a ``Link: rel="next"`` header (:class:`LinkHeader`, Greenhouse v3) or in
the body (:class:`BodyToken`, Lever's ``hasNext``/``next``), page numbers (:class:`PageNumber`) and offsets
(:class:`Offset`). Keyset tokens name the last record's sort key, so inserts and deletes between pages
neither repeat nor skip records. Designed in, one subclass each: next-URL bodies, since-id, RPC POST bodies
(cursor in the JSON body), JSON-RPC, OData ``@odata.nextLink``/``__next``/``$skip`` and SOAP ``Page``/``Total_Pages``
override :meth:`Pager.cursor` (where the position is read) and :meth:`Pager.reply` (where the next one is written).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlencode

import orjson
from starlette.requests import Request

from atsbridge.fakes.kit.errors import VendorError

Key = tuple[Any, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    """What a list request asks for: filters (paging parameters removed), page size, and the position
    (``after``: the last key served, for keyset pagers; ``index``: the first position, for offset pagers)."""

    query: dict[str, str]
    size: int
    after: Key | None = None
    index: int = 0


@dataclass(frozen=True)
class Reply:
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Pager:
    """Base: page size parsing and position slicing; subclasses say where positions travel."""

    size_param = "per_page"
    default_size = 100
    max_size = 100
    invalid_status = 400

    def _size(self, request: Request) -> int:
        raw = request.query_params.get(self.size_param, str(self.default_size))
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_size:
            raise VendorError(
                self.invalid_status, f"{self.size_param} must be an integer between 1 and {self.max_size}"
            )
        return int(raw)

    def _filters(self, request: Request, *paging: str) -> dict[str, str]:
        return {k: v for k, v in request.query_params.items() if k not in (self.size_param, *paging)}

    def cursor(self, request: Request) -> Cursor:
        raise NotImplementedError

    def invalid(self, token: str) -> VendorError:
        """The vendor's answer to a broken or expired position token."""
        return VendorError(self.invalid_status, f"Invalid page token: {token[:60]}")

    def slice(
        self, cursor: Cursor, ordered: Sequence[tuple[Key, Any]], cap: int | None
    ) -> tuple[list[Any], Cursor | None]:
        """The page of ``ordered`` (ascending by key) and the cursor of the next page (None on the last)."""
        size = min(cursor.size, cap or cursor.size)
        if cursor.after is not None:
            after = cursor.after
            rest = [kv for kv in ordered if kv[0] > after]
        else:
            rest = list(ordered[cursor.index :])
        page = rest[:size]
        if len(rest) <= size:
            return [r for _, r in page], None
        return [r for _, r in page], replace(cursor, after=page[-1][0], index=cursor.index + size)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        raise NotImplementedError

    def slice_sorted(
        self,
        cursor: Cursor,
        ordered: Sequence[T],
        key: Callable[[T], Key],
        match: Callable[[T], bool],
        cap: int | None,
    ) -> tuple[list[T], Cursor | None]:
        """What :meth:`slice` answers for ``[(key(i), i) for i in ordered if match(i)]`` (``ordered`` ascending
        by ``key``), reading only the page: the position by bisection, rows matched until one past the page.
        A real vendor serves a page in about constant time; a fake that filters and sorts the whole table per
        page made the benchmark's floor grow with the tenant (quadratic at 100k records)."""
        if cursor.after is None and cursor.index:
            return self.slice(cursor, [(key(i), i) for i in ordered if match(i)], cap)
        size = min(cursor.size, cap or cursor.size)
        start = 0 if cursor.after is None else bisect.bisect_right(ordered, cursor.after, key=key)
        page: list[T] = []
        for item in itertools.islice(ordered, start, None):
            if match(item):
                if len(page) == size:
                    return page, replace(cursor, after=key(page[-1]), index=cursor.index + size)
                page.append(item)
        return page, None


def encode_token(payload: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_token(token: str) -> Any:
    """The payload of :func:`encode_token`; ValueError when the token is not one."""
    if len(token) > 4096:
        raise ValueError("token too long")
    try:
        return orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, orjson.JSONDecodeError) as exc:
        raise ValueError(str(exc)) from None


def _key(value: Any) -> Key:
    if not isinstance(value, list):
        raise ValueError("not a key")
    return tuple(value)


class LinkHeader(Pager):
    """A bare JSON list; the next page is ``Link: <...?cursor=T>; rel="next"``. With ``carries_query`` the
    token holds the filters and page size and must be the only parameter (Greenhouse v3: 422 otherwise)."""

    def __init__(self, *, cursor_param: str = "cursor", size_param: str = "per_page", default_size: int = 100,
                 max_size: int = 500, carries_query: bool = True, invalid_status: int = 422) -> None:  # fmt: skip
        self.cursor_param, self.size_param, self.default_size = cursor_param, size_param, default_size
        self.max_size, self.carries_query, self.invalid_status = max_size, carries_query, invalid_status

    def invalid(self, token: str) -> VendorError:
        return VendorError(self.invalid_status, "Invalid or expired cursor.")

    def cursor(self, request: Request) -> Cursor:
        token = request.query_params.get(self.cursor_param)
        if token is None:
            return Cursor(self._filters(request, self.cursor_param), self._size(request))
        if self.carries_query and len(request.query_params.multi_items()) > 1:
            raise VendorError(self.invalid_status, "When passing a cursor, do not include other query params.")
        try:
            data = decode_token(token)
            query = {str(k): str(v) for k, v in dict(data["q"]).items()} if self.carries_query else {}
            after, size = _key(data["k"]), int(data["n"])
        except (ValueError, KeyError, TypeError):
            raise self.invalid(token) from None
        if not self.carries_query:
            query, size = self._filters(request, self.cursor_param), self._size(request)
        return Cursor(query, size, after)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        if following is None:
            return Reply(records)
        payload = {
            "q": following.query if self.carries_query else {},
            "n": following.size,
            "k": list(following.after or ()),
        }
        params = {self.cursor_param: encode_token(payload)}
        if not self.carries_query:
            params = {**following.query, self.size_param: str(following.size), **params}
        url = f"{str(request.base_url).rstrip('/')}{request.url.path}?{urlencode(params)}"
        return Reply(records, {"Link": f'<{url}>; rel="next"'})


class BodyToken(Pager):
    """``{"data": [...], "hasNext": true, "next": "<token>"}``; the token comes back as ``?offset=`` (Lever).
    The last page has no ``next`` key. Key names are parameters."""

    def __init__(self, *, token_param: str = "offset", size_param: str = "limit", default_size: int = 100,
                 max_size: int = 100, data_key: str = "data", more_key: str | None = "hasNext",
                 next_key: str = "next", invalid_status: int = 400,
                 invalid_message: str = "Invalid offset token: {token}") -> None:  # fmt: skip
        self.token_param, self.size_param, self.default_size, self.max_size = (
            token_param,
            size_param,
            default_size,
            max_size,
        )
        self.data_key, self.more_key, self.next_key = data_key, more_key, next_key
        self.invalid_status, self.invalid_message = invalid_status, invalid_message

    def invalid(self, token: str) -> VendorError:
        return VendorError(self.invalid_status, self.invalid_message.format(token=token[:60]))

    def cursor(self, request: Request) -> Cursor:
        size = self._size(request)
        query = self._filters(request, self.token_param)
        token = request.query_params.get(self.token_param)
        if not token:
            return Cursor(query, size)
        try:
            data = decode_token(unquote(token))
            return Cursor(query, size, _key(data["k"]), int(data["i"]))
        except (ValueError, KeyError, TypeError):
            raise self.invalid(token) from None

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        body: dict[str, Any] = {self.data_key: records}
        if self.more_key:
            body[self.more_key] = following is not None
        if following is not None:
            body[self.next_key] = quote(encode_token({"k": list(following.after or ()), "i": following.index}), safe="")
        return Reply(body)


class PageNumber(Pager):
    """``?page=N&per_page=M`` (1-based); a bare list, or ``{data_key: [...]}`` plus ``total_key`` when set."""

    def __init__(self, *, page_param: str = "page", size_param: str = "per_page", default_size: int = 100,
                 max_size: int = 100, data_key: str | None = None) -> None:  # fmt: skip
        self.page_param, self.size_param, self.default_size, self.max_size = (
            page_param,
            size_param,
            default_size,
            max_size,
        )
        self.data_key = data_key

    def cursor(self, request: Request) -> Cursor:
        raw = request.query_params.get(self.page_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise VendorError(self.invalid_status, f"{self.page_param} must be a positive integer")
        size = self._size(request)
        return Cursor(self._filters(request, self.page_param), size, index=(int(raw) - 1) * size)

    def slice(
        self, cursor: Cursor, ordered: Sequence[tuple[Key, Any]], cap: int | None
    ) -> tuple[list[Any], Cursor | None]:
        """Page N starts after N-1 pages of the size actually served (a capped size included), so a cap
        shortens pages without skipping records between them."""
        served = min(cursor.size, cap or cursor.size)
        return super().slice(replace(cursor, index=cursor.index // cursor.size * served), ordered, cap)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        if self.data_key is None:
            return Reply(records)
        return Reply({self.data_key: records})


class Offset(Pager):
    """``?offset=N&limit=M``; ``{data_key: [...], "total": T}`` is left to the handler (it knows T)."""

    def __init__(self, *, offset_param: str = "offset", size_param: str = "limit", default_size: int = 100,
                 max_size: int = 100, data_key: str | None = None) -> None:  # fmt: skip
        self.offset_param, self.size_param, self.default_size, self.max_size = (
            offset_param,
            size_param,
            default_size,
            max_size,
        )
        self.data_key = data_key

    def cursor(self, request: Request) -> Cursor:
        raw = request.query_params.get(self.offset_param, "0")
        if not raw.isdigit():
            raise VendorError(self.invalid_status, f"{self.offset_param} must be a non-negative integer")
        return Cursor(self._filters(request, self.offset_param), self._size(request), index=int(raw))

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        return Reply(records if self.data_key is None else {self.data_key: records})


class HeaderPages(Pager):
    """Paging and filtering in request headers (TRAFFIT): ``X-Request-Current-Page`` (from 1) and
    ``X-Request-Page-Size``; a JSON filter header ``{"field": {"value": v, "comparison": "="}}`` read by
    :meth:`filters` and applied by :func:`header_match`; a bare list answered with ``X-Result-*`` totals.
    Query parameters are ignored for paging, as the vendor ignores them."""

    def __init__(self, *, page_header: str = "X-Request-Current-Page", size_header: str = "X-Request-Page-Size",
                 filter_header: str = "X-Request-Filter", result_prefix: str = "X-Result-", default_size: int = 20,
                 max_size: int = 100, invalid_status: int = 400) -> None:  # fmt: skip
        self.page_header, self.size_header, self.filter_header = page_header, size_header, filter_header
        self.result_prefix, self.default_size, self.max_size = result_prefix, default_size, max_size
        self.size_param, self.invalid_status = size_header, invalid_status

    def _size(self, request: Request) -> int:
        raw = request.headers.get(self.size_header, str(self.default_size)).strip()
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_size:
            message = f"{self.size_header} must be an integer between 1 and {self.max_size}"
            raise VendorError(self.invalid_status, message)
        return int(raw)

    def filters(self, request: Request) -> dict[str, tuple[str, Any]]:
        """``field -> (comparison, value)`` from the filter header (400 when it is not that JSON object)."""
        raw = request.headers.get(self.filter_header)
        if not raw:
            return {}
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise VendorError(self.invalid_status, f"{self.filter_header} is not valid JSON") from None
        if not isinstance(parsed, dict):
            raise VendorError(self.invalid_status, f"{self.filter_header} must be a JSON object")
        out: dict[str, tuple[str, Any]] = {}
        for name, spec in parsed.items():
            if not isinstance(spec, dict) or "value" not in spec:
                raise VendorError(self.invalid_status, f"{self.filter_header}: {name} needs a value")
            comparison = str(spec.get("comparison") or "=")
            if comparison not in COMPARISONS:
                raise VendorError(self.invalid_status, f"{self.filter_header}: unknown comparison {comparison}")
            out[str(name)] = (comparison, spec["value"])
        return out

    def cursor(self, request: Request) -> Cursor:
        raw = request.headers.get(self.page_header, "1").strip()
        if not raw.isdigit() or int(raw) < 1:
            raise VendorError(self.invalid_status, f"{self.page_header} must be a positive integer")
        size = self._size(request)
        return Cursor(dict(request.query_params), size, index=(int(raw) - 1) * size)

    def page(self, request: Request, records: Sequence[Any], cap: int | None = None) -> Reply:
        """The requested page of ``records`` (already filtered and ordered) with the ``X-Result-*`` headers."""
        cursor = self.cursor(request)
        size = min(cursor.size, cap or cursor.size)
        number = cursor.index // cursor.size + 1
        rows = list(records[(number - 1) * size : number * size])
        total_pages = max(1, -(-len(records) // size))
        p = self.result_prefix
        headers = {f"{p}Count": str(len(rows)), f"{p}Current-Page": str(number), f"{p}Page-Size": str(size),
                   f"{p}Total-Count": str(len(records)), f"{p}Total-Pages": str(total_pages)}  # fmt: skip
        return Reply(rows, headers)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        return Reply(records)


COMPARISONS = ("=", "!=", "<", "<=", ">", ">=", "in", "like")


def header_match(record: dict[str, Any], filters: dict[str, tuple[str, Any]]) -> bool:
    """Whether ``record`` passes every ``field -> (comparison, value)`` filter (integers as numbers, else as strings,
    so ``YYYY-MM-DD HH:MM:SS`` times compare in time order; ``in`` takes a list, ``like`` a ``%`` pattern)."""
    for name, (comparison, value) in filters.items():
        have = record.get(name)
        if comparison == "in":
            if str(have) not in {str(v) for v in (value if isinstance(value, list) else [value])}:
                return False
            continue
        if have is None:
            return False
        left, right = str(have), str(value)
        if comparison == "like":
            if right.strip("%").lower() not in left.lower():
                return False
            continue
        if left.isdigit() and right.isdigit():  # ids compare as numbers
            left, right = f"{int(left):030d}", f"{int(right):030d}"
        if not {"=": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                ">": left > right, ">=": left >= right}[comparison]:  # fmt: skip
            return False
    return True
