"""Workable SPI v3 connector: Bearer token, ``https://{subdomain}.workable.com/spi/v3``, ``paging.next`` URLs.

Configuration: ``config.subdomain`` (or ``config.base_url`` to point at a fake), ``credentials.token``;
optional ``config.member_id`` (acting user of writes), ``config.requests_per_10s`` (10 for account tokens, the
default; 50 for OAuth and partner tokens) and ``config.timeout_seconds``.

Vendor facts and where they are encoded (see the reference notes §3 and the mappers for field details):

* Lists answer ``{"<items>": [...], "paging": {"next": "<full URL with since_id>"}}`` and drop ``paging`` on
  the last page; ``limit`` <= 100: :data:`api.API`. Two lists are bare arrays (disqualification reasons).
* Only ``/jobs`` and ``/candidates`` filter by change (``updated_after``): those streams are incremental; the
  rest are re-listed on every run (small), or fanned out per candidate the run listed (activities, offers).
* No deletion feed (webhooks cover creates and moves only): deletions are found after a complete full sync.
* 10 requests per 10 s for account tokens; every answer carries ``X-Rate-Limit-Limit/Remaining/Reset``, which
  the shared client honours, and the client paces itself below the budget (:class:`api.WorkableApi`).
* A *candidate* is per job: it is both the unified candidate and its one application (``candidates.py``).
* Stages are per job (``/jobs/{shortcode}/stages``) and a candidate names its stage (not its slug): stage
  remote ids are ``<shortcode>:<slug>`` and the slug is looked up per job.
* Disqualification reasons are the rejection reasons; events are interviews; members are users; comments
  are notes and (thumbs) ratings are scorecards, both read from ``/candidates/{id}/activities``; the one
  resume per candidate (``resume_metadata``, downloaded through the detail's temporary ``resume_url``) is the
  attachment; ``/candidates/{id}/offer`` (latest offer, asked only for candidates that reached the offer stage)
  is the offer. Tags have no listing: they are the ones candidates carry.

* **Webhooks** (``webhooks.py``): atsbridge subscribes to ``candidate_created`` and ``candidate_moved`` through
  ``POST /subscriptions``; a delivery is verified by ``X-Workable-Signature`` = HMAC-SHA256(account token, raw
  body) (hex, base64 accepted; no timestamp signed; no delivery id documented) and queues a delta sync of the
  candidates.

Cost: a full sync costs about two requests per candidate (detail + activities) plus four per job, i.e. about
a request per second at the account-token budget. Deltas cost that only for changed candidates and jobs.
Known limit: a comment or rating that does not move its candidate's ``updated_at`` waits for a full sync.
"""

from __future__ import annotations

import re

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable.actions import ACTIONS
from atsbridge.connectors.workable.api import API
from atsbridge.connectors.workable.streams import STREAMS
from atsbridge.connectors.workable.webhooks import WEBHOOKS

_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Not a declared ``kit.Download``: the candidate detail's ``resume_url`` is temporary, so ask for a fresh
    one, then fetch it without our token (it is a signed storage link)."""
    candidate_id, _, kind = remote_id.partition(":")
    if kind != "resume" or not re.fullmatch(r"[\w-]+", candidate_id):
        return None
    client = API.client(info)
    try:
        body = (await client.request("GET", f"/candidates/{candidate_id}")).json()
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    finally:
        await client.aclose()
    url = ((body or {}).get("candidate") or {}).get("resume_url")
    if not url:
        return None
    file = await kit.fetch_signed(url, "resume")
    if file is None:
        return None
    found = _FILENAME.search(file.headers.get("content-disposition", ""))
    name = found.group(1) if found else url.split("?", 1)[0].rsplit("/", 1)[-1]
    kind_header = file.headers.get("content-type", "").split(";")[0].strip()
    return file.content, name, kind_header or m.content_type(name)


CONNECTOR = kit.declare(
    tool="workable",
    label="Workable",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    webhooks=WEBHOOKS,
    # Every filter is backed: notes, scorecards, attachments and offers name their candidate and its one
    # application; interviews name their application (so job filters work through it).
    filters={},
    probe=kit.Probe(
        "/members",
        {"limit": 1},
        refused="this access token",
        forbidden="Workable accepted the token but denied access (403): give it the r_jobs and r_candidates scopes",
        not_found="No Workable account at that subdomain",
    ),
    connect=kit.ConnectForm(
        instructions="Generate a Workable API access token and enter it with your account's subdomain.",
        guide_url="https://workable.readme.io/reference/generate-an-access-token",
        extra=(
            FormField(
                "subdomain",
                "Account subdomain",
                target="config",
                placeholder="acme",
                help="The part before .workable.com in your Workable address.",
            ),
        ),  # fmt: skip
    ),
    download=_download,
)
