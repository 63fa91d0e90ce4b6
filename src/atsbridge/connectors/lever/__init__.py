"""Lever v1 ("Data API") connector: API key over Basic auth, ``hasNext``/``next`` body-token paging.

Modelling choices (see the mappers for field details):

* **Candidate = opportunity.** Lever's API treats the opportunity as the candidate (``/candidates`` is a
  deprecated alias, and an application's ``candidateId`` *is* its opportunity id). Every listing, delta filter
  and deletion feed is keyed by opportunity, so each unified candidate comes from exactly one vendor record.
  A person with several candidacies (one contact, several opportunities) shows up as several candidates.
* **Application = one per opportunity x posting**: the opportunity's ``applications`` (fetched inline with
  ``expand=applications``). Stage and archive state live on the opportunity and apply to all its applications.
* **Outcome**: ``archived`` null -> PENDING; archived with a reason of type ``hired`` -> HIRED; otherwise
  DECLINED with the reason's text. The source fetches ``/archive_reasons`` once per run for this.
* **Stages are global** (``/stages``): emitted with ``job_id=None`` and their pipeline position as ``index``.
* **Jobs = postings**, screening questions from ``/postings/{id}/apply``, the posting itself as the one job
  posting, the hiring team from owner / hiringManager / followers.
* Interviews, feedback (scorecards), notes, offers, resumes and files hang off each opportunity (N+1 calls):
  they are fetched only for the opportunities listed in the current run, so a delta sync touches only those.
* **Writes** (``actions.py``, ``create.py``): every action the contract has except
  ``import_tracked_application`` (Lever cannot look an application up by its id alone); see ``actions.py``.

Known limits: a child change that does not move its opportunity's ``updatedAt`` (unverified for Lever) waits
for the next full sync, and so do children (interviews, notes...) of an opportunity the deletion feed reports.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from atsbridge.connectors.base import Capabilities, Connector, Deletions, IntegrationInfo, Mapper, PassthroughApi
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import Fetch, HttpSource, HttpStream, http_stream
from atsbridge.connectors.lever import mappers as m
from atsbridge.connectors.lever.actions import ACTIONS
from atsbridge.connectors.lever.api import (
    LeverSource,
    all_records,
    archive_reasons,
    listing,
    make_client,
    opportunity_context,
)
from atsbridge.connectors.lever.connect import CONNECT

log = logging.getLogger("atsbridge.connectors.lever")

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
T = TypeVar("T")
R = TypeVar("R")

#: Per-opportunity calls in flight at once (the rate limiter still paces them).
FAN_OUT_CONCURRENCY = 4
#: Opportunities whose sub-resources make up one page for the engine (one commit).
FAN_OUT_BATCH = 25


def _ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


def _updated_since(since: datetime) -> dict[str, Any]:
    """Opportunities and postings filter on ``updated_at_start``, in epoch milliseconds."""
    return {"updated_at_start": _ms(since)}


async def bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], limit: int = FAN_OUT_CONCURRENCY) -> list[R]:
    """``work`` over ``items`` with at most ``limit`` in flight, results in order; the first error cancels
    the rest and propagates as itself (not wrapped in an exception group)."""
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with gate:
            return await work(item)

    tasks = [asyncio.ensure_future(one(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


# ------------------------------------------------------------------------------------------ stream reads


async def read_list(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """A plain Lever list, through :func:`listing` so a rejected offset token restarts it."""
    params = dict(stream.params)
    if since is not None and stream.since_params is not None:
        params.update(stream.since_params(since))
    async for page in listing(source, stream.name, stream.path, params):
        yield page


async def _read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Lever has no roles endpoint: access roles and posting roles are fixed, so the listing is static."""
    yield m.role_rows()


