"""Workable SPI v3 connector: Bearer token, ``https://{subdomain}.workable.com/spi/v3``, ``paging.next`` URLs.

Configuration: ``config.subdomain`` (or ``config.base_url`` to point at a fake), ``credentials.token``;
optional ``config.member_id`` (acting user of writes), ``config.requests_per_10s`` (10 for account tokens, the
default; 50 for OAuth and partner tokens) and ``config.timeout_seconds``.

Vendor facts and where they are encoded (see the reference notes §3 and the mappers for field details):

* Lists answer ``{"<items>": [...], "paging": {"next": "<full URL with since_id>"}}`` and drop ``paging`` on
  the last page; ``limit`` <= 100: :data:`reads.PAGER`. Two lists are bare arrays (disqualification reasons).
* Only ``/jobs`` and ``/candidates`` filter by change (``updated_after``): those streams are incremental; the
  rest are re-listed on every run (small), or fanned out per candidate the run listed (activities, offers).
* No deletion feed (webhooks cover creates and moves only): deletions are found after a complete full sync.
* 10 requests per 10 s for account tokens; every answer carries ``X-Rate-Limit-Limit/Remaining/Reset``, which
  the shared client honours, and the client paces itself below the budget (:func:`_client`).
* A *candidate* is per job: it is both the unified candidate and its one application (``candidates.py``).
* Stages are per job (``/jobs/{shortcode}/stages``) and a candidate names its stage (not its slug): stage
  remote ids are ``<shortcode>:<slug>`` and the slug is looked up per job.
* Disqualification reasons are the rejection reasons; events are interviews; members are users; comments
  are notes and (thumbs) ratings are scorecards, both read from ``/candidates/{id}/activities``; the one
  resume per candidate (``resume_metadata``, downloaded through the detail's temporary ``resume_url``) is the
  attachment; ``/candidates/{id}/offer`` (latest offer, asked only for candidates that reached the offer stage)
  is the offer. Tags have no listing: they are the ones candidates carry.

Cost: a full sync costs about two requests per candidate (detail + activities) plus four per job, i.e. about
a request per second at the account-token budget. Deltas cost that only for changed candidates and jobs.
Known limit: a comment or rating that does not move its candidate's ``updated_at`` waits for a full sync.
"""

from __future__ import annotations

import re

import httpx

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable import reads as r
from atsbridge.connectors.workable.actions import ACTIONS
from atsbridge.connectors.workable.candidates import map_candidate
from atsbridge.connectors.workable.connect import CONNECT

#: The account-token budget: 10 requests per 10 seconds.
REQUESTS_PER_10S = 10


def base_url(info: IntegrationInfo) -> str:
    if info.config.get("base_url"):
        return str(info.config["base_url"])
    return f"https://{info.config.get('subdomain', '')}.workable.com/spi/v3"


def _client(info: IntegrationInfo) -> HttpClient:
    token = str(info.credentials.get("token") or "")
    budget = max(1, int(info.config.get("requests_per_10s", REQUESTS_PER_10S)))
    return HttpClient(
        base_url=base_url(info),
        auth=HeaderAuth("Authorization", f"Bearer {token}"),
        headers={"Accept": "application/json"},
        rate_limit=RateLimit(budget, 10.0),
        timeout=float(info.config.get("timeout_seconds", 30.0)),
    )


def _open(info: IntegrationInfo) -> HttpSource:
    return HttpSource(_client(info), state={"member_id": info.config.get("member_id")})


_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """A resume: the candidate detail's ``resume_url`` is temporary, so ask for a fresh one, then fetch it
    without our token (it is a signed storage link)."""
    candidate_id, _, kind = remote_id.partition(":")
    if kind != "resume" or not re.fullmatch(r"[\w-]+", candidate_id):
        return None
    source = _open(info)
    try:
        body = await r.get_json(source, f"/candidates/{candidate_id}")
    finally:
        await source.aclose()
    url = ((body or {}).get("candidate") or {}).get("resume_url")
    if not url:
        return None
    async with httpx.AsyncClient(follow_redirects=True, timeout=120) as plain:
        file = await plain.get(url)
    if file.status_code == 404:
        return None
    if file.status_code >= 400:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"resume download failed ({file.status_code})", retryable=True)
    found = _FILENAME.search(file.headers.get("content-disposition", ""))
    name = found.group(1) if found else url.split("?", 1)[0].rsplit("/", 1)[-1]
    kind_header = file.headers.get("content-type", "").split(";")[0].strip()
    return file.content, name, kind_header or m.content_type(name)


STREAMS: tuple[HttpStream, ...] = (
    HttpStream("members", ("users",), m.map_member, False, path="/members", fetch=r.read_members),
    HttpStream(
        "disqualification_reasons",
        ("rejection_reasons",),
        m.map_disqualification_reason,
        False,
        path="/disqualification_reasons",
        fetch=r.read_reasons,
    ),  # fmt: skip
    HttpStream("jobs", ("jobs", "application_stages"), m.map_job, True, path="/jobs", fetch=r.read_jobs),
    HttpStream("roles", ("roles",), m.map_role, False, fetch=r.read_roles),  # after members and jobs: seen roles
    HttpStream(
        "candidates",
        ("candidates", "applications"),
        map_candidate,
        True,
        path="/candidates",
        fetch=r.read_candidates,
    ),  # fmt: skip
    # Derived from the candidates just listed (no request): incremental in effect.
    HttpStream("tags", ("tags",), m.map_tag, True, fetch=r.read_tags),
    HttpStream("attachments", ("attachments",), m.map_resume, True, fetch=r.read_resumes),
    HttpStream(
        "events",
        ("interviews",),
        m.map_event,
        False,
        path="/events",
        fetch=None,
        paginator=r.PAGER,
        records_path="events",
    ),  # fmt: skip
    # One call per candidate listed in this run.
    HttpStream("activities", ("notes", "scorecards"), m.map_activity, True, fetch=r.read_activities),
    HttpStream("offers", ("offers",), m.map_offer, True, fetch=r.read_offers),
)

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters the data backs. Notes, scorecards, attachments and offers name their candidate and its one
#: application; interviews name their application (so job filters work through it).
FILTERS: dict[str, frozenset[str]] = {}  # the tool's data supports every filter of every model

CONNECTOR = Connector(
    tool="workable",
    label="Workable",
    passthrough=(PassthroughApi("v3", _client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
