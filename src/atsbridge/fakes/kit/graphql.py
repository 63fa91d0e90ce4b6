"""The fake side of GraphQL reads: which root field a request asks for, its variables, the ``pageable`` page
object (``{totalElements, items}``) and GraphQL's error body.

No GraphQL parser: a fake answers the root field's records in full (the selection set is not applied), which
is what a connector's own queries ask for anyway; the root field is the first name after the operation's
opening brace. Errors the vendor sends as GraphQL errors go out with HTTP 200 (:func:`error_body`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from atsbridge.fakes.kit.errors import VendorError

__all__ = ["Operation", "error_body", "operation", "page"]

_ROOT = re.compile(r"^\s*(?:(?:query|mutation)\b[^{]*)?\{\s*([_A-Za-z][_0-9A-Za-z]*)", re.S)
MAX_SIZE = 500


class Operation:
    """One GraphQL request: ``field`` (the root field) and ``variables``."""

    def __init__(self, field: str, variables: dict[str, Any]) -> None:
        self.field, self.variables = field, variables


def operation(body: Any) -> Operation:
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise VendorError(400, "Request body must be {query, variables}")
    found = _ROOT.match(body["query"])
    if not found:
        raise VendorError(400, "Invalid Syntax: no root field")
    variables = body.get("variables")
    variables = {} if variables is None else variables
    if not isinstance(variables, dict):
        raise VendorError(400, "variables must be an object")
    return Operation(found.group(1), variables)


def page(field: str, rows: Sequence[Any], variables: dict[str, Any], var: str = "pageable") -> dict[str, Any]:
    """``{data: {<field>: {totalElements, items}}}`` for the 0-based ``pageable: {page, size}`` window."""
    window = variables.get(var) or {}
    try:
        number, size = int(window.get("page", 0)), int(window.get("size", 20))
    except (TypeError, ValueError, AttributeError):
        raise VendorError(400, f"{var} must be {{page, size}} integers") from None
    if number < 0 or not 1 <= size <= MAX_SIZE:
        raise VendorError(400, f"{var}.page must be >= 0 and {var}.size between 1 and {MAX_SIZE}")
    chunk = list(rows[number * size : (number + 1) * size])
    return {"data": {field: {"totalElements": len(rows), "items": chunk}}}


def error_body(message: str, classification: str = "ValidationError") -> dict[str, Any]:
    """GraphQL's error list (graphql-java's ``extensions.classification``), no data."""
    return {"errors": [{"message": message, "extensions": {"classification": classification}}], "data": None}
