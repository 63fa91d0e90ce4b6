"""Attachment downloads as data: an authenticated GET of a path built from the attachment's remote id."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

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
