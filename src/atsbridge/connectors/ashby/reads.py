"""How the Ashby streams are read.

**Sync tokens.** Every ``*.list`` used here hands out a ``syncToken`` on its last page; sent back later it
returns only what changed since. The source keeps the tokens it received in ``state["sync_tokens"]`` (stream
name -> token) and, for a delta run, uses the ones it was opened with (``state["sync_tokens_in"]``): a stream
with a token asks for changes only; one without lists in full (harmless: unchanged records are not rewritten).
An expired token restarts that listing in full. The engine does not yet carry vendor tokens from run to run
(see :func:`atsbridge.connectors.ashby.open_source`), so today every run lists in full and deltas are derived
from ``since`` where it saves requests: notes are fetched only for candidates updated since then.

Per-run lookups in ``HttpSource.state``: ``listed`` (candidate id -> record, for notes and files),
``global_roles`` / ``team_roles`` (for the roles listing).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors.ashby import mappers as m
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.http.source import Fetch, HttpSource, HttpStream
from atsbridge.core.timeutil import parse_ts

log = logging.getLogger("atsbridge.connectors.ashby")

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
#: Candidates whose notes make up one page for the engine (one commit).
FAN_OUT_BATCH = 25


async def token_listing(source: HttpSource, name: str, method: str, body: Raw, since: datetime | None) -> Pages:
    """A listing that uses this stream's stored ``syncToken`` on a delta run and stores the new one."""
    tokens: dict[str, str] = source.state.setdefault("sync_tokens", {})
    known = source.state.get("sync_tokens_in", {}).get(name) if since is not None else None
    if known:
        try:
            async for page in rpc.listing(source.client, name, method, {**body, "syncToken": known}, tokens):
                yield page
            return
        except rpc.SyncTokenExpired:
            log.warning("%s: Ashby's syncToken expired; listing everything again", name)
    async for page in rpc.listing(source.client, name, method, body, tokens):
        yield page


def plain(method: str, body: Raw | None = None) -> Fetch:
    """A stream fetch that is one token-aware listing."""

    async def fetch(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
        async for page in token_listing(source, stream.name, method, dict(body or {}), since):
            yield page

    return fetch


async def read_users(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    seen: set[str] = source.state.setdefault("global_roles", set())
    async for page in token_listing(source, stream.name, "user.list", {"includeDeactivated": True}, since):
        seen.update(str(u["globalRole"]) for u in page if m.text(u.get("globalRole")))
        yield page


async def read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    yield m.role_rows(source.state.get("global_roles", set()), source.state.get("team_roles", set()))


# ------------------------------------------------------------------------------------------------------- jobs


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


async def _stages(source: HttpSource, plan_id: str) -> list[Raw]:
    cache: dict[str, list[Raw]] = source.state.setdefault("plan_stages", {})
    if plan_id not in cache:
        cache[plan_id] = await rpc.collect(source.client, "interview stages", "interviewStage.list",
                                           {"interviewPlanId": plan_id})  # fmt: skip
    return cache[plan_id]


async def _postings(source: HttpSource, job_ids: set[str]) -> dict[str, list[Raw]]:
    """Job id -> ``jobPosting.info`` of its postings (listed ones first): one listing plus one call for each
    posting of the jobs being read."""
    summaries = await rpc.collect(source.client, "job postings", "jobPosting.list", {})
    wanted = [p for p in summaries if str(p.get("jobId")) in job_ids]
    by_job: dict[str, list[Raw]] = {}
    for summary in sorted(wanted, key=lambda p: (not p.get("isListed"), str(p.get("id")))):
        info = await rpc.call(source.client, "jobPosting.info", {"jobPostingId": summary["id"]})
        by_job.setdefault(str(summary.get("jobId")), []).append(info if isinstance(info, dict) else summary)
    return by_job


async def read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Jobs with their postings (descriptions, screening questions), department and owned plans' stages."""
    jobs = [j async for page in token_listing(source, stream.name, "job.list", {}, since) for j in page]
    if not jobs:
        return
    departments = {d["id"]: d for d in await rpc.collect(source.client, "departments", "department.list",
                                                         {"includeArchived": True})}  # fmt: skip
    postings = await _postings(source, {str(j["id"]) for j in jobs})
    owners = plan_owners(jobs)
    seen: set[str] = source.state.setdefault("team_roles", set())
    enriched = []
    for job in jobs:
        plans = [p for p, owner in owners.items() if owner == str(job["id"])]
        stages = [s for plan in sorted(plans) for s in await _stages(source, plan)]
        seen.update(str(t["role"]) for t in job.get("hiringTeam") or [] if m.text(t.get("role")))
        enriched.append({**job, "_postings": postings.get(str(job["id"]), []),
                         "_department": departments.get(job.get("departmentId")), "_stages": stages})  # fmt: skip
    for start in range(0, len(enriched), 100):
        yield enriched[start : start + 100]


# ------------------------------------------------------------------------------------------------ candidates


async def read_candidates(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    listed: dict[str, Raw] = source.state.setdefault("listed", {})
    async for page in token_listing(source, stream.name, "candidate.list", {}, since):
        listed.update({c["id"]: c for c in page})
        yield page


async def read_files(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Resume and file handles come with the candidate listing: no request."""
    listed: dict[str, Raw] = source.state.get("listed", {})
    rows = [{"id": cid, **{k: c.get(k) for k in ("applicationIds", "resumeFileHandle", "fileHandles")}}
            for cid, c in listed.items()]  # fmt: skip
    for start in range(0, len(rows), 500):
        yield rows[start : start + 500]


def _updated_since(candidate: Raw, since: datetime | None) -> bool:
    value = candidate.get("updatedAt")
    return since is None or value is None or parse_ts(str(value)) >= since


async def read_notes(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """``candidate.listNotes`` per listed candidate; on a delta only for those updated since ``since`` (a new
    note moves its candidate's ``updatedAt``)."""
    listed: dict[str, Raw] = source.state.get("listed", {})
    chosen = [c for c in listed.values() if _updated_since(c, since)]
    for start in range(0, len(chosen), FAN_OUT_BATCH):
        page: list[Raw] = []
        for cand in chosen[start : start + FAN_OUT_BATCH]:
            notes = await rpc.collect(source.client, "notes", "candidate.listNotes", {"candidateId": cand["id"]})
            page += [{**n, "_candidate_id": cand["id"], "_application_ids": cand.get("applicationIds") or []}
                     for n in notes]  # fmt: skip
        if page:
            yield page


async def read_interviews(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Scheduled interviews, titled from the interview definitions (``interview.list``)."""
    body = {"includeArchived": True, "includeNonSharedInterviews": True}
    titles = {i["id"]: i.get("title") for i in await rpc.collect(source.client, "interview definitions",
                                                                 "interview.list", body)}  # fmt: skip
    async for page in token_listing(source, stream.name, "interviewSchedule.list", {}, since):
        yield [{**schedule, "_titles": titles} for schedule in page]
