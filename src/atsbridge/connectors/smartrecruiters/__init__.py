"""SmartRecruiters Customer API: ``X-SmartToken`` header auth against ``https://api.smartrecruiters.com``.

What the API imposes, and where it is encoded:

* Cursor paging: ``limit`` 1-100 and ``pageId`` from the previous ``nextPageId`` (:class:`api.Cursor`); the
  public Posting API still pages by ``offset``/``totalFound`` (:class:`api.OffsetPages`).
* Limits: 10 requests/s per endpoint (the client paces at ``requests_per_second``, default 10, for all of them)
  and at most **8 requests in flight** per credential, with ``GET /candidates`` allowing only **one**. Listings
  are read one page at a time (one ``/candidates`` request in flight, ever) and every other read and write goes
  through one per-source semaphore of ``max_concurrency`` (default 4, capped at 8: :func:`api.send`). A 429
  still backs off with ``Retry-After``.
* Incremental: ``updatedAfter`` on ``/candidates`` and ``/jobs``. A candidate's ``updatedOn`` is taken to move
  when any of its applications changes (no per-application filter exists). No deletion feed: deletions are
  found after a complete full sync.
* Applications are candidate x job pairs read one by one (``/candidates/{id}/jobs/{jobId}``) for every
  assignment of a listed candidate (the summary shows only the primary one): N+1 by design, so a delta reads
  only changed candidates' applications. Their files come from ``/candidates/{id}/attachments``.
* Stages are per job: the fixed statuses split by the job's hiring process sub-statuses
  (``/configuration/hiring-processes/{id}``); a change of a hiring process reaches unchanged jobs at the next
  full sync. Public postings (job postings) come from the Posting API for ``config.company_identifier`` and
  are matched to jobs by ``refNumber``; an edited posting that does not move its job waits for a full sync.
* Tags are plain strings on candidates (no tag listing): the candidate stream emits them as it meets them.
* Not served: offers, interviews and notes (no documented list shape for them in the Customer API), screening
  questions (Application API only). Notes can be written (Message API), not read.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest, Single
from atsbridge.connectors.http.source import HttpSource, HttpStream, http_stream
from atsbridge.connectors.smartrecruiters import api
from atsbridge.connectors.smartrecruiters import mappers as m
from atsbridge.connectors.smartrecruiters.actions import ACTIONS
from atsbridge.connectors.smartrecruiters.connect import CONNECT
from atsbridge.core.timeutil import format_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
USERS = "/user-api/v201804/users"


def _updated_after(since: datetime) -> Mapping[str, Any]:
    return {"updatedAfter": format_ts(since)}


def _pages(source: HttpSource, name: str, path: str, params: Mapping[str, Any]) -> Pages:
    return source.pages(name, PageRequest("GET", path, dict(params)), api.Cursor(), "content")


async def _read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    yield m.role_rows()


async def _load_postings(source: HttpSource) -> None:
    """Public postings by ``refNumber`` (every language version of a job's ad), when the company is known."""
    company = source.state.get("company_identifier")
    postings: dict[str, list[Raw]] = {}
    if company:
        request = PageRequest("GET", f"/v1/companies/{company}/postings")
        async for page in source.pages("postings", request, api.OffsetPages(), "content"):
            for posting in page:
                postings.setdefault(str(posting.get("refNumber")), []).append(posting)
    source.state["postings"] = postings


async def _read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    await _load_postings(source)
    params = dict(_updated_after(since)) if since is not None else {}
    async for page in _pages(source, stream.name, "/jobs", params):
        found = await api.fan_out(page, lambda job: api.enrich_job(source, job))
        yield [job for job in found if job is not None]


async def _read_candidates(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    params = dict(_updated_after(since)) if since is not None else {}
    async for page in _pages(source, stream.name, "/candidates", params):
        yield await api.candidates(source, page)


def _open(info: IntegrationInfo) -> HttpSource:
    source = api.open_source(info)
    source.state["company_identifier"] = info.config.get("company_identifier")
    return source


_ATTACHMENT_ID = re.compile(r"^[\w-]+/[\w-]+$")
_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``GET /candidates/{id}/attachments/{attachmentId}``: the file itself, with the API credential."""
    if not _ATTACHMENT_ID.match(remote_id):
        return None
    candidate_id, attachment_id = remote_id.split("/")
    client = api.client(info)
    try:
        response = await client.request("GET", f"/candidates/{candidate_id}/attachments/{attachment_id}")
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    finally:
        await client.aclose()
    found = _FILENAME.search(response.headers.get("content-disposition", ""))
    kind = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    return response.content, found.group(1) if found else attachment_id, kind


STREAMS: tuple[HttpStream, ...] = (
    http_stream("users", ("users",), m.map_user, USERS, paginator=api.Cursor(), records_path="content"),
    HttpStream("roles", ("roles",), m.map_role, False, fetch=_read_roles),
    http_stream("rejection_reasons", ("rejection_reasons",), m.map_rejection_reason,
                "/configuration/rejection-reasons", paginator=Single(), records_path="content"),
    http_stream("jobs", ("jobs", "application_stages"), m.map_job, "/jobs", since_params=_updated_after,
                fetch=_read_jobs),
    http_stream("candidates", ("tags", "candidates", "applications", "attachments"), m.map_candidate,
                "/candidates", since_params=_updated_after, fetch=_read_candidates),
)  # fmt: skip

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters backed by SmartRecruiters data (every candidate and job field they read is mapped).
FILTERS: dict[str, frozenset[str]] = {}  # the tool's data supports every filter of every model

CONNECTOR = Connector(
    tool="smartrecruiters",
    label="SmartRecruiters",
    passthrough=(PassthroughApi("default", api.client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
