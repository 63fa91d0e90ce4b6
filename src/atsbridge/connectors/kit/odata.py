"""OData v2, once for every vendor that speaks it (SAP SuccessFactors first): the ``{"d": {"results": [...]}}``
envelope, ``d.__next`` server-side paging, ``$filter`` with ``datetime'...'`` literals for "changed since",
``/Date(ms)/`` and ``/Date(ms+0000)/`` values, OData error bodies and ``upsert``'s per-row results.

OData v2 JSON (``$format=json``): a list answer is ``{"d": {"results": [rows], "__next"?: url}}``, a single
entity ``{"d": {row}}``; each row carries ``__metadata {uri, type}``; a navigation that was not expanded is
``{"__deferred": {"uri"}}``, an expanded to-many one ``{"results": [...]}``; errors are
``{"error": {"code", "message": {"lang", "value"}}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.kit.errors import ErrorShape
from atsbridge.connectors.kit.since import Since

#: Where a list answer's rows are.
RESULTS = "d.results"
_DATE = re.compile(r"^/Date\((-?\d{1,16})(?:([+-])(\d{4}))?\)/$")


def literal(ts: datetime) -> str:
    """A ``$filter`` datetime literal, UTC with milliseconds: ``datetime'2019-09-07T17:04:37.000Z'`` (the form
    seen in recorded SuccessFactors traffic)."""
    ts = ts.astimezone(UTC)
    return "datetime'" + ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z'"


def since(field: str = "lastModifiedDateTime", op: str = "gt", *, order: bool = False) -> Since:
    """``$filter=<field> gt datetime'...'``; ``order`` adds ``$orderby=<field> asc`` (a stable order for cursor
    paging; snapshot paging keeps its own, and whether it accepts ``$orderby`` is not documented to us)."""
    extra = {"$orderby": f"{field} asc"} if order else None
    return Since("$filter", lambda ts: f"{field} {op} {literal(ts)}", extra=extra)


def quote(value: str) -> str:
    """A string literal for ``$filter`` (``'`` doubled, as OData v2 escapes it)."""
    return "'" + value.replace("'", "''") + "'"


def parse_date(value: Any) -> datetime | None:
    """``/Date(ms)/`` or ``/Date(ms+0000)/`` (the offset is minutes east of UTC; the instant is the ms) ->
    an aware datetime; anything else -> None."""
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def date_iso(value: Any) -> Any:
    """A ``/Date(...)/`` value as an ISO string (other values unchanged), for mappers' ``ctx.dt``."""
    parsed = parse_date(value)
    return parsed.isoformat().replace("+00:00", "Z") if parsed is not None else value


def date_value(ts: datetime) -> str:
    """A datetime as OData v2 JSON writes it: ``/Date(ms)/``."""
    return f"/Date({int(ts.timestamp() * 1000)})/"


def results(value: Any) -> list[dict[str, Any]]:
    """An expanded to-many navigation (``{"results": [...]}``, or a bare list), a deferred one (``[]``)."""
    rows = value.get("results") if isinstance(value, dict) else value
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def entity(body: Any) -> dict[str, Any] | None:
    """The row of a single-entity answer ``{"d": {...}}``."""
    row = dig(body, "d")
    return row if isinstance(row, dict) and "results" not in row else None


def params(*, expand: Iterable[str] = (), select: Iterable[str] = (), filter: str | None = None) -> dict[str, str]:
    """``$expand``/``$select``/``$filter`` query parameters (empty ones left out)."""
    out = {"$expand": ",".join(expand), "$select": ",".join(select), "$filter": filter or ""}
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class ODataNext:
    """Server-side paging: ``$format=json`` and the page size on the first request, then the full
    ``d.__next`` URL (it carries the ``$skiptoken`` and every filter) until an answer has none."""

    page_size: int = 500
    size_param: str = "customPageSize"
    #: ``paging=snapshot`` for non-MDF entities (SuccessFactors KBA 2489065); None leaves the server's default.
    mode: str | None = "snapshot"

    def first(self, request: PageRequest) -> PageRequest:
        extra = {"$format": "json", self.size_param: self.page_size}
        if self.mode:
            extra["paging"] = self.mode
        return replace(request, params={**(request.params or {}), **extra})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        url = dig(body, "d.__next")
        return PageRequest(request.method, str(url), None) if isinstance(url, str) and url else None


def error_message(text: str) -> str:
    """``code: message`` of an OData error body; the text itself when it is not one."""
    try:
        body = orjson.loads(text)
    except ValueError:
        return text
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return text
    message = error.get("message")
    message = message.get("value") if isinstance(message, dict) else message
    return f"{error.get('code') or 'error'}: {message or ''}".strip()


@dataclass(frozen=True)
class ODataErrors(ErrorShape):
    """The vendor's message out of an OData error body, so refusals reach the caller in the vendor's words."""

    def text(self, response: httpx.Response) -> str:
        return error_message(super().text(response))


def upsert_rows(body: Any) -> list[dict[str, Any]]:
    """``POST /upsert`` answers HTTP 200 with one result per row (``{"d": [{"key", "status", "message",
    "httpCode"}]}``): a row with ``status`` ``ERROR`` raises the vendor's message (its ``httpCode`` decides
    the code); the rows otherwise."""
    rows = dig(body, "d")
    rows = rows.get("results") if isinstance(rows, dict) else rows
    out = [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
    for row in out:
        if str(row.get("status") or "").upper() == "ERROR":
            code = int(row.get("httpCode") or 400)
            kind = "INTEGRATION.PERMISSION_MISSING" if code == 403 else "REMOTE.INPUT_INVALID"
            raise RemoteError(kind, f"the ATS refused the change: {row.get('message') or 'no message'}", status=code)
    return [dict(r) for r in out]
