"""JSON:API as Teamtailor speaks it: resources, relationship linkage, compound documents, ``links.next`` paging.

Teamtailor inlines relationship linkage (``relationships.<name>.data``) only for relationships named in
``include``; otherwise a relationship carries nothing but ``links``. So every listing asks for the relations
its mapper needs, and the source (``api.TeamtailorSource``) attaches the compound document's ``included``
resources to each primary resource under ``_included`` (``"type:id" -> resource``). Mappers then resolve
relations without I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
