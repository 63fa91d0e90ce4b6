"""Sending a passthrough request with the connector's own authenticated client.

The client is the one the connector syncs with (auth, token refresh and rate limits are shared code); its
base URL is the only host reachable. Vendor answers of any status come back as data; only a failure to
reach the vendor at all is an error (``PLATFORM.UNKNOWN_ERROR``: general endpoints may only use PLATFORM codes).
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from atsbridge.connectors.base import Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.errors import ApiError
from atsbridge.core.fetch import FetchPolicy, fetch_file
from atsbridge.core.limits import MAX_FILE_BYTES
from atsbridge.passthrough.validate import check_path, clean_headers, join_url

log = logging.getLogger("atsbridge.passthrough")


@dataclass
class FilePart:
    name: str
    content_type: str | None = None
    data: str | None = None
    data_url: str | None = None


@dataclass
class PassthroughRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    data: Any = None
    response_as_base64: bool = False
    #: (form field name, string value or file part)
    multipart: list[tuple[str, str | FilePart]] | None = None
    #: How ``data_url`` file parts are downloaded (deadline, size cap, internal addresses).
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


def _invalid(message: str) -> ApiError:
    return ApiError("PLATFORM.INPUT_INVALID", message)


def find_api(connector: Connector, api: str) -> PassthroughApi:
    for candidate in connector.passthrough:
        if candidate.api == api:
            return candidate
    known = ", ".join(f"'{connector.tool}/{p.api}'" for p in connector.passthrough) or "none"
    raise _invalid(f"api: {connector.label} has no passthrough API '{api}' (available: {known})")


async def _file(part: FilePart, fetch: FetchPolicy) -> tuple[str, bytes, str]:
    if part.data is not None:
        if not part.content_type:
            raise _invalid("multipart_form_data: content_type is required with data")
        try:
            content = base64.b64decode(part.data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid("multipart_form_data: data must be base64") from exc
        if len(content) > MAX_FILE_BYTES:
            raise _invalid(f"multipart_form_data: file is larger than {MAX_FILE_BYTES} bytes")
        return part.name, content, part.content_type
    if part.data_url:
        content, downloaded_type = await fetch_file(part.data_url, "multipart_form_data: data_url", fetch)
        return part.name, content, part.content_type or downloaded_type or "application/octet-stream"
    raise _invalid("multipart_form_data: a file needs data or data_url")


def _body(data: Any, headers: dict[str, str]) -> bytes | None:
    if data is None:
        return None
    if isinstance(data, str):
        return data.encode()
    if not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    return orjson.dumps(data)


def _response_headers(response: httpx.Response) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name in response.headers:
        values = response.headers.get_list(name)
        out[name] = values[0] if len(values) == 1 else values
    return out


def _response_data(response: httpx.Response, as_base64: bool) -> Any:
    if as_base64:
        return base64.b64encode(response.content).decode()
    if not response.content:
        return None
    if "json" in response.headers.get("content-type", ""):
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            pass
    return response.text


async def send(api: PassthroughApi, info: IntegrationInfo, req: PassthroughRequest) -> dict[str, Any]:
    """Send ``req`` through ``api``'s client; returns the contract's ``data`` object."""
    check_path(req.path)
    headers = clean_headers(req.headers)
    client = api.client(info)
    url = join_url(str(client.base_url), req.path)
    if urlsplit(url).netloc != urlsplit(str(client.base_url)).netloc:  # defence in depth
        raise _invalid("path: leaves the API's base URL")
    files: list[tuple[str, Any]] | None = None
    content: bytes | None = None
    if req.multipart:
        if req.data is not None:
            raise _invalid("data: send either data or multipart_form_data, not both")
        files = []
        for name, value in req.multipart:  # text parts as (None, value): multipart even without a file
            files.append((name, (None, value) if isinstance(value, str) else await _file(value, req.fetch)))
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    else:
        content = _body(req.data, headers)
    try:
        response = await client.send_raw(
            req.method, url, params=req.params or None, content=content, files=files, headers=headers
        )
    except RemoteError as exc:
        log.info("passthrough to %s failed: %s", info.tool, exc.code)
        raise ApiError(
            "PLATFORM.UNKNOWN_ERROR", f"the request to {info.tool} could not be completed: {exc}", status=502
        ) from None
    finally:
        await client.aclose()
    return {
        "url": str(response.request.url),
        "status": response.status_code,
        "headers": _response_headers(response),
        "data": _response_data(response, req.response_as_base64),
    }
