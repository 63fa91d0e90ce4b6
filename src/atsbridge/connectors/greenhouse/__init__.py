"""Greenhouse, through Harvest **v3** (v1/v2 are removed on 2026-08-31).

What v3 imposes, and where it is encoded:

* OAuth2 client credentials at ``auth.greenhouse.io/token`` (``expires_at`` in the answer): ``api.API``.
* ``Link: <...?cursor=...>; rel="next"`` paging where the cursor must be the *only* query parameter (else
  422), ``per_page`` ≤ 500 on the first request only: ``api.API``.
* ``updated_at=gte|<ISO>`` delta filters: ``streams.UPDATED_SINCE``.
* No deletion feed: deletions are found by the engine after a complete full sync (``deletion_feed=False``).
* Writes (``actions.py``): the acting user is the token's ``sub`` (:mod:`.api`); every create goes through
  ``call.once``: its intent is recorded before the POST and it is looked up again on a resumed call.
* Webhooks in (``webhooks.py``): signed deliveries queue a delta sync of the streams they touch.
* Small reference lists (tags, rejection reasons, stages, job posts) are read in full on every run: they
  double as the lookup tables later streams need (see :mod:`.streams`).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.greenhouse.actions import ACTIONS
from atsbridge.connectors.greenhouse.api import API, make_client
from atsbridge.connectors.greenhouse.streams import STREAMS
from atsbridge.connectors.greenhouse.webhooks import WEBHOOKS


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Attachment URLs are signed and expire (7 days, or per request), so ask v3 for a fresh one and fetch
    it without our bearer token (signed storage URLs refuse a second credential)."""
    client = make_client(info)
    try:
        response = await client.request("GET", "/attachments", params={"ids": remote_id})
        found = [a for a in response.json() if str(a.get("id")) == str(remote_id)]
    finally:
        await client.aclose()
    if not found or not found[0].get("url"):
        return None
    item = found[0]
    file = await kit.fetch_signed(item["url"], "attachment")
    if file is None:
        return None
    name = item.get("filename") or f"attachment-{remote_id}"
    kind = file.headers.get("content-type", "").split(";")[0] or kit.guess_content_type(name)
    return file.content, name, kind


CONNECTOR = kit.declare(
    tool="greenhouse",
    label="Greenhouse",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    filters={},
    # no deletion feed: deletions are found by the engine after a complete full sync
    probe=kit.Probe(
        "/users",
        {"per_page": 1},
        refused="this client ID and secret",
        forbidden="Greenhouse accepted the client but denied access (403): grant it the Harvest read permissions",
    ),
    connect=kit.ConnectForm(
        instructions="Create Harvest v3 API credentials (OAuth client credentials) for atsbridge and paste them here.",
        guide_url="https://developers.greenhouse.io/harvest.html#authentication",
    ),
    download=_download,
    webhooks=WEBHOOKS,
)