async def _read_archive_reasons(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Also keeps every reason (hired ones too) for the opportunities' outcome."""
    reasons: dict[str, Raw] = {}
    async for page in listing(source, stream.name, stream.path):
        reasons.update({r["id"]: r for r in page if r.get("id")})
        yield page
    source.state["archive_reasons"] = reasons


async def _read_stages(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """``/stages`` lists the one org-wide pipeline in order: the position is the stage's index."""
    index = 0
    async for page in listing(source, stream.name, stream.path):
        for raw in page:
            raw["_index"] = index
            index += 1
        yield page


async def _apply_form(source: HttpSource, posting_id: str) -> Raw | None:
    """The posting's application form; postings without one (drafts, closed) answer 400/404."""
    try:
        response = await source.client.request("GET", f"/postings/{posting_id}/apply")
    except RemoteError as exc:
        if exc.status in (400, 404):
            return None
        raise
    try:
        data = response.json().get("data")
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", "postings apply: the ATS sent a body that is not complete JSON"
        ) from None
    return data if isinstance(data, dict) else None


async def _read_postings(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Postings changed since ``since``, each with its apply form (one extra call per listed posting)."""
    params = dict(stream.params)
    if since is not None:
        params.update(_updated_since(since))
    async for page in listing(source, stream.name, stream.path, params):
        forms = await bounded([p["id"] for p in page], lambda pid: _apply_form(source, pid))
        for raw, form in zip(page, forms, strict=True):
            raw["_apply"] = form
        yield page


async def _read_opportunities(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Opportunities changed since ``since`` with their applications inline; remembers them for the
    sub-resource streams and attaches each one's archive reason for the outcome."""
    reasons = await archive_reasons(source)
    listed: dict[str, Raw] = source.state.setdefault("opportunities", {})
    params = dict(stream.params)
    if since is not None:
        params.update(_updated_since(since))
    async for page in listing(source, stream.name, stream.path, params):
        for raw in page:
            reason_id = (raw.get("archived") or {}).get("reason")
            raw["_archive_reason"] = reasons.get(reason_id) if reason_id else None
            listed[raw["id"]] = opportunity_context(raw)
        yield page


async def _children(source: HttpSource, name: str, opportunity_id: str, sub: str) -> list[Raw]:
    """One sub-resource list of one opportunity; an opportunity deleted meanwhile has none (404)."""
    try:
        return await all_records(source, name, f"/opportunities/{opportunity_id}/{sub}")
    except RemoteError as exc:
        if exc.status == 404:
            return []
        raise


def fan_out(*subs: str) -> Fetch:
    """A read of ``/opportunities/{id}/<sub>`` for every opportunity listed earlier in this run."""

    async def fetch(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
        listed: dict[str, Raw] = source.state.get("opportunities", {})
        ids = list(listed)
        for start in range(0, len(ids), FAN_OUT_BATCH):
            jobs = [(oid, sub) for oid in ids[start : start + FAN_OUT_BATCH] for sub in subs]
            results = await bounded(jobs, lambda job: _children(source, stream.name, *job))
            page: list[Raw] = []
            for (oid, sub), records in zip(jobs, results, strict=True):
                for raw in records:
                    raw["_opportunity"] = listed[oid]
                    raw["_kind"] = sub
                page.extend(records)
            if page:
                yield page

    return fetch


def _fan_out_stream(name: str, model: str, mapper: Mapper, *subs: str) -> HttpStream:
    """Incremental in effect: a delta run lists only changed opportunities, so only their children."""
    return HttpStream(name, (model,), mapper, True, path=f"/opportunities/{{id}}/{subs[0]}", fetch=fan_out(*subs))


# ---------------------------------------------------------------------------------------------- deletions

#: Deletion feeds -> the unified model whose remote ids they list.
DELETION_FEEDS = (
    ("/opportunities/deleted", "candidates"),
    ("/applications/deleted", "applications"),
    ("/postings/deleted", "jobs"),
)


def _deleted_id(item: object) -> str | None:
    if isinstance(item, dict):
        value = item.get("id")
        return str(value) if value else None
    return str(item) if item else None


async def _deletions(source: HttpSource, since: datetime | None) -> Deletions:
    """``GET /<x>/deleted?deleted_at_start=<ms>``. A feed an account lacks (404) is skipped: full syncs
    still detect those deletions."""
    params = {"deleted_at_start": _ms(since)} if since is not None else {}
    found = Deletions()
    for path, model in DELETION_FEEDS:
        try:
            rows = await all_records(source, f"deleted {model}", path, params)
        except RemoteError as exc:
            if exc.status != 404:
                raise
            log.warning("Lever has no deletion feed at %s", path)
            continue
        found.by_model[model] = [i for i in (_deleted_id(r) for r in rows) if i]
    return found


# ------------------------------------------------------------------------------------------- open/download


def _open(info: IntegrationInfo) -> LeverSource:
    return LeverSource(make_client(info), info.config, deletions=_deletions)


_ATTACHMENT_ID = re.compile(r"^[\w-]+/(resumes|files)/[\w-]+$")
_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``GET /opportunities/{opp}/resumes/{id}/download`` (or ``files``): authenticated, not a public URL."""
    if not _ATTACHMENT_ID.match(remote_id):
        return None
    client = make_client(info)
    try:
        response = await client.request("GET", f"/opportunities/{remote_id}/download")
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    finally:
        await client.aclose()
    found = _FILENAME.search(response.headers.get("content-disposition", ""))
    name = found.group(1) if found else remote_id.rsplit("/", 1)[-1]
    content_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    return response.content, name, content_type


# ------------------------------------------------------------------------------------------- declaration

STREAMS: tuple[HttpStream, ...] = (
    http_stream(
        "users",
        ("users",),
        m.map_user,
        "/users",
        fetch=read_list,
        params={"includeDeactivated": "true"},  # deactivated users must not look deleted
    ),
    HttpStream("roles", ("roles",), m.map_role, False, fetch=_read_roles),
    http_stream("tags", ("tags",), m.map_tag, "/tags", fetch=read_list),
    HttpStream(
        "archive_reasons",
        ("rejection_reasons",),
        m.map_archive_reason,
        False,
        path="/archive_reasons",
        fetch=_read_archive_reasons,
    ),
    http_stream(
        "postings",
        ("jobs",),
        m.map_posting,
        "/postings",
        since_params=_updated_since,
        fetch=_read_postings,
    ),
    HttpStream("stages", ("application_stages",), m.map_stage, False, path="/stages", fetch=_read_stages),
    http_stream(  # applications inline: their postings are not in the plain listing (ids only)
        "opportunities",
        ("candidates", "applications"),
        m.map_opportunity,
        "/opportunities",
        since_params=_updated_since,
        fetch=_read_opportunities,
        params={"expand": "applications"},
    ),
    # N+1: Lever has no cross-opportunity listing of these (and no date filter on them)
    _fan_out_stream("interviews", "interviews", m.map_interview, "interviews"),
    _fan_out_stream("offers", "offers", m.map_offer, "offers"),
    _fan_out_stream("notes", "notes", m.map_note, "notes"),
    _fan_out_stream("feedback", "scorecards", m.map_feedback, "feedback"),
    _fan_out_stream("attachments", "attachments", m.map_attachment, "resumes", "files"),
)

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Every filter the API offers is backed by Lever data (notes, scorecards and attachments name an
#: application only when their opportunity has exactly one, as Lever hangs them on the opportunity).
FILTERS: dict[str, frozenset[str]] = {}  # the tool's data supports every filter of every model

CONNECTOR = Connector(
    tool="lever",
    label="Lever",
    passthrough=(PassthroughApi("v1", make_client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=True,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
