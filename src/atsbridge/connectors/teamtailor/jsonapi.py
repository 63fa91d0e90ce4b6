"""JSON:API as Teamtailor speaks it: resources, relationship linkage, compound documents, ``links.next`` paging.

Teamtailor inlines relationship linkage (``relationships.<name>.data``) only for relationships named in
``include``; otherwise a relationship carries nothing but ``links``. So every listing asks for the relations
its mapper needs, and the fetch attaches the compound document's ``included`` resources to each primary
resource under ``_included`` (``"type:id" -> resource``). Mappers then resolve relations without I/O.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageLog, PageRequest
from atsbridge.connectors.http.source import HttpSource

Resource = dict[str, Any]
Index = dict[str, Resource]

#: ``page[size]`` is capped at 30 by Teamtailor (default 10): always ask for the maximum.
PAGE_SIZE = 30
#: Writes must be sent as JSON:API documents.
MEDIA_TYPE = "application/vnd.api+json"


def key(type_: str, id_: object) -> str:
    return f"{type_}:{id_}"


def index(included: object) -> Index:
    """``included`` of a compound document, by ``type:id``."""
    if not isinstance(included, list):
        return {}
    return {key(r["type"], r["id"]): r for r in included if isinstance(r, dict) and "type" in r and "id" in r}


def linkage(resource: Mapping[str, Any], name: str) -> Any:
    """The ``data`` of relationship ``name``: a ``{type, id}``, a list of them, or None (not included)."""
    rel = (resource.get("relationships") or {}).get(name)
    return rel.get("data") if isinstance(rel, dict) else None


def rel_id(resource: Mapping[str, Any], name: str) -> str | None:
    data = linkage(resource, name)
    return str(data["id"]) if isinstance(data, dict) and data.get("id") is not None else None


def rel_ids(resource: Mapping[str, Any], name: str) -> list[str]:
    data = linkage(resource, name)
    if isinstance(data, dict):
        data = [data]
    return [str(d["id"]) for d in data or [] if isinstance(d, dict) and d.get("id") is not None]


def related(resource: Mapping[str, Any], name: str) -> Resource | None:
    """The included resource a to-one relationship names (None when absent or not included)."""
    data = linkage(resource, name)
    if not isinstance(data, dict):
        return None
    found: Resource | None = (resource.get("_included") or {}).get(key(data.get("type", ""), data.get("id")))
    return found


def related_many(resource: Mapping[str, Any], name: str) -> list[Resource]:
    data = linkage(resource, name)
    if isinstance(data, dict):
        data = [data]
    table = resource.get("_included") or {}
    found = (table.get(key(d.get("type", ""), d.get("id"))) for d in data or [] if isinstance(d, dict))
    return [r for r in found if r is not None]


def with_included(resource: Resource, table: Index) -> Resource:
    """The resource with the document's included resources attached (included ones see the table too)."""
    return {**resource, "_included": table}


def attributes(resource: Mapping[str, Any]) -> dict[str, Any]:
    attrs = resource.get("attributes")
    return attrs if isinstance(attrs, dict) else {}


def primary(document: Mapping[str, Any]) -> list[Resource]:
    """A document's primary resources. The notes listing wraps each one: ``{"notes": [{"data": {...}}]}``
    (as Teamtailor documents it), every other listing is plain ``{"data": [...]}``."""
    data = document.get("data")
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    if isinstance(data, dict):
        return [data]
    wrapped = document.get("notes")
    if isinstance(wrapped, list):
        return [w["data"] for w in wrapped if isinstance(w, dict) and isinstance(w.get("data"), dict)]
    return []


def body(response: httpx.Response, what: str) -> dict[str, Any]:
    """The parsed document; a cut-off body raises (retryable) instead of reading as an empty page."""
    try:
        parsed = response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: the ATS sent a body that is not complete JSON", retryable=True
        ) from None
    if not isinstance(parsed, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: expected a JSON:API document")
    return parsed


async def documents(
    source: HttpSource, what: str, path: str, params: Mapping[str, Any] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Every page of a listing: ``page[size]=30`` first, then ``links.next`` (which keeps the filters and
    includes) until it is absent. A repeated ``next`` link stops the listing loudly."""
    log = PageLog()
    request: PageRequest | None = PageRequest("GET", path, {**(params or {}), "page[size]": PAGE_SIZE})
    while request is not None:
        log.check(what, request)
        response = await source.client.request("GET", request.url, params=request.params)
        document = body(response, what)
        yield document
        nxt = (document.get("links") or {}).get("next")
        request = PageRequest("GET", str(nxt), None) if nxt else None


async def resources(
    source: HttpSource, what: str, path: str, params: Mapping[str, Any] | None = None
) -> AsyncIterator[list[Resource]]:
    """Pages of primary resources, each with its page's included resources attached."""
    async for document in documents(source, what, path, params):
        table = index(document.get("included"))
        yield [with_included(r, table) for r in primary(document)]


async def fetch_one(source: HttpSource, path: str, params: Mapping[str, Any] | None = None) -> Resource | None:
    """One resource (with its included ones attached), or None when Teamtailor answers 404."""
    try:
        response = await source.client.request("GET", path, params=params)
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    document = body(response, path)
    found = primary(document)
    return with_included(found[0], index(document.get("included"))) if found else None


async def send(source: HttpSource, method: str, path: str, document: Mapping[str, Any]) -> Resource:
    """A write; returns ``data``. A POST is never blindly retried (one that timed out may have been committed);
    a PATCH sets values, so repeating it is harmless."""
    response = await source.client.request(
        method, path, json=document, headers={"Content-Type": MEDIA_TYPE}, retry=method != "POST"
    )
    found = primary(body(response, f"{method} {path}"))
    if not found:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{method} {path}: the ATS answered without a resource")
    return found[0]
