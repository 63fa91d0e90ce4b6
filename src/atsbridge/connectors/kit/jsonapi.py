"""JSON:API vendors (``{"data": [...], "included": [...]}``): rows with their relationships resolved.

A records path keeps ``data`` and drops ``included``, where JSON:API puts the related resources a request
asked for with ``include=``. :class:`JsonApiSource` lists like :class:`KitSource` and gives each primary row
``_linked``: relationship name -> the related resource from ``included`` (or the bare ``{"type", "id"}``
identifier when it was not included; a list for to-many; None when the relationship carries no linkage).
Mappers then read ``linked(row, "job")`` / ``linked_id(row, "job")`` without any lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.api import VendorApi
from atsbridge.connectors.kit.deletions import DeletionFeed
from atsbridge.connectors.kit.source import KitSource, Pages
from atsbridge.connectors.kit.streams import KitStream, resolve

Raw = dict[str, Any]
LINKED = "_linked"


def _ref(resource: object) -> tuple[str, str] | None:
    if not isinstance(resource, Mapping) or resource.get("id") is None:
        return None
    return str(resource.get("type")), str(resource["id"])


def rows(document: object) -> list[Raw]:
    """The primary resources of a document (``data`` as a list or a single object), relationships resolved
    from its ``included``. Anything that is not a JSON:API document is an error, never an empty page."""
    if not isinstance(document, Mapping) or "data" not in document:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS answered something that is not a JSON:API document")
    data = document.get("data")
    primary = data if isinstance(data, list) else [data] if isinstance(data, Mapping) else []
    table: dict[tuple[str, str], Raw] = {}
    for resource in document.get("included") or []:
        ref = _ref(resource)
        if ref is not None:
            table[ref] = dict(resource)
    out = []
    for row in primary:
        if not isinstance(row, Mapping):
            continue
        found: dict[str, Any] = {}
        for name, rel in (row.get("relationships") or {}).items():
            linkage = rel.get("data") if isinstance(rel, Mapping) else None
            if isinstance(linkage, list):
                found[name] = [table.get(ref, dict(item)) for item in linkage if (ref := _ref(item)) is not None]
            else:
                ref = _ref(linkage)
                found[name] = (
                    table.get(ref, dict(linkage)) if ref is not None and isinstance(linkage, Mapping) else None
                )
        out.append({**row, LINKED: found})
    return out


def linked(row: Mapping[str, Any], name: str) -> Any:
    """The related resource(s) of ``row`` under relationship ``name`` (see :func:`rows`)."""
    table = row.get(LINKED)
    return table.get(name) if isinstance(table, Mapping) else None


def linked_id(row: Mapping[str, Any], name: str) -> str | None:
    found = linked(row, name)
    return str(found["id"]) if isinstance(found, Mapping) and found.get("id") is not None else None


def attrs(resource: object) -> Mapping[str, Any]:
    """A resource's ``attributes`` (an empty mapping for anything else)."""
    value = resource.get("attributes") if isinstance(resource, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def document(
    kind: str,
    attributes: Mapping[str, Any],
    relationships: Mapping[str, tuple[str, str]] | None = None,
    rid: str | None = None,
) -> Raw:
    """A request document: ``{"data": {"type", "id"?, "attributes", "relationships"?}}``; ``relationships``:
    name -> (type, id)."""
    data: Raw = {"type": kind, "attributes": dict(attributes)}
    if rid is not None:
        data = {"id": rid, **data}
    if relationships:
        data["relationships"] = {n: {"data": {"type": t, "id": i}} for n, (t, i) in relationships.items()}
    return {"data": data}


class JsonApiSource(KitSource):
    """A :class:`KitSource` whose listings yield JSON:API rows with ``_linked`` (the API's ``records_path``
    is ignored: the rows are rebuilt from each page's whole document)."""

    async def listing(self, name: str, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Pages:
        pages: list[Any] = []
        outer: Callable[[Any], None] | None = kw.pop("on_body", None)

        def keep(body: Any) -> None:
            pages.append(body)
            if outer is not None:
                outer(body)

        kw["records_path"] = "data"
        async for _ in super().listing(name, path, params, on_body=keep, **kw):
            yield rows(pages.pop() if pages else None)

    async def document(self, path: str, params: Mapping[str, Any] | None = None) -> Raw | None:
        """One resource with its relationships resolved, or None when the vendor answers 404."""
        try:
            body = await self.get_json(path, params)
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise
        found = rows(body)
        return found[0] if found else None


def jsonapi_opener(
    api: VendorApi,
    streams: Sequence[KitStream],
    deletions: Sequence[DeletionFeed] = (),
    source: type[JsonApiSource] = JsonApiSource,
) -> Callable[[IntegrationInfo], JsonApiSource]:
    """``Connector.open`` for a JSON:API vendor: ``dataclasses.replace(kit.declare(...), open=jsonapi_opener(...))``."""
    ordered = resolve(streams)

    def open_source(info: IntegrationInfo) -> JsonApiSource:
        return source(api, api.client(info), info.config, streams=ordered, deletion_feeds=deletions,
                      sync_tokens=info.stream_state, info=info)  # fmt: skip

    return open_source
