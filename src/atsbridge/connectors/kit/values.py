"""Small value readers that many vendors' mappers need: a vendor payload is loosely typed JSON.

Each reader says exactly what it accepts, because vendors differ in the details (is ``0`` a number or a missing
value? is ``True`` text?): a mapper whose vendor needs another rule keeps its own reader and says why.
Pure functions, no network: a mapper may import this module directly.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any


def text(value: object) -> str | None:
    """A string with its outer blanks trimmed; None for a blank string or anything that is not a string."""
    return value.strip() or None if isinstance(value, str) else None


def any_text(value: object) -> str | None:
    """Any value written as trimmed text (a number becomes its digits); None for None or blank text."""
    return str(value).strip() or None if value is not None else None


def scalar_text(value: object) -> str | None:
    """Like :func:`any_text`, but an object or list is not text: None rather than its Python ``repr``."""
    return any_text(value) if not isinstance(value, dict | list) else None


def obj(value: object) -> Mapping[str, Any]:
    """A JSON object, or an empty one when the vendor sent null, a scalar or a list: chained ``.get`` stays safe."""
    return value if isinstance(value, Mapping) else {}


def dict_obj(value: object) -> dict[str, Any]:
    """:func:`obj` for callers that need a ``dict`` (to copy or to pass on as a request body)."""
    return value if isinstance(value, dict) else {}


def dicts(value: object) -> list[dict[str, Any]]:
    """The objects of a JSON list (anything else in it is dropped); an empty list when it is not a list."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def number(value: object) -> float | None:
    """A number given as a JSON number or as numeric text; None for null, booleans and anything not numeric."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]  # any other type is the TypeError caught below
    except (TypeError, ValueError):
        return None


def json_number(value: object) -> float | None:
    """A JSON number only (numeric text stays None: the vendor's schema types the field as a number)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def split_name(name: object) -> tuple[str | None, str | None]:
    """A full name split at its first blank: (first, rest). Vendors that only give one name field need this."""
    parts = (name if isinstance(name, str) else "").strip().split(None, 1)
    if not parts:
        return None, None
    return parts[0], parts[1] if len(parts) > 1 else None


def numeric_id(value: str) -> int | str:
    """An id as the vendor's JSON wants it: a number when it is all digits, else the string unchanged."""
    return int(value) if value.isdigit() else value


def guess_content_type(name: str | None) -> str:
    """The media type a file name's extension suggests; ``application/octet-stream`` when it suggests none."""
    return mimetypes.guess_type(name or "")[0] or "application/octet-stream"
