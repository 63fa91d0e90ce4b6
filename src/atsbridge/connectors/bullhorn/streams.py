"""Bullhorn's streams: ``query/{Entity}`` with a JPQL ``where`` (``isDeleted=false``; on a delta run also
``dateLastModified>{epoch ms}``), ``orderBy=id`` and explicit ``fields`` (Bullhorn returns only ids without).

Deletions are soft (``isDeleted``): live listings leave deleted rows out, so a full sync marks them deleted,
and on a delta run one deletion query per entity (``isDeleted=true AND dateLastModified>...``, ids only)
reports the rows deleted since. Users and attachments have no modification date: listed in full every run.
Paging is by offset (``start``): a row deleted while a full listing runs shifts the later pages by one, so a
row may be missed once (marked deleted, behind the engine's breaker) and comes back on the next sync.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.bullhorn import mappers as m
from atsbridge.connectors.bullhorn.api import entity_id
from atsbridge.connectors.http.errors import RemoteError

Raw = dict[str, Any]
LIVE = "isDeleted=false"
JOB_FIELDS = ("id,title,status,isOpen,isPublic,isDeleted,employmentType,onSite,isWorkFromHome,address,externalID,"
              "clientCorporation,publishedCategory,numOpenings,description,publicDescription,salary,salaryUnit,"
              "hoursPerWeek,startDate,dateAdded,dateClosed,dateLastModified")  # fmt: skip
CANDIDATE_FIELDS = ("id,firstName,lastName,name,email,email2,email3,phone,mobile,phone2,address,companyName,occupation,"
                    "companyURL,source,status,isAnonymized,isDeleted,dateAdded,dateLastModified")  # fmt: skip
SUBMISSION_FIELDS = "id,candidate,jobOrder,status,source,isHidden,isDeleted,dateAdded,dateWebResponse,dateLastModified"
PLACEMENT_FIELDS = "id,status,jobSubmission,dateBegin"
APPOINTMENT_FIELDS = ("id,subject,type,candidateReference,jobOrder,owner,location,dateBegin,dateEnd,dateAdded,"
                      "dateLastModified,isDeleted")  # fmt: skip
NOTE_FIELDS = "id,action,comments,commentingPerson,personReference,jobOrder,dateAdded,dateLastModified,isDeleted"
FILE_FIELDS = "id,candidate,name,type,contentType,contentSubType,fileSize,dateAdded,isDeleted"
USER_FIELDS = "id,firstName,lastName,email,enabled,isDeleted"


def changed(base: str) -> kit.Since:
    """``where=<base> AND dateLastModified>{epoch ms}`` (Bullhorn's timestamps are epoch ms)."""
    return kit.Since("where", lambda ts: f"{base} AND dateLastModified>{kit.epoch_ms(ts)}")


def query(entity: str, fields: str, *, incremental: bool = True) -> kit.Listed:
    params = {"where": LIVE, "fields": fields, "orderBy": "id"}
    return kit.Listed(f"/query/{entity}", params, since=changed(LIVE) if incremental else None)


def _ids(values: Any) -> str:
    return ",".join(v for v in (str(x) for x in values) if v.isdigit())


async def with_placements(source: kit.KitSource, page: list[Raw]) -> list[Raw]:
    """Attach each submission's Placement (``_placement``): one query per page, by submission ids."""
    ids = _ids(r.get("id") for r in page)
    if ids:
        where = {"where": f"jobSubmission.id IN ({ids})", "fields": PLACEMENT_FIELDS}
        rows = await source.all_records("placements", "/query/Placement", where)
        by_submission = {entity_id(p.get("jobSubmission")): p for p in rows}
        for row in page:
            row["_placement"] = by_submission.get(str(row.get("id")))
    return page


async def applications(source: kit.KitSource, since: datetime | None) -> AsyncIterator[list[Raw]]:
    """Submissions (changed since), each with its Placement; on a delta run also the submissions whose
    Placement was made or changed since (creating a Placement need not touch the submission)."""
    params = {"where": LIVE, "fields": SUBMISSION_FIELDS, "orderBy": "id"}
    if since is not None:
        params.update(changed(LIVE).params(since))
    seen: set[str] = set()
    async for page in source.listing("applications", "/query/JobSubmission", params):
        seen.update(str(r.get("id")) for r in page)
        yield await with_placements(source, page)
    if since is None:
        return
    changes = {"where": f"dateLastModified>{kit.epoch_ms(since)}", "fields": "id,jobSubmission", "orderBy": "id"}
    placed = await source.all_records("placements", "/query/Placement", changes)
    more = sorted({s for p in placed if (s := entity_id(p.get("jobSubmission"))) and s not in seen})
    for i in range(0, len(more), 200):
        where = f"{LIVE} AND id IN ({_ids(more[i : i + 200])})"
        async for page in source.listing("applications", "/query/JobSubmission", {**params, "where": where}):
            yield await with_placements(source, page)


async def stages(source: kit.KitSource, since: datetime | None) -> AsyncIterator[list[Raw]]:
    body = await source.get_json("/settings/jobResponseStatusList")
    values = body.get("jobResponseStatusList") if isinstance(body, dict) else None
    if not isinstance(values, list):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Bullhorn's settings answer has no jobResponseStatusList")
    names = list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))
    yield [{"name": name, "index": i} for i, name in enumerate(names)]


STREAMS = (
    kit.stream("users", "users", m.map_user, query("CorporateUser", USER_FIELDS, incremental=False)),
    kit.stream("statuses", "application_stages", m.map_stage,
               kit.Custom(stages, reason="the stages are a bare string list under one settings key")),
    kit.stream("jobs", "jobs", m.map_job, query("JobOrder", JOB_FIELDS)),
    kit.stream("candidates", "candidates", m.map_candidate, query("Candidate", CANDIDATE_FIELDS)),
    kit.stream("applications", "applications", m.map_application,
               kit.Custom(applications, incremental=True,
                          reason="a delta also re-reads, by id, the submissions whose Placement changed")),
    kit.stream("appointments", "interviews", m.map_interview, query("Appointment", APPOINTMENT_FIELDS)),
    kit.stream("notes", "notes", m.map_note, query("Note", NOTE_FIELDS)),
    kit.stream("files", "attachments", m.map_attachment,
               query("CandidateFileAttachment", FILE_FIELDS, incremental=False)),
)  # fmt: skip


def _deleted(entity: str, model: str) -> kit.DeletionFeed:
    """Soft-deleted rows since the last run (a full run finds them by listing: its query matches nothing)."""
    return kit.DeletionFeed(f"/query/{entity}", model, since=changed("isDeleted=true"),
                            params={"where": "isDeleted=true AND id<0", "fields": "id", "orderBy": "id"})  # fmt: skip


DELETIONS = tuple(_deleted(e, model) for e, model in (("Candidate", "candidates"), ("JobSubmission", "applications"),
                  ("JobOrder", "jobs"), ("Appointment", "interviews"), ("Note", "notes")))  # fmt: skip
