"""Refuse unstorable text at the edge, before any route, query or vendor call sees it.

One app-wide dependency checks every path parameter, query parameter, JSON body and form body against
:mod:`atsbridge.core.safetext` and answers PLATFORM.INPUT_INVALID naming the field (the parameter's name,
or the JSON pointer of the body field). Checking here, once, covers every route present and future; the
alternative, a check per route, is how a NUL byte reached PostgreSQL through a dozen of them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from atsbridge.core.errors import input_invalid
from atsbridge.core.safetext import MAX_DEPTH, bad_char, describe, find_in_json
from atsbridge.web.forms import MAX_FORM_BYTES

#: Headers whose values reach queries. HTTP servers refuse control characters in headers already
#: (uvicorn answers 400); this holds behind any other server too.
CHECKED_HEADERS = ("x-integration-id", "idempotency-key")
_WHY = "control characters (other than tab and line breaks in text) and lone surrogates are not accepted"


def _refuse(field: str, char: str) -> None:
    if not char:
        raise input_invalid(f"{field}: nested more than {MAX_DEPTH} levels deep")
    raise input_invalid(f"{field}: contains {describe(char)}; {_WHY}")


def _short(pointer: str, limit: int = 200) -> str:
    return pointer if len(pointer) <= limit else pointer[:limit] + "..."


def _check_single_line(field: str, value: str) -> None:
    char = bad_char(value, single_line=True)
    if char is not None:
        _refuse(field, char)


def _body_kind(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _json_body(raw: bytes) -> Any:
    """The body as the route will see it (FastAPI parses with the standard library too), or None."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None  # the route reports malformed JSON in its own words


async def refuse_control_characters(request: Request) -> None:
    """FastAPI dependency installed on the whole app; raises ApiError (400) on the first refused character."""
    for header in CHECKED_HEADERS:
        _check_single_line(header, request.headers.get(header, ""))
    for name, value in request.path_params.items():
        if isinstance(value, str):
            _check_single_line(name, value)
    for name, value in request.query_params.multi_items():
        _check_single_line("query parameter name", name)
        _check_single_line(name, value)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    kind = _body_kind(request)
    if kind == "application/x-www-form-urlencoded":
        raw = await request.body()
        if len(raw) <= MAX_FORM_BYTES:
            for name, value in parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True):
                _check_single_line("form field name", name)
                char = bad_char(value)
                if char is not None:
                    _refuse(name, char)
        return
    if kind and not kind.endswith("json"):
        return
    raw = await request.body()
    if not raw.strip():
        return
    found = find_in_json(_json_body(raw))
    if found is not None:
        pointer, char = found
        _refuse(f"body {_short(pointer) or '/'}", char)
