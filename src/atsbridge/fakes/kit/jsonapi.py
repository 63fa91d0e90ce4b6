"""JSON:API on the fake side (Pinpoint, Umantis): error objects, ``page[number]``/``page[size]`` pages with their
``links``, and the ``data`` of a write's request document."""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call

Raw = dict[str, Any]


def error_body(error: VendorError, title: str) -> Raw:
    """``{"errors": [{status, title, detail, source.pointer}]}`` for ``error``."""
    item: Raw = {"status": str(error.status), "title": title, "detail": error.message}
    if error.field:
        item["source"] = {"pointer": error.field}
    return {"errors": [item]}


def number(call: Call[Any], param: str, default: int, top: int, *, pointer: bool = False) -> int:
    """A query parameter from 1 to ``top`` (400 otherwise, naming the parameter as the pointer if asked)."""
    raw = call.query.get(param, str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise VendorError(400, f"{param} must be an integer between 1 and {top}", field=param if pointer else None)
    return int(raw)


def page(call: Call[Any], ids: list[str], *, pointer: bool = False) -> tuple[list[str], Raw]:
    """The ids of the requested page (``page[size]`` up to 100, 20 by default) and its ``links``."""
    size = min(number(call, "page[size]", 20, 100, pointer=pointer), call.fake.page_cap or 100)
    at = number(call, "page[number]", 1, 1_000_000, pointer=pointer)
    last = max(1, -(-len(ids) // size))

    def link(n: int) -> str:
        return str(call.request.url.include_query_params(**{"page[number]": n, "page[size]": size}))

    links = {"self": link(at), "first": link(1), "last": link(last)}
    if at < last:
        links["next"] = link(at + 1)
    if at > 1:
        links["prev"] = link(at - 1)
    return ids[(at - 1) * size : at * size], links


def data_of(call: Call[Any], kind: str) -> Raw:
    """The request document's ``data`` object, which must be of type ``kind`` (422 otherwise)."""
    data = call.json_object().get("data")
    if not isinstance(data, dict) or data.get("type") != kind:
        raise VendorError(422, f"data.type must be {kind}", field="/data/type")
    return data


def related(data: Raw, name: str) -> str | None:
    """The id a to-one relationship of a request's ``data`` links to (None when absent or empty)."""
    rel = (data.get("relationships") or {}).get(name)
    linkage = rel.get("data") if isinstance(rel, dict) else None
    return str(linkage["id"]) if isinstance(linkage, dict) and linkage.get("id") is not None else None
