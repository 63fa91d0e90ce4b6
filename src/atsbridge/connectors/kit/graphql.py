"""GraphQL reads over the kit's HTTP client, written once for every GraphQL vendor (Carerix first).

A GraphQL listing is ``POST <endpoint>`` with ``{"query", "variables"}``; the page window and the filters are
variables, not query parameters. :class:`GraphQLPage` is the pager for the common "page object" style
(``pageable: {page, size}``, 0-based, answered as ``{data: {<field>: {totalElements, items}}}``): it moves
whatever the listing put in the query parameters (a declared ``kit.Since`` filter, fixed params) into the
variables, so incremental filters stay declared as data. :func:`page_query` writes the query text,
:func:`listed` the whole ``kit.Listed``, and :data:`ERRORS` reads GraphQL's ``errors`` sent with HTTP 200.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx
import orjson

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, dig
from atsbridge.connectors.kit.errors import ErrorShape
from atsbridge.connectors.kit.reads import Listed
from atsbridge.connectors.kit.since import Incremental

__all__ = ["ERRORS", "GraphQLPage", "execute", "items_path", "listed", "page_query", "request"]

#: GraphQL answers errors with HTTP 200 and an ``errors`` list; an expired token is said in words.
ERRORS = ErrorShape(
    body_error_path="errors",
    invalid_token=("unauthorized", "not authenticated", "invalid token"),
    rate_limited=("too many requests",),
)


def items_path(field: str) -> str:
    return f"data.{field}.items"


def page_query(field: str, selection: str, variables: Mapping[str, str] | None = None) -> str:
    """``query <Field>($pageable: Pageable, ...) { <field>(pageable: $pageable, ...) { totalElements items {...} } }``
    — ``variables``: name -> GraphQL type of every filter variable besides ``pageable``."""
    declared = {"pageable": "Pageable", **(variables or {})}
    head = ", ".join(f"${k}: {t}" for k, t in declared.items())
    args = ", ".join(f"{k}: ${k}" for k in declared)
    name = field[:1].upper() + field[1:]
    return f"query {name}({head}) {{ {field}({args}) {{ totalElements items {{ {selection} }} }} }}"


def request(query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"query": query, "variables": dict(variables or {})}


@dataclass(frozen=True)
class GraphQLPage:
    """``pageable: {page, size}`` (0-based) until a short page or ``totalElements``; query parameters become
    variables. A page without its ``items`` list (a cut-off or refused answer) fails the listing."""

    field: str
    page_size: int = 100
    page_var: str = "pageable"

    def _at(self, request: PageRequest, page: int) -> PageRequest:
        body = dict(request.json or {})
        variables = {**(body.get("variables") or {}), **(request.params or {})}
        variables[self.page_var] = {"page": page, "size": self.page_size}
        return replace(request, params=None, json={**body, "variables": variables})

    def first(self, request: PageRequest) -> PageRequest:
        return self._at(request, 0)

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        page = dig(body, f"data.{self.field}")
        items = page.get("items") if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise RemoteError(
                "REMOTE.UNKNOWN_HTTP_ERROR", f"the ATS answered {self.field} without its items", retryable=True
            )
        current = int(((request.json or {}).get("variables") or {}).get(self.page_var, {}).get("page", 0))
        total = page.get("totalElements") if isinstance(page, dict) else None
        if len(items) < self.page_size or (isinstance(total, int) and (current + 1) * self.page_size >= total):
            return None
        return self._at(request, current + 1)


def listed(
    path: str,
    field: str,
    selection: str,
    *,
    params: Mapping[str, Any] | None = None,
    since: Incremental | None = None,
    variables: Mapping[str, str] | None = None,
    page_size: int = 100,
) -> Listed:
    """A paged GraphQL listing as a ``kit.Listed``: ``params`` and the ``since`` filter travel as variables
    (declare their GraphQL types in ``variables``)."""
    query = page_query(field, selection, variables)
    return Listed(path, dict(params or {}), since=since, pager=GraphQLPage(field, page_size),
                  records_path=items_path(field), method="POST", body=request(query))  # fmt: skip


async def execute(
    client: HttpClient,
    path: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    errors: ErrorShape = ERRORS,
) -> dict[str, Any]:
    """One GraphQL operation (a lookup, a single record): its ``data``; ``errors`` raise as the ATS's error."""
    response = await client.request("POST", path, json=request(query, variables))
    try:
        body = orjson.loads(response.content)
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS sent a GraphQL answer that is not JSON",
                          retryable=True) from None  # fmt: skip
    errors.check(response, body)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS sent a GraphQL answer without data", retryable=True)
    return data
