"""Attachment downloads as data: an authenticated GET of a path built from the attachment's remote id, or
a plain GET of a signed storage URL the vendor hands out."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.api import VendorApi

_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)

Downloader = Callable[[IntegrationInfo, str], Awaitable[tuple[bytes, str, str] | None]]


@dataclass(frozen=True)
class Download:
    """``GET path`` with ``{id}`` the remote id, which must match ``id_pattern`` (anything else is "gone",
    never a request: the id is client input). The name comes from Content-Disposition."""

    path: str
    id_pattern: str = r"^[\w-]+$"
    gone: tuple[int, ...] = (404,)

    def bind(self, api: VendorApi) -> Downloader:
        pattern = re.compile(self.id_pattern)

        async def download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
            if not pattern.match(remote_id):
                return None
            client = api.client(info)
            try:
                response = await client.request("GET", self.path.format(id=remote_id))
            except RemoteError as exc:
                if exc.status in self.gone:
                    return None
                raise
            finally:
                await client.aclose()
            found = _FILENAME.search(response.headers.get("content-disposition", ""))
            name = found.group(1) if found else remote_id.rsplit("/", 1)[-1]
            content_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
            return response.content, name, content_type

        return download


async def fetch_signed(url: str, what: str = "file", gone: tuple[int, ...] = (404,)) -> httpx.Response | None:
    """GET a signed storage URL with a plain client: such URLs carry their own credential and refuse a second
    one (our token), and they may redirect. None when the file is ``gone``; any other error status is the
    storage failing, retryable."""
    async with httpx.AsyncClient(follow_redirects=True, timeout=120) as plain:
        file = await plain.get(url)
    if file.status_code in gone:
        return None
    if file.status_code >= 400:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"{what} download failed ({file.status_code})", retryable=True)
    return file
