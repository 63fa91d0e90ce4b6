"""OTYS streams: every list is a JSON-RPC call (``kit.jsonrpc.listed``), deltas by ``lastModified``, soft
deletions by ``isDeleted`` (see ``api``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.kit import jsonrpc
from atsbridge.connectors.kit.source import Pages
from atsbridge.connectors.otys import mappers as m
from atsbridge.connectors.otys.api import (
    DELETED,
    NOT_DELETED,
    PATH,
    WHAT_CANDIDATE,
    WHAT_PROCEDURE,
    WHAT_VACANCY,
    changed_since,
    cond,
    condition,
    method,
    otys_time,
)

Raw = dict[str, Any]
LEVELS = (1, 2, 3)


def _list(name: str, service: str, what: Raw) -> kit.Custom:
    args = {"what": what, "getTotalCount": 1, "sort": {"uid": "ASC"}, **condition(NOT_DELETED)}
    return jsonrpc.listed(name, PATH, method(service, "getListEx"), args, since=changed_since)


async def _statuses(source: kit.KitSource, since: datetime | None) -> Pages:
    """``ProcedureStatus1Service``, ``2`` and ``3``: one small ``getList`` per level (``{"data": [...]}``)."""
    for level in LEVELS:
        body = jsonrpc.body(method(f"ProcedureStatus{level}Service", "getList"))
        async for page in source.listing(f"status level {level}", PATH, method="POST", body=body,
                                         pager=kit.Single(), records_path="result.data"):  # fmt: skip
            yield [{**row, "_level": level} for row in page]


STREAMS = (
    kit.stream("users", "users", m.map_user,
               kit.Listed(PATH, method="POST", body=jsonrpc.body(method("UserService", "getList")),
                          pager=kit.Single(), records_path="result.data")),
    kit.stream("procedure_statuses", "application_stages", m.map_status,
               kit.Custom(_statuses, reason="three status levels, one JSON-RPC getList each, tagged with the level")),
    kit.stream("vacancies", "jobs", m.map_vacancy, _list("vacancies", "VacancyService", WHAT_VACANCY)),
    kit.stream("candidates", "candidates", m.map_candidate, _list("candidates", "CandidateService", WHAT_CANDIDATE)),
    kit.stream("procedures", "applications", m.map_procedure,
               _list("procedures", "ProcedureService", WHAT_PROCEDURE)),
)  # fmt: skip


def _deleted(service: str) -> Any:
    def body(since: datetime | None) -> Raw:
        items = [DELETED, *([cond("lastModified", "GE", otys_time(since))] if since is not None else [])]
        return jsonrpc.body(method(service, "getListEx"), {"what": {"uid": 1}, "getTotalCount": 1, **condition(*items)})

    return body


def _uid(row: object) -> str | None:
    return str(row["uid"]) if isinstance(row, dict) and row.get("uid") else None


#: Soft deletions: the same lists with ``isDeleted`` = 1 changed since the last run.
DELETIONS = tuple(
    kit.DeletionFeed(PATH, model, method="POST", body=_deleted(service), id_of=_uid, tolerate=())
    for service, model in (("CandidateService", "candidates"), ("ProcedureService", "applications"),
                           ("VacancyService", "jobs"))
)  # fmt: skip
