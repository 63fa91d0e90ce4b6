"""Attachment downloads: TalentLink names each file's URL on the candidate (``attachments[].fileUrl.href``)
[conn], with no documented download path. The candidate is read by id, the href followed with the same
credentials — only on the API's own host, so credentials never go elsewhere."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.cornerstonetalentlink.actions import first_row
from atsbridge.connectors.cornerstonetalentlink.api import API, CANDIDATES
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.source import KitSource

_ID = re.compile(r"^(\d{1,20})/(\d{1,20})$")


async def download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    found = _ID.match(remote_id)
    if found is None:
        return None
    client = API.client(info)
    try:
        source = KitSource(API, client, info.config, info=info)
        cand = await first_row(source, "/candidate", CANDIDATES, {"id_eq": int(found.group(1))})
        doc = next((d for d in (cand or {}).get("attachments") or []
                    if isinstance(d, dict) and str(d.get("id")) == found.group(2)), None)  # fmt: skip
        href = str(((doc or {}).get("fileUrl") or {}).get("href") or "")
        if not href:
            return None
        base = str(client.base_url).rstrip("/") + "/"
        url = urljoin(base, href)
        if urlsplit(url).netloc != urlsplit(base).netloc:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "TalentLink named a file URL on another host: not followed")
        try:
            response = await client.request("GET", url)
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise
    finally:
        await client.aclose()
    name = str(doc.get("fileName") or found.group(2)) if doc else found.group(2)
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    return response.content, name, content_type or str((doc or {}).get("mimeType") or "application/octet-stream")
