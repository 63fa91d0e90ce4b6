"""Greenhouse, through Harvest **v3** (v1/v2 are removed on 2026-08-31).

What v3 imposes, and where it is encoded:

* OAuth2 client credentials at ``auth.greenhouse.io/token`` (``expires_at`` in the answer): :func:`_open`.
* ``Link: <...?cursor=...>; rel="next"`` paging where the cursor must be the *only* query parameter (else
  422), ``per_page`` ≤ 500 on the first request only: :data:`PAGER`.
* ``updated_at=gte|<ISO>`` delta filters: :func:`_since`.
* No deletion feed: deletions are found by the engine after a complete full sync (``deletion_feed=False``).
* Writes (``actions.py``): the acting user is the token's ``sub`` (:mod:`.client`); every create records its
  intent before the POST and is looked up again on a resumed call (never blind-retried).
* Small reference lists (tags, rejection reasons, stages, job posts) are read in full on every run: they
  double as the lookup tables later streams need (tag name -> id, interview -> stage, job -> posts), and a
  partial table would silently blank those fields on records a delta re-reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from typing import Any

import httpx

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, Mapper, PassthroughApi, Source
from atsbridge.connectors.greenhouse import mappers
from atsbridge.connectors.greenhouse.actions import ACTIONS
from atsbridge.connectors.greenhouse.client import GreenhouseSource, make_client
from atsbridge.connectors.greenhouse.connect import CONNECT
from atsbridge.connectors.greenhouse.lookups import (
    PAGER,
    POSTS,
    REASONS,
    STAGES,
    TAGS,
    Lookup,
    Page,
    list_pages,
    load,
    with_reason,
    with_stage,
    with_tags,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import Fetch, HttpSource, HttpStream, http_stream
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.model.registry import MODELS

#: v3 ``*_ids`` filters accept at most 50 ids.
MAX_IDS = 50


def _since(since: datetime) -> dict[str, str]:
    """v3 filter syntax: operator and value joined by ``|`` (``updated_at=gte|2024-01-01T00:00:00.000Z``)."""
    return {"updated_at": f"gte|{format_ts(since)}"}


def _params(stream: HttpStream, since: datetime | None) -> dict[str, Any]:
    params = dict(stream.params)
    if since is not None and stream.since_params is not None:
        params.update(stream.since_params(since))
    return params


def _listing(lookup: Lookup) -> Fetch:
    """A stream that is itself a lookup: list in full, fill the table on the way."""

    async def fetch(source: HttpSource, stream: HttpStream, since: datetime | None) -> AsyncIterator[Page]:
        table: dict[Any, Any] = {}
        async for page in list_pages(source, stream.name, lookup.path, lookup.params):
            for rec in page:
                lookup.fold(table, rec)
            yield page
        source.state[lookup.key] = table

    return fetch


Enrich = Callable[[dict[str, Any], dict[Any, Any]], dict[str, Any]]


def _enriched(lookup: Lookup, enrich: Enrich) -> Fetch:
    """A plain (delta-capable) listing whose records get a lookup attached for the mapper."""

    async def fetch(source: HttpSource, stream: HttpStream, since: datetime | None) -> AsyncIterator[Page]:
        table = await load(source, lookup)
        async for page in list_pages(source, stream.name, stream.path, _params(stream, since)):
            yield [enrich(rec, table) for rec in page]

    return fetch


# --------------------------------------------------------------------------------------------- jobs
def _changed_since(rec: dict[str, Any], since: datetime) -> bool:
    value = rec.get("updated_at")
    return value is not None and parse_ts(str(value)) >= since


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    return (items[i : i + size] for i in range(0, len(items), size))


async def _fetch_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> AsyncIterator[Page]:
    """Jobs with their posts attached. Editing a post does not touch its job's ``updated_at``, so a delta
    also re-reads (by id) the jobs whose posts changed since. The hiring team and department are read from
    the job itself (v1 shape); a v3 job that only names ``department_id`` and leaves the team to
    ``/job_owners`` would need those lookups added here."""
    posts = await load(source, POSTS)
    listed: set[Any] = set()
    async for page in list_pages(source, stream.name, stream.path, _params(stream, since)):
        listed.update(job["id"] for job in page)
        yield [{**job, "_job_posts": posts.get(job["id"], [])} for job in page]
    if since is None:
        return
    touched = {p.get("job_id") for group in posts.values() for p in group if _changed_since(p, since)}
    for chunk in _chunks(sorted(touched - listed - {None}), MAX_IDS):
        async for page in list_pages(source, stream.name, stream.path, {"ids": ",".join(map(str, chunk))}):
            yield [{**job, "_job_posts": posts.get(job["id"], [])} for job in page]


async def _fetch_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> AsyncIterator[Page]:
    """Greenhouse has no roles listing: the catalog is fixed (see ``mappers.ROLE_CATALOG``)."""
    yield mappers.role_catalog()


# ------------------------------------------------------------------------------------------ streams
def _delta(name: str, path: str, mapper: Mapper, **kw: Any) -> HttpStream:
    return http_stream(name, (name,), mapper, path, since_params=_since, paginator=PAGER, **kw)


def _full(name: str, mapper: Mapper, fetch: Fetch) -> HttpStream:
    return http_stream(name, (name,), mapper, "", fetch=fetch)


STREAMS: tuple[HttpStream, ...] = (
    _delta("users", "/users", mappers.user),
    _full("roles", mappers.role, _fetch_roles),
    _full("tags", mappers.tag, _listing(TAGS)),
    _full("rejection_reasons", mappers.rejection_reason, _listing(REASONS)),
    _delta("jobs", "/jobs", mappers.job, fetch=_fetch_jobs),
    _full("application_stages", mappers.stage, _listing(STAGES)),
    _delta("candidates", "/candidates", mappers.candidate, fetch=_enriched(TAGS, with_tags)),
    _delta("applications", "/applications", mappers.application, fetch=_enriched(REASONS, with_reason)),
    _delta("interviews", "/interviews", mappers.interview, fetch=_enriched(STAGES, with_stage)),
    _delta("offers", "/offers", mappers.offer),
    _delta("notes", "/notes", mappers.note),
    _delta("scorecards", "/scorecards", mappers.scorecard),
    _delta("attachments", "/attachments", mappers.attachment),
)


# ------------------------------------------------------------------------------------ open/download
def _open(info: IntegrationInfo) -> Source:
    return GreenhouseSource(info)


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
    async with httpx.AsyncClient(follow_redirects=True, timeout=120) as plain:
        file = await plain.get(item["url"])
    if file.status_code == 404:
        return None
    if file.status_code >= 400:
        message = f"attachment download failed ({file.status_code})"
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", message, retryable=True)
    name = item.get("filename") or f"attachment-{remote_id}"
    kind = file.headers.get("content-type", "").split(";")[0] or mappers.content_type(name)
    return file.content, name, kind


CONNECTOR = Connector(
    tool="greenhouse",
    label="Greenhouse",
    passthrough=(PassthroughApi("harvestv3", make_client),),
    streams=STREAMS,
    capabilities=Capabilities(models=frozenset(MODELS), filters={}, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    download=_download,
    actions=ACTIONS,
    connect=CONNECT,
)
