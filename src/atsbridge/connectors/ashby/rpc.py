"""Ashby's RPC protocol: ``POST /<category>.<method>`` with a JSON body, errors in a 200 body, cursor paging.

Ashby answers most failures with HTTP 200 and ``{"success": false, "errors": [...], "errorInfo": {"code",
"message"}}``. :func:`check` turns those into the contract's codes (it is the paginator ``check`` hook and is
used for every single call too):

* the API key is missing, wrong or deactivated -> ``INTEGRATION.AUTHENTICATION_INVALID``;
* the key lacks a module permission (``missing_endpoint_permission``) -> ``INTEGRATION.PERMISSION_MISSING``;
* an expired ``syncToken`` -> :class:`SyncTokenExpired` (the listing restarts in full);
* anything else (bad input, unknown id, archive reason required...) -> ``REMOTE.INPUT_INVALID``.

Lists answer ``{"success", "results": [...], "moreDataAvailable", "nextCursor"}`` (``limit`` <= 100) and the
last page carries a ``syncToken`` (``api.TOKEN``), which a later run sends back to ask only for changes.
"""

from __future__ import annotations

from typing import Any

import httpx

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import BodyToken, PageRequest, paginate

Raw = dict[str, Any]

#: ``cursor`` = ``nextCursor`` while ``moreDataAvailable``, both in the JSON body of the POST.
PAGER = BodyToken(token_path="nextCursor", more_path="moreDataAvailable", param="cursor", size_param="limit",
                  page_size=100, in_body=True)  # fmt: skip

_AUTH = ("unauthenticated", "unauthorized", "invalid_api_key", "api_key", "authentication", "deactivated")
_PERMISSION = ("permission", "forbidden", "not_authorized", "access_denied")


class SyncTokenExpired(RemoteError):
    """The stored ``syncToken`` is no longer accepted: list everything again."""

    def __init__(self, message: str):
        super().__init__("REMOTE.INPUT_INVALID", message)


def _describe(body: Raw) -> tuple[str, str]:
    info = body.get("errorInfo") or {}
    errors = [e if isinstance(e, str) else str((e or {}).get("message") or e) for e in body.get("errors") or []]
    code = str(info.get("code") or (errors[0] if errors else "unknown_error"))
    message = str(info.get("message") or "; ".join(errors) or code)
    return code.lower(), message


def classify(body: Raw) -> RemoteError:
    """A ``success: false`` body -> the contract's error."""
    code, message = _describe(body)
    said = f"{code} {message}".lower()
    text = f"Ashby refused the request ({code}): {message}"[:400]
    if "sync_token" in said or "synctoken" in said:
        return SyncTokenExpired(text)
    if any(word in said for word in _PERMISSION) and "api_key" not in code:
        return RemoteError("INTEGRATION.PERMISSION_MISSING", text)
    if any(word in said for word in _AUTH):
        return RemoteError("INTEGRATION.AUTHENTICATION_INVALID", text)
    return RemoteError("REMOTE.INPUT_INVALID", text)


def check(response: httpx.Response, body: Any) -> None:
    """The paginator hook: a 200 is only a success when the body says so."""
    if not isinstance(body, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Ashby answered with something other than a JSON object")
    if body.get("success") is False:
        raise classify(body)


async def call(client: HttpClient, method: str, body: Raw | None = None, *, retry: bool = True) -> Any:
    """One RPC; its ``results``. Creates pass ``retry=False`` (a blind retry could create twice). The client is
    ``API.client``: its error shape already tells a refused key (403) from a missing permission."""
    response = await client.request("POST", f"/{method}", json=body or {}, retry=retry)
    try:
        data = response.json()
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", f"{method}: Ashby sent a body that is not complete JSON", retryable=True
        ) from None
    check(response, data)
    return data.get("results")


async def collect(client: HttpClient, name: str, method: str, body: Raw | None = None) -> list[Raw]:
    """Every record of one list (lookups and writes; the streams list through the kit source)."""
    request = PageRequest("POST", f"/{method}", None, dict(body or {}))
    pages = paginate(client, PAGER, request, records_path="results", stream=name, check=check)
    return [record async for page in pages for record in page]
