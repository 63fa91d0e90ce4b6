"""What a passthrough request may contain. The vendor's base URL is the only host a request may reach, so the
path is checked in every spelling an HTTP stack might normalise (percent-encoded, doubly encoded)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote

from atsbridge.core.errors import ApiError

MAX_PATH = 4096
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Headers the caller may not set: our authentication, cookies and transport framing are ours alone.
FORBIDDEN_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "x-integration-id",
    }
)


def _invalid(message: str) -> ApiError:
    return ApiError("PLATFORM.INPUT_INVALID", message)


def _spellings(path: str) -> list[str]:
    """The path as given and as decoded once, twice, three times (stop when decoding changes nothing)."""
    out = [path]
    for _ in range(3):
        decoded = unquote(out[-1])
        if decoded == out[-1]:
            break
        out.append(decoded)
    return out


def check_path(path: str) -> str:
    """A relative path under the API's base URL, or PLATFORM.INPUT_INVALID naming what is wrong."""
    if len(path) > MAX_PATH:
        raise _invalid(f"path: longer than {MAX_PATH} characters")
    for form in _spellings(path):
        if _CONTROL.search(form):
            raise _invalid("path: control characters are not allowed")
        if "\\" in form:
            raise _invalid("path: backslashes are not allowed")
        if _SCHEME.match(form) or "://" in form:
            raise _invalid("path: must be relative to the API's base URL, not an absolute URL")
        if form.startswith("//"):
            raise _invalid("path: must not start with '//' (another host)")
        if "#" in form:
            raise _invalid("path: fragments ('#') are not allowed")
        segments = form.split("?", 1)[0].split("/")
        if any(s in ("..", ".") for s in segments):
            raise _invalid("path: '.' and '..' segments are not allowed")
    return path


def clean_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's headers minus the forbidden ones; values must be single-line."""
    out: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name):
            raise _invalid(f"headers: {name!r} is not a valid header name")
        if _CONTROL.search(str(value)):
            raise _invalid(f"headers.{name}: control characters are not allowed")
        if name.lower() in FORBIDDEN_HEADERS:
            continue
        out[name] = str(value)
    return out


def join_url(base_url: str, path: str) -> str:
    """Base URL + path, exactly one slash between them."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")
