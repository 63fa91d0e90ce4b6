"""How each Teamtailor stream is read: which listing, which ``include``, which filter, what it leaves for
the streams after it in ``HttpSource.state`` (the order of ``STREAMS`` is the order of a run).

Listings without a documented ``updated-at`` filter (users, reject reasons, jobs, stages, notes, uploads) are
read in full on every run; unchanged records are not rewritten, so that costs requests, not writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.teamtailor import mappers as m
from atsbridge.connectors.teamtailor.jsonapi import Resource, attributes, fetch_one, rel_id, resources
from atsbridge.core.timeutil import format_ts

Pages = AsyncIterator[list[Resource]]

#: Relations each listing side-loads (linkage is only present for included relations).
JOB_INCLUDE = "department,locations,user,picked-questions,picked-questions.question"
CANDIDATE_INCLUDE = "custom-field-values,custom-field-values.custom-field"
APPLICATION_INCLUDE = "candidate,candidate.answers,candidate.answers.question,job,stage,reject-reason"


def updated_since(since: datetime) -> dict[str, str]:
    """``filter[updated-at][from]`` (inclusive), documented on candidates and job-applications."""
    return {"filter[updated-at][from]": format_ts(since)}


def _params(stream: HttpStream, since: datetime | None) -> dict[str, Any]:
    params = dict(stream.params)
    if since is not None and stream.since_params is not None:
        params.update(stream.since_params(since))
    return params


async def read_plain(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    async for page in resources(source, stream.name, stream.path, _params(stream, since)):
        yield page


async def read_users(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Users, remembering their ``role`` values for the roles listing."""
    roles: set[str] = set()
    async for page in resources(source, stream.name, stream.path, stream.params):
        roles.update(str(attributes(u)["role"]) for u in page if attributes(u).get("role"))
        yield page
    source.state["user_roles"] = roles


async def read_roles(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Teamtailor has no roles listing: the system roles are the ``role`` values users hold, plus the one
    job role (the job's recruiter)."""
    if "user_roles" not in source.state:
        async for _ in read_users(source, stream, None):
            pass
    roles: set[str] = source.state["user_roles"]
    yield [m.role_row(r) for r in sorted(roles)] + [dict(m.RECRUITER_ROLE)]


async def read_jobs(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Every job (``filter[status]=all``: the default lists published ones only), remembering which questions
    each asks for the applications' screening answers."""
    asked: dict[str, list[str]] = {}
    async for page in resources(source, stream.name, stream.path, stream.params):
        for job in page:
            asked[str(job["id"])] = m.job_question_ids(job)
        yield page
    source.state["job_questions"] = asked


async def job_questions(source: HttpSource, job_id: str) -> list[str] | None:
    """The questions one job asks (from this run's jobs listing, else read now); None if the job is gone."""
    known: dict[str, list[str]] = source.state.setdefault("job_questions", {})
    if job_id not in known:
        job = await fetch_one(source, f"/jobs/{job_id}", {"include": JOB_INCLUDE})
        if job is None:
            return None
        known[job_id] = m.job_question_ids(job)
    return known[job_id]


def _order(stage: Resource) -> tuple[float, str]:
    order = attributes(stage).get("row-order")
    return (float(order) if isinstance(order, int | float) else 0.0, str(stage["id"]))


async def read_stages(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """``/stages?include=job``: every job's pipeline. The index is a stage's rank by ``row-order`` within
    its job, so the whole listing is read before anything is yielded."""
    by_job: dict[str | None, list[Resource]] = defaultdict(list)
    async for page in resources(source, stream.name, stream.path, stream.params):
        for stage in page:
            by_job[rel_id(stage, "job")].append(stage)
    ordered: list[Resource] = []
    for stages in by_job.values():
        ordered += [{**s, "_index": i} for i, s in enumerate(sorted(stages, key=_order))]
    yield ordered


async def read_candidates(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Candidates changed since ``since``; their tags and resumes feed the tags and attachments streams."""
    tags: dict[str, None] = source.state.setdefault("tags", {})
    resumes: list[str] = source.state.setdefault("resumes", [])
    async for page in resources(source, stream.name, stream.path, _params(stream, since)):
        tags.update(dict.fromkeys(m.tag_rows(page)))
        resumes += [str(c["id"]) for c in page if attributes(c).get("resume")]
        yield page


async def read_tags(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """The tags of the candidates this run listed (all of them on a full sync: the tags in use)."""
    names: Mapping[str, None] = source.state.get("tags", {})
    if names:
        yield [{"name": n} for n in names]


async def with_job_questions(source: HttpSource, app: Resource) -> Resource:
    job = rel_id(app, "job")
    asked = await job_questions(source, job) if job else None
    return {**app, "_job_questions": asked} if asked is not None else app


async def read_applications(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    async for page in resources(source, stream.name, stream.path, _params(stream, since)):
        yield [await with_job_questions(source, app) for app in page]


async def read_attachments(source: HttpSource, stream: HttpStream, since: datetime | None) -> Pages:
    """Every upload (``include=candidate`` names its owner), then the resume of each candidate this run
    listed: a full run covers all resumes, a delta run the changed candidates'."""
    async for page in resources(source, stream.name, stream.path, stream.params):
        yield page
    resumes: list[str] = source.state.get("resumes", [])
    if resumes:
        yield [{"type": "resumes", "id": m.resume_remote_id(c), "_candidate": c} for c in dict.fromkeys(resumes)]


async def application(source: HttpSource, app_id: str) -> Resource | None:
    """One job application as the applications stream reads it (for write-through and imports)."""
    app = await fetch_one(source, f"/job-applications/{app_id}", {"include": APPLICATION_INCLUDE})
    return await with_job_questions(source, app) if app is not None else None


async def candidate(source: HttpSource, candidate_id: str) -> Resource | None:
    return await fetch_one(source, f"/candidates/{candidate_id}", {"include": CANDIDATE_INCLUDE})
