"""BambooHR's streams as data (``/statuses`` and ``/jobs`` are bare arrays: the API's default, no paging);
the applications read is the one escape hatch (its delta walk, see the package docstring)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.bamboohr import mappers as m
from atsbridge.connectors.bamboohr.api import (
    ALL_APPLICATIONS,
    ATS,
    DETAIL_CONCURRENCY,
    EMPLOYEES,
    PAGER,
    STATUS_CODES,
    status_id,
)  # fmt: skip
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
#: A delta stops walking the last-updated listing after this many consecutive unchanged applications.
STOP_AFTER_UNCHANGED = 10


async def _users(source: kit.KitSource, since: datetime | None) -> Pages:
    body = await source.get_json("/meta/users")
    yield list((body or {}).values())


async def _detail(source: kit.KitSource, application_id: Any) -> Raw | None:
    """The application by id; None when it was deleted after being listed."""
    try:
        found: Raw = await source.get_json(f"{ATS}/applications/{application_id}")
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    return found


async def _details(source: kit.KitSource, rows: list[Raw]) -> list[Raw]:
    found = await kit.bounded([r["id"] for r in rows], lambda rid: _detail(source, rid), DETAIL_CONCURRENCY)
    return [d for d in found if d is not None]


def _listing(source: kit.KitSource, params: dict[str, Any]) -> Pages:
    return source.listing("applications", f"{ATS}/applications", {**ALL_APPLICATIONS, **params},
                          pager=PAGER, records_path="applications")  # fmt: skip


def _touched(detail: Raw, since: datetime) -> bool:
    """Submitted or moved since the watermark (the only two clocks an application shows)."""
    stamps = [detail.get("appliedDate"), (detail.get("status") or {}).get("dateChanged")]
    return any(parse_ts(str(s)) >= since for s in stamps if s)


async def _applications(source: kit.KitSource, since: datetime | None) -> Pages:
    """Full: every application (oldest first), each read in detail. Delta: see the package docstring."""
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


def _lead(job: Raw) -> object:
    return (job.get("hiringLead") or {}).get("employeeId")


STREAMS = (
    kit.stream(  # an object keyed by user id, not a list
        "users", "users", m.map_user,
        kit.Custom(_users, reason="/meta/users answers an object keyed by user id, not a list"),
        publishes=[kit.Publish(EMPLOYEES, lambda u: u["id"], key=lambda u: u.get("employeeId"))],
    ),
    # BambooHR exposes no roles: the hiring lead is the one fixed job role
    kit.stream("roles", "roles", m.map_role, kit.Static(m.role_rows)),
    kit.stream(  # the company-wide pipeline in order: the position is the stage's index
        "statuses", ("application_stages", "rejection_reasons"), m.map_status,
        kit.Listed(f"{ATS}/statuses"), steps=[kit.Position("_index")],
        publishes=[kit.Publish(STATUS_CODES, lambda s: s.get("code"))],
    ),
    kit.stream(  # every non-deleted opening (the default statusGroups): a deleted one vanishes
        "jobs", "jobs", m.map_job, kit.Listed(f"{ATS}/jobs"),
        steps=[kit.Attach(EMPLOYEES, _lead, into="_hiring_lead_user_id")],
    ),
    kit.stream(
        "applications", ("candidates", "applications"), m.map_application,
        kit.Custom(_applications, incremental=True,
                   reason="no updated-since filter: a delta walks the last-updated listing until it is unchanged"),
        steps=[kit.Attach(STATUS_CODES, status_id, into="_status_code")],
    ),
)  # fmt: skip
