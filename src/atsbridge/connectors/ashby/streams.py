"""Ashby's streams as data. Every list is an RPC POST whose last page carries a ``syncToken``: a delta run sends
the stored one back and gets only changes (an expired one restarts that listing in full, :class:`AshbySource`).
The order follows the lookups: users and jobs before roles, candidates before notes and files, interview
definitions before scheduled interviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.ashby import mappers as m
from atsbridge.connectors.ashby import people as p
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.ashby.api import CANDIDATES, GLOBAL_ROLES, INTERVIEW_TITLES, TEAM_ROLES, listed, seen
from atsbridge.connectors.kit.reads import Pages
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]


def plan_owners(jobs: list[Raw]) -> dict[str, str]:
    """Interview plan id -> the job whose stages they are: the job that has it as its default plan, else the
    first (lowest id) job naming it, so a plan shared by several jobs gives each stage one job."""
    owners: dict[str, str] = {}
    for job in sorted(jobs, key=lambda j: str(j["id"])):
        if job.get("defaultInterviewPlanId"):
            owners.setdefault(str(job["defaultInterviewPlanId"]), str(job["id"]))
    for job in sorted(jobs, key=lambda j: str(j["id"])):
        for plan in job.get("interviewPlanIds") or []:
            owners.setdefault(str(plan), str(job["id"]))
    return owners


async def _postings(source: kit.KitSource, job_ids: set[str]) -> dict[str, list[Raw]]:
    """Job id -> ``jobPosting.info`` of its postings (listed ones first): one listing plus one call for each
    posting of the jobs being read."""
    summaries = await rpc.collect(source.client, "job postings", "jobPosting.list", {})
    wanted = [s for s in summaries if str(s.get("jobId")) in job_ids]
    by_job: dict[str, list[Raw]] = {}
    for summary in sorted(wanted, key=lambda s: (not s.get("isListed"), str(s.get("id")))):
        info = await rpc.call(source.client, "jobPosting.info", {"jobPostingId": summary["id"]})
        by_job.setdefault(str(summary.get("jobId")), []).append(info if isinstance(info, dict) else summary)
    return by_job


async def read_jobs(source: kit.KitSource, since: datetime | None) -> Pages:
    """Jobs with their postings (descriptions, screening questions), department and owned plans' stages."""
    jobs = [j async for page in source._listed("jobs", listed("job.list"), since) for j in page]
    if not jobs:
        return
    departments = {d["id"]: d for d in await rpc.collect(source.client, "departments", "department.list",
                                                         {"includeArchived": True})}  # fmt: skip
    postings = await _postings(source, {str(j["id"]) for j in jobs})
    owners = plan_owners(jobs)
    stages: dict[str, list[Raw]] = {}
    enriched = []
    for job in jobs:
        plans = sorted(plan for plan, owner in owners.items() if owner == str(job["id"]))
        for plan in plans:
            if plan not in stages:
                stages[plan] = await rpc.collect(source.client, "interview stages", "interviewStage.list",
                                                 {"interviewPlanId": plan})  # fmt: skip
        enriched.append({**job, "_postings": postings.get(str(job["id"]), []),
                         "_department": departments.get(job.get("departmentId")),
                         "_stages": [s for plan in plans for s in stages[plan]]})  # fmt: skip
    for start in range(0, len(enriched), 100):
        yield enriched[start : start + 100]


async def read_roles(source: kit.KitSource, since: datetime | None) -> Pages:
    yield m.role_rows(set(await source.lookup(GLOBAL_ROLES)), set(await source.lookup(TEAM_ROLES)))


def candidate_context(raw: Raw) -> Raw:
    """What notes and files need of a listed candidate (``_candidate_id``, application ids, file handles)."""
    keys = ("applicationIds", "resumeFileHandle", "fileHandles", "updatedAt")
    return {"id": raw["id"], **{k: raw.get(k) for k in keys}}


def files_rows(key: str, cand: Raw) -> list[Raw]:
    return [{k: v for k, v in cand.items() if k != "updatedAt"}]


def _updated_since(candidate: Raw, since: datetime | None) -> bool:
    value = candidate.get("updatedAt")
    return since is None or value is None or parse_ts(str(value)) >= since


async def read_notes(source: kit.KitSource, since: datetime | None) -> Pages:
    """``candidate.listNotes`` per listed candidate; on a delta only for those updated since ``since`` (a new
    note moves its candidate's ``updatedAt``)."""
    listed_ = await source.lookup(CANDIDATES, since)
    chosen = [c for c in listed_.values() if _updated_since(c, since)]
    for start in range(0, len(chosen), source.api.batch):
        page: list[Raw] = []
        for cand in chosen[start : start + source.api.batch]:
            notes = await rpc.collect(source.client, "notes", "candidate.listNotes", {"candidateId": cand["id"]})
            page += [{**n, "_candidate_id": cand["id"], "_application_ids": cand.get("applicationIds") or []}
                     for n in notes]  # fmt: skip
        if page:
            yield page


def _with_titles(row: Raw, titles: dict[Any, object]) -> Raw:
    return {**row, "_titles": titles}


STREAMS = (
    kit.stream("users", "users", m.map_user, listed("user.list", {"includeDeactivated": True}),
               publishes=[kit.Publish(GLOBAL_ROLES, fold=seen("globalRole"))]),
    kit.stream("tags", "tags", m.map_tag, listed("candidateTag.list", {"includeArchived": True})),
    kit.stream("archive_reasons", "rejection_reasons", m.map_archive_reason,
               listed("archiveReason.list", {"includeArchived": True})),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job,
               kit.Custom(read_jobs, incremental=True, reason="a job row joins three other listings and the stages "
                          "of the plans it owns, decided across all jobs"),
               publishes=[kit.Publish(TEAM_ROLES, fold=seen("role", under="hiringTeam"))]),
    kit.stream("roles", "roles", m.map_role,
               kit.Custom(read_roles, reads=(GLOBAL_ROLES, TEAM_ROLES),
                          reason="Ashby lists no roles: the known catalog plus the roles users and jobs name")),
    kit.stream("candidates", "candidates", p.map_candidate, listed("candidate.list"),
               publishes=[kit.Publish(CANDIDATES, candidate_context)]),
    kit.stream("applications", "applications", p.map_application, listed("application.list")),
    kit.lookup_only("interview_definitions",
                    listed("interview.list", {"includeArchived": True, "includeNonSharedInterviews": True},
                           token=False),
                    publishes=[kit.Publish(INTERVIEW_TITLES, lambda r: r.get("title"))]),
    kit.stream("interview_schedules", "interviews", p.map_schedule, listed("interviewSchedule.list"),
               steps=[kit.Enrich(INTERVIEW_TITLES, _with_titles)]),
    kit.stream("offers", "offers", p.map_offer, listed("offer.list")),
    kit.stream("notes", "notes", p.map_note,
               kit.Custom(read_notes, reads=(CANDIDATES,), incremental=True,
                          reason="a per-candidate RPC POST with the id in the body (FanOut sends GET paths)")),
    kit.stream("feedback", "scorecards", p.map_feedback, listed("applicationFeedback.list")),
    kit.stream("files", "attachments", p.map_files, kit.Derived(CANDIDATES, files_rows)),
)  # fmt: skip
