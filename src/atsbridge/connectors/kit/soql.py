"""Salesforce REST + SOQL, once for every vendor built on Salesforce objects (Connexys first; Bullhorn for
Salesforce, Sage People and other managed packages read the same way).

* A listing is ``GET /query?q=SELECT ... FROM <object> WHERE ... ORDER BY ...`` (``/queryAll`` also returns
  deleted rows from the recycle bin, ``IsDeleted = true``). :func:`query` builds the statement,
  :func:`listed` the ``kit.Listed`` with its "changed since" clause (``SystemModstamp >= <literal>``: SOQL date
  literals are unquoted UTC ``2024-05-01T12:00:00Z``; ``>=`` because the literal has second precision).
* Paging (:class:`NextRecords`): an answer is ``{"totalSize", "done", "records", "nextRecordsUrl"?}``; the
  next page is the ``nextRecordsUrl`` **path from the host root** (``/services/data/v60.0/query/01g...-2000``),
  not relative to the API base, so it is resolved against the answered URL. ``Sforce-Query-Options:
  batchSize=N`` asks for pages of N (200..2000; a hint the server may lower).
* Errors (:class:`SoqlErrors`): a JSON **list** ``[{"message", "errorCode", "fields"?}]``. ``INVALID_SESSION_ID``
  means the credentials (401); ``REQUEST_LIMIT_EXCEEDED`` is the org's API limit, sent with **403** (the daily
  or the concurrent-request limit), retried like a 429.
* Deletions (:func:`deleted`): ``queryAll`` for ``IsDeleted = true`` rows changed since (ids only). The recycle
  bin keeps rows 15 days [3p, Salesforce-general]: a longer gap is covered by the full sync's deletion detection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.kit.deletions import DeletionFeed
from atsbridge.connectors.kit.errors import ErrorShape
from atsbridge.connectors.kit.reads import Listed
from atsbridge.connectors.kit.since import Since

#: Where a query answer's rows are.
RECORDS = "records"
#: The field every Salesforce object changes on any write (also system ones), indexed for filters.
MODSTAMP = "SystemModstamp"


def literal(ts: datetime) -> str:
    """A SOQL dateTime literal (unquoted, UTC, seconds): ``2024-05-01T12:00:00Z``."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quote(value: str) -> str:
    """A SOQL string literal: backslash and single quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def query(obj: str, fields: Iterable[str], where: Iterable[str] = (), order: str | None = "Id") -> str:
    """``SELECT <fields> FROM <obj> [WHERE a AND b] [ORDER BY <order>]``."""
    text = f"SELECT {', '.join(fields)} FROM {obj}"
    clauses = [w for w in where if w]
    if clauses:
        text += " WHERE " + " AND ".join(clauses)
    return text + (f" ORDER BY {order}" if order else "")


def changed(obj: str, fields: Iterable[str], where: Iterable[str] = (), field: str = MODSTAMP,
            param: str = "q") -> Since:  # fmt: skip
    """The whole statement again, with ``<field> >= <since>`` added, on a delta run."""
    fields, where = tuple(fields), tuple(where)
    return Since(param, lambda ts: query(obj, fields, (*where, f"{field} >= {literal(ts)}")))


def listed(obj: str, fields: Iterable[str], where: Iterable[str] = (), *, incremental: bool = True,
           path: str = "/query") -> Listed:  # fmt: skip
    """A ``kit.Listed`` of one object (ordered by Id), filtered on ``SystemModstamp`` in a delta run."""
    fields, where = tuple(fields), tuple(where)
    since = changed(obj, fields, where) if incremental else None
    return Listed(path, {"q": query(obj, fields, where)}, since=since)


def record_id(item: object) -> str | None:
    """A row's ``Id`` (18 characters)."""
    value = item.get("Id") if isinstance(item, dict) else None
    return str(value) if value else None


def deleted(obj: str, model: str, *, path: str = "/queryAll") -> DeletionFeed:
    """Rows of ``obj`` in the recycle bin (changed since, on a delta run) as deletions of ``model``."""
    where = ("IsDeleted = true",)
    return DeletionFeed(path, model, since=changed(obj, ("Id",), where), params={"q": query(obj, ("Id",), where)},
                        id_of=record_id)  # fmt: skip


def related(row: Mapping[str, Any], relationship: str, field: str = "Name") -> Any:
    """``row["X__r"]["Name"]`` (a relationship field a query selected as ``X__r.Name``), or None."""
    value = row.get(relationship)
    return value.get(field) if isinstance(value, dict) else None


@dataclass(frozen=True)
class NextRecords:
    """``done``/``nextRecordsUrl`` paging: the server keeps the cursor, this pager follows it. The page size is
    the ``Sforce-Query-Options`` header (:func:`batch_size`, declared in ``VendorApi.headers``)."""

    def first(self, request: PageRequest) -> PageRequest:
        return request

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        if not isinstance(body, dict) or body.get("done") is not False:
            return None
        url = body.get("nextRecordsUrl")
        if not isinstance(url, str) or not url.startswith("/"):
            return None
        return replace(request, url=str(response.request.url.join(url)), params=None)


def batch_size(size: int = 2000) -> tuple[str, str]:
    """The ``Sforce-Query-Options`` header asking for pages of ``size`` rows."""
    return ("Sforce-Query-Options", f"batchSize={max(200, min(size, 2000))}")


def error_message(text: str) -> str:
    """``errorCode: message`` of each entry of a Salesforce error list; the text itself otherwise."""
    try:
        body = orjson.loads(text)
    except ValueError:
        return text
    items = body if isinstance(body, list) else [body]
    found = [f"{i.get('errorCode') or 'ERROR'}: {i.get('message') or ''}".strip() for i in items
             if isinstance(i, dict) and ("errorCode" in i or "message" in i)]  # fmt: skip
    return "; ".join(found) or text


@dataclass(frozen=True)
class SoqlErrors(ErrorShape):
    """Salesforce error lists, in the vendor's words; a dead session is a 401, the API limit a 429."""

    invalid_token: tuple[str, ...] = ("INVALID_SESSION_ID",)
    rate_limited: tuple[str, ...] = ("REQUEST_LIMIT_EXCEEDED",)

    def text(self, response: httpx.Response) -> str:
        return error_message(super().text(response))


def sobject(path_type: str, rid: str | None = None) -> str:
    """``/sobjects/<type>[/<id>]`` (sObject CRUD)."""
    return f"/sobjects/{path_type}" + (f"/{rid}" if rid else "")
