"""OData v2 for fakes (SAP SuccessFactors first): the ``{"d": {"results", "__next"}}`` envelope with
``$skiptoken`` server-side paging, ``$filter`` (``eq ne gt ge lt le`` joined by ``and``/``or``, string, number,
boolean, ``null`` and ``datetime'...'`` literals), ``/Date(ms)/`` values, ``$expand`` (navigations not expanded
answer ``{"__deferred": {"uri"}}``), ``$select``, and the OData error body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import Cursor, Pager, Reply

Row = dict[str, Any]
Predicate = Callable[[Row], bool]
_DATE = re.compile(r"^/Date\((-?\d{1,16})(?:[+-]\d{4})?\)/$")
_TOKEN = re.compile(
    r"\s*(?:(?P<dt>datetime'[^']*')|(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?[LMDd]?)"
    r"|(?P<paren>[()])|(?P<word>[A-Za-z_][\w/.]*))"
)
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def date(ts: datetime, offset: bool = False) -> str:
    """``/Date(ms)/`` (or ``/Date(ms+0000)/``, as SuccessFactors writes ``lastModifiedDateTime``)."""
    return f"/Date({int(ts.timestamp() * 1000)}{'+0000' if offset else ''})/"


def parse_date(value: Any) -> datetime | None:
    match = _DATE.match(value) if isinstance(value, str) else None
    return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC) if match else None


def error_body(error: VendorError) -> Any:
    """``{"error": {"code", "message": {"lang", "value"}}}``."""
    codes = {400: "COE_BAD_REQUEST", 401: "COE_AUTHENTICATION_FAILED", 403: "COE_PERMISSION_DENIED",
             404: "COE_RESOURCE_NOT_FOUND", 429: "COE_TOO_MANY_REQUESTS"}  # fmt: skip
    code = error.code or codes.get(error.status, "COE_GENERAL")
    return {"error": {"code": code, "message": {"lang": "en-US", "value": error.message}}}


def _literal(kind: str, text: str) -> Any:
    if kind == "dt":
        try:
            return parse_ts(text[9:-1] if text[9:-1].endswith("Z") else text[9:-1] + "Z")
        except ValueError:
            raise VendorError(400, f"Invalid datetime literal {text}") from None
    if kind == "str":
        return text[1:-1].replace("''", "'")
    if kind == "num":
        return text.rstrip("LMDd")
    return {"true": True, "false": False, "null": None}.get(text, text)


def _value(row: Row, field: str, like: Any) -> Any:
    value = row.get(field)
    if isinstance(like, datetime):
        return parse_date(value)
    if isinstance(like, bool) or like is None:
        return value
    return None if value is None else str(value)


def parse_filter(text: str | None) -> Predicate:
    """A predicate for ``$filter`` (400 with OData's message shape when it cannot be read)."""
    if not text:
        return lambda row: True
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise VendorError(400, f"[COE0019] Invalid $filter near position {pos}: {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()

    def clause(i: int) -> tuple[Predicate, int]:
        if i < len(tokens) and tokens[i] == ("paren", "("):
            inner, j = expression(i + 1)
            if j >= len(tokens) or tokens[j] != ("paren", ")"):
                raise VendorError(400, "[COE0019] Invalid $filter: unbalanced parenthesis")
            return inner, j + 1
        if i + 2 >= len(tokens) or tokens[i][0] != "word" or tokens[i + 1][1] not in _OPS:
            raise VendorError(400, f"[COE0019] Invalid $filter: {text[:100]!r}")
        field, name, (kind, raw) = tokens[i][1], tokens[i + 1][1], tokens[i + 2]
        op = _OPS[name]
        expected = _literal(kind, raw)

        def test(row: Row) -> bool:
            actual = _value(row, field, expected)
            if actual is None or expected is None:
                return op(actual, expected) if name in ("eq", "ne") else False
            return bool(op(actual, expected))

        return test, i + 3

    def expression(i: int) -> tuple[Predicate, int]:
        left, i = clause(i)
        while i < len(tokens) and tokens[i][1] in ("and", "or"):
            word = tokens[i][1]
            right, i = clause(i + 1)
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right) if word == "and" else \
                (lambda a, b: lambda r: a(r) or b(r))(left, right)  # fmt: skip
        return left, i

    predicate, end = expression(0)
    if end != len(tokens):
        raise VendorError(400, f"[COE0019] Invalid $filter: unexpected {tokens[end][1]!r}")
    return predicate


def shape(row: Row, base: str, key: str, navigations: Mapping[str, Callable[[Row], Any]],
          expand: str | None, select: str | None) -> Row:  # fmt: skip
    """A row as answered: ``__metadata``, navigations expanded (``{"results"}`` for lists) or deferred,
    ``$select`` applied (keys and ``__metadata`` always kept)."""
    wanted = {e.strip() for e in (expand or "").split(",") if e.strip()}
    unknown = wanted - set(navigations)
    if unknown:
        raise VendorError(400, f"[COE0021] Invalid $expand: {sorted(unknown)[0]} is not a navigation property")
    out: Row = {"__metadata": {"uri": f"{base}({key})", "type": f"SFOData.{base.rsplit('/', 1)[-1]}"}}
    out.update({k: v for k, v in row.items() if not k.startswith("_")})
    for name, build in navigations.items():
        if name in wanted:
            value = build(row)
            out[name] = {"results": value} if isinstance(value, list) else value
        else:
            out[name] = {"__deferred": {"uri": f"{base}({key})/{name}"}}
    if select:
        keep = {s.strip() for s in select.split(",")} | wanted | {"__metadata"}
        out = {k: v for k, v in out.items() if k in keep}
    return out


def envelope(rows: Iterable[Row], next_url: str | None = None) -> Row:
    d: Row = {"results": list(rows)}
    if next_url:
        d["__next"] = next_url
    return {"d": d}


class ODataPager(Pager):
    """Server-side paging: ``customPageSize`` (or ``$top``: client-side, no ``__next``) and an opaque
    ``$skiptoken`` in the ``d.__next`` URL, which repeats every other parameter."""

    size_param = "customPageSize"
    default_size = 1000
    max_size = 1000

    def invalid(self, token: str) -> VendorError:
        return VendorError(400, f"[COE0019] Invalid $skiptoken {token[:40]!r}")

    def cursor(self, request: Request) -> Cursor:
        q = request.query_params
        token = q.get("$skiptoken")
        index = 0
        if token is not None:
            if not token.startswith("sk") or not token[2:].isdigit():
                raise self.invalid(token)
            index = int(token[2:])
        if "$top" in q and token is None:
            top = q["$top"]
            if not top.isdigit() or not 0 < int(top) <= self.max_size:
                raise VendorError(400, f"$top must be between 1 and {self.max_size}")
            skip = q.get("$skip", "0")
            return Cursor(self._filters(request, "$top", "$skip"), int(top), index=int(skip) if skip.isdigit() else 0)
        return Cursor(self._filters(request, "$skiptoken"), self._size(request), index=index)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        client_side = "$top" in request.query_params
        url = None
        if following is not None and not client_side:
            url = str(request.url.include_query_params(**{"$skiptoken": f"sk{following.index}"}))
        return Reply(envelope(records, url))
