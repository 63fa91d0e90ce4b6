"""Query-string parsing for list endpoints, with errors that name the offending parameter.

The SDK sends lists comma-joined (``ids=a%2Cb``), booleans as ``true``/``false`` and datetimes in several
ISO forms; all are accepted. Anything unknown or malformed is refused with PLATFORM.INPUT_INVALID.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.datastructures import QueryParams

from atsbridge.core.errors import input_invalid
from atsbridge.core.timeutil import parse_ts
from atsbridge.model.registry import Filter, ModelSpec

COMMON = ("cursor", "page_size", "updated_after", "include_deleted", "ignore_unsupported_filters", "ids", "remote_ids")
MAX_PAGE_SIZE = 250
MAX_LIST_VALUES = 1000


@dataclass
class ListParams:
    cursor: str | None = None
    page_size: int = 100
    updated_after: datetime | None = None
    include_deleted: bool = False
    ignore_unsupported_filters: bool = False
    ids: list[str] | None = None
    remote_ids: list[str] | None = None
    filters: dict[str, Any] = field(default_factory=dict)


def _one(params: QueryParams, name: str) -> str | None:
    values = params.getlist(name)
    if not values:
        return None
    if len(values) > 1 and len(set(values)) > 1:
        raise input_invalid(f"{name}: given {len(values)} times with different values; send it once")
    return values[0]


def _list(params: QueryParams, name: str) -> list[str] | None:
    raw = params.getlist(name)
    if not raw:
        return None
    items = [item.strip() for value in raw for item in value.split(",") if item.strip()]
    if len(items) > MAX_LIST_VALUES:
        raise input_invalid(f"{name}: at most {MAX_LIST_VALUES} values are allowed, got {len(items)}")
    return items


def _bool(params: QueryParams, name: str) -> bool:
    value = _one(params, name)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise input_invalid(f"{name}: expected true or false, got {value!r}")


def _datetime(params: QueryParams, name: str) -> datetime | None:
    value = _one(params, name)
    if value is None or value == "":
        return None
    try:
        return parse_ts(value)
    except ValueError as exc:
        raise input_invalid(f"{name}: {value!r} is not a valid date-time ({exc})") from None


def _filter_value(params: QueryParams, flt: Filter) -> Any:
    if flt.kind in ("list", "enum_list"):
        values = _list(params, flt.param)
        if values is None:
            return None
        if flt.kind == "enum_list":
            bad = [v for v in values if v not in flt.values]
            if bad:
                raise input_invalid(
                    f"{flt.param}: unknown value(s) {', '.join(repr(b) for b in bad)}; allowed: {', '.join(flt.values)}"
                )
        return values
    if flt.kind == "datetime_day":
        return _datetime(params, flt.param)
    value = _one(params, flt.param)
    return value if value not in (None, "") else None


def parse_list_params(spec: ModelSpec, params: QueryParams) -> ListParams:
    allowed = set(COMMON) | {f.param for f in spec.filters}
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise input_invalid(
            f"{unknown[0]}: unknown query parameter for GET /ats/{spec.path}; allowed: {', '.join(sorted(allowed))}"
        )
    out = ListParams()
    out.cursor = _one(params, "cursor") or None
    size = _one(params, "page_size")
    if size is not None:
        try:
            out.page_size = int(size)
        except ValueError:
            raise input_invalid(f"page_size: expected an integer from 1 to {MAX_PAGE_SIZE}, got {size!r}") from None
        if not 1 <= out.page_size <= MAX_PAGE_SIZE:
            raise input_invalid(f"page_size: must be between 1 and {MAX_PAGE_SIZE}, got {out.page_size}")
    out.updated_after = _datetime(params, "updated_after")
    out.include_deleted = _bool(params, "include_deleted")
    out.ignore_unsupported_filters = _bool(params, "ignore_unsupported_filters")
    out.ids = _list(params, "ids")
    out.remote_ids = _list(params, "remote_ids")
    for flt in spec.filters:
        value = _filter_value(params, flt)
        if value is not None:
            out.filters[flt.param] = value
    return out


def openapi_parameters(spec: ModelSpec) -> list[dict[str, Any]]:
    """OpenAPI descriptions of the list parameters (parsing is done by hand for precise errors)."""
    array = {"type": "array", "items": {"type": "string"}}
    common: list[dict[str, Any]] = [
        {"name": "cursor", "schema": {"type": "string"}, "description": "Cursor from the previous page's `next`."},
        {"name": "page_size", "schema": {"type": "integer", "minimum": 1, "maximum": 250, "default": 100}},
        {"name": "updated_after", "schema": {"type": "string", "format": "date-time"}},
        {"name": "include_deleted", "schema": {"type": "boolean", "default": False}},
        {"name": "ignore_unsupported_filters", "schema": {"type": "boolean", "default": False}},
        {"name": "ids", "schema": array, "style": "form", "explode": False},
        {"name": "remote_ids", "schema": array, "style": "form", "explode": False},
    ]
    for flt in spec.filters:
        if flt.kind in ("list", "enum_list"):
            schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
            if flt.values:
                schema["items"]["enum"] = list(flt.values)
            common.append({"name": flt.param, "schema": schema, "style": "form", "explode": False})
        elif flt.kind == "datetime_day":
            common.append({"name": flt.param, "schema": {"type": "string", "format": "date-time"}})
        else:
            common.append({"name": flt.param, "schema": {"type": "string"}})
    for p in common:
        p["in"] = "query"
        p["required"] = False
    return common
