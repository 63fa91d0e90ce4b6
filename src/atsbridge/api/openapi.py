"""The published OpenAPI document, corrected to say what the server really does.

FastAPI's generated document is wrong in two ways for this API, and clients (and schemathesis) trust it:

- Errors: FastAPI declares a ``422`` validation response we never send (our handler answers 400 with the
  contract's envelope) and nothing for the 400/401/404 that every route can answer (bad characters, bad
  key, unknown integration or record). Every ``/v1`` operation here declares its error statuses with the
  envelope schema, and the 422 goes.
- Records: the unified models are ``extra="forbid"`` so a mapper typo fails loudly, which pydantic renders as
  ``additionalProperties: false``. Served records carry more than the model (``remote_data``,
  ``integration_fields``, as Kombo's API does and the SDK ignores), so response schemas are left open and
  those keys are declared. Request bodies keep ``additionalProperties: false``: the server does refuse
  unknown keys there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI

ERROR_REF = "#/components/schemas/ErrorResponse"
_ERROR_TEXT = {
    "400": "Invalid input (PLATFORM.INPUT_INVALID), naming the offending field",
    "401": "Missing, malformed or revoked API key (PLATFORM.AUTHENTICATION_INVALID)",
    "404": "Unknown integration or record",
    "500": "Unexpected error; the server log has the details under the reference given",
}
#: Every operation can answer these: input is checked (400) and the key verified (401) on all of them, and
#: an unknown integration, record or path parameter is a 404.
ALWAYS = ("400", "401", "404", "500")
_METHODS = ("get", "put", "post", "delete", "patch")

#: Keys a served record carries beyond its model (Kombo's shapes; contract §8).
REMOTE_DATA: dict[str, Any] = {
    "anyOf": [{"type": "object", "additionalProperties": True}, {"type": "null"}],
    "description": "Data fetched from the ATS, keyed by the source API path (null when not collected).",
}
INTEGRATION_FIELDS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "key": {"type": "string"},
            "type": {"type": "string", "enum": ["DEFAULT", "CUSTOM"]},
            "value": {},
            "label": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    },
    "description": "Fields passed through from the ATS (enabled per field under integration-fields).",
}


def _refs(node: Any, found: set[str]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[-1])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _closure(schemas: dict[str, Any], start: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        more: set[str] = set()
        _refs(schemas[name], more)
        todo.extend(more)
    return seen


def _operations(doc: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                yield path, item[method]


def declare_errors(doc: dict[str, Any]) -> None:
    for _path, op in _operations(doc):
        responses = op.setdefault("responses", {})
        responses.pop("422", None)
        wanted = list(ALWAYS)
        if "requestBody" in op:
            wanted.append("413")
        for status in wanted:
            entry = responses.setdefault(status, {"description": _ERROR_TEXT.get(status, "Request body too large")})
            entry["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}


def open_response_records(doc: dict[str, Any], record_schemas: dict[str, bool]) -> None:
    """``record_schemas``: component name of each served record -> whether it carries integration_fields."""
    schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
    request_refs: set[str] = set()
    response_refs: set[str] = set()
    for _path, op in _operations(doc):
        _refs(op.get("requestBody", {}), request_refs)
        _refs(op.get("parameters", []), request_refs)
        _refs(op.get("responses", {}), response_refs)
    response_only = _closure(schemas, response_refs) - _closure(schemas, request_refs)
    for name in response_only:
        if schemas[name].get("additionalProperties") is False:
            del schemas[name]["additionalProperties"]
    for name, with_fields in record_schemas.items():
        props = schemas.get(name, {}).get("properties")
        if props is None:
            continue
        props.setdefault("remote_data", REMOTE_DATA)
        if with_fields:
            props.setdefault("integration_fields", INTEGRATION_FIELDS)


def install(app: FastAPI, record_schemas: dict[str, bool]) -> None:
    """Replace ``app.openapi`` with the corrected, cached document."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    done: list[dict[str, Any]] = []

    def corrected() -> dict[str, Any]:
        if not done:
            doc = generate()
            declare_errors(doc)
            open_response_records(doc, record_schemas)
            done.append(doc)
        return done[0]

    app.openapi = corrected  # type: ignore[method-assign]
