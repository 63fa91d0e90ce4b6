"""BambooHR Applicant Tracking: HTTP Basic (API key as user name, ``x`` as password) against
``https://api.bamboohr.com/api/gateway.php/{company_domain}/v1``, JSON only when asked (``Accept``).

What the API imposes, and where it is encoded:

* ``/meta/users`` is an object keyed by user id; ``/applicant_tracking/jobs`` and ``/statuses`` are bare arrays
  without paging: read in full on every run (:data:`STREAMS`).
* ``/applicant_tracking/applications`` pages with ``page=1,2,...`` until ``paginationComplete`` (or no
  ``nextPageUrl``); ``per_page`` is ignored, the server picks the size (:class:`Pager`). Rows are summaries:
  every listed application is read again by id for its detail (N+1, :func:`_details`).
* Incremental reads have only ``newSince`` (applications *submitted* after) and no updated-since filter, and
  the rows carry no update time. A delta therefore reads the new ones (``newSince``), then walks the listing
  sorted ``last_updated`` newest first and stops after :data:`STOP_AFTER_UNCHANGED` consecutive details whose
  status change and submission both precede the watermark (:func:`_read_applications`). Limit: a change that
  moves ``last_updated`` but not ``status.dateChanged`` (an applicant edit) is caught only while it sits
  within that run of the newest rows; the next full sync catches the rest.
* No deletion feed (``deletion_feed=False``): deleted applications vanish from the listing, so they are found
  by the engine after a complete full sync.
* Outcome comes from the status ``code`` (names and ids are configurable), so the source reads the status
  table first and attaches each application's code (``_status_code``).
* No candidate listing (the applicant is embedded in its application), no tags, interviews, offers, notes
  listing or scorecards. Resume/cover-letter file ids appear on the detail, but no file download endpoint is
  documented for applicant tracking, so attachments are not served.
* Rate limits are not published; the client paces at ``requests_per_second`` (default 10) and honours
  ``Retry-After`` on 429/503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors.bamboohr import mappers as m
from atsbridge.connectors.bamboohr.actions import ACTIONS
from atsbridge.connectors.bamboohr.api import (
    ALL_APPLICATIONS,
    ATS,
    DETAIL_CONCURRENCY,
    Pager,
    bounded,
    client,
    get_json,
    status_codes,
    users_by_employee,
)
from atsbridge.connectors.bamboohr.api import client as _passthrough_client
from atsbridge.connectors.bamboohr.connect import CONNECT
from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
#: A delta stops walking the last-updated listing after this many consecutive unchanged applications.
STOP_AFTER_UNCHANGED = 10


# ---------------------------------------------------------------------------------------- stream reads
async def _read_users(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    body = await get_json(source, "/meta/users")
    users = list((body or {}).values())
    source.state["employees"] = {str(u.get("employeeId")): u["id"] for u in users}
    yield users


async def _read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    yield m.role_rows()


async def _read_statuses(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    rows = await get_json(source, f"{ATS}/statuses")
    source.state["status_codes"] = {str(r["id"]): r.get("code") for r in rows}
    yield [{**row, "_index": i} for i, row in enumerate(rows)]


async def _read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Every non-deleted opening (the default ``statusGroups``): a deleted one disappears and is marked
    deleted after the full sync, like any vanished record."""
    employees = await users_by_employee(source)
    jobs = await get_json(source, f"{ATS}/jobs")
    for job in jobs:
        lead = (job.get("hiringLead") or {}).get("employeeId")
        job["_hiring_lead_user_id"] = employees.get(str(lead)) if lead is not None else None
    yield jobs


async def _detail(source: HttpSource, application_id: Any) -> Raw | None:
    """The application by id, with its status code; None when it was deleted after being listed."""
    try:
        detail: Raw = await get_json(source, f"{ATS}/applications/{application_id}")
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    codes = await status_codes(source)
    detail["_status_code"] = codes.get(str((detail.get("status") or {}).get("id")))
    return detail


async def _details(source: HttpSource, rows: list[Raw]) -> list[Raw]:
    found = await bounded([r["id"] for r in rows], lambda rid: _detail(source, rid))
    return [d for d in found if d is not None]


def _listing(source: HttpSource, params: dict[str, Any]) -> Pages:
    request = PageRequest("GET", f"{ATS}/applications", {**ALL_APPLICATIONS, **params})
    return source.pages("applications", request, Pager(), "applications")


def _touched(detail: Raw, since: datetime) -> bool:
    """Submitted or moved since the watermark (the only two clocks an application shows)."""
    stamps = [detail.get("appliedDate"), (detail.get("status") or {}).get("dateChanged")]
    return any(parse_ts(str(s)) >= since for s in stamps if s)


async def _read_applications(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Full: every application (oldest first), each read in detail. Delta: see the module docstring."""
    await status_codes(source)
    if since is None:
        async for page in _listing(source, {"sortBy": "created_date", "sortOrder": "ASC"}):
            yield await _details(source, page)
        return
    seen: set[Any] = set()
    async for page in _listing(source, {"newSince": since.strftime("%Y-%m-%d %H:%M:%S")}):
        seen.update(r["id"] for r in page)
        yield await _details(source, page)
    unchanged = 0
    async for page in _listing(source, {"sortBy": "last_updated", "sortOrder": "DESC"}):
        rows = [r for r in page if r["id"] not in seen]
        for start in range(0, len(rows), DETAIL_CONCURRENCY):
            batch = await _details(source, rows[start : start + DETAIL_CONCURRENCY])
            for detail in batch:
                unchanged = 0 if _touched(detail, since) else unchanged + 1
            yield batch
            if unchanged >= STOP_AFTER_UNCHANGED:
                return


# ------------------------------------------------------------------------------------------- open
def _open(info: IntegrationInfo) -> HttpSource:
    return HttpSource(client(info))


def _stream(name: str, models: tuple[str, ...], mapper: Any, fetch: Any, *, incremental: bool = False) -> HttpStream:
    return HttpStream(name, models, mapper, incremental, fetch=fetch)


STREAMS: tuple[HttpStream, ...] = (
    _stream("users", ("users",), m.map_user, _read_users),
    _stream("roles", ("roles",), m.map_role, _read_roles),
    _stream("statuses", ("application_stages", "rejection_reasons"), m.map_status, _read_statuses),
    _stream("jobs", ("jobs",), m.map_job, _read_jobs),
    _stream("applications", ("candidates", "applications"), m.map_application, _read_applications,
            incremental=True),
)  # fmt: skip

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters backed by BambooHR data. Not offered: candidate/application ``remote_created_after`` is fine, but
#: jobs have no employment type or visibility, and users have no roles.
FILTERS: dict[str, frozenset[str]] = {
    # only models where the tool's data lacks some filters; every other model supports them all
    "jobs": frozenset({"name_contains", "post_url", "remote_created_after", "statuses"}),
}

CONNECTOR = Connector(
    tool="bamboohr",
    label="BambooHR",
    passthrough=(PassthroughApi("v1", _passthrough_client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    connect=CONNECT,
)
