"""Teamtailor's streams as data (the engine orders them by the lookups they read).

Listings without a documented ``updated-at`` filter (users, reject reasons, jobs, stages, notes, uploads) are
read in full on every run; unchanged records are not rewritten, so that costs requests, not writes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.teamtailor import mappers as m
from atsbridge.connectors.teamtailor.api import JOB_QUESTIONS, RESUMES, TAGS, UPDATED_SINCE, USER_ROLES
from atsbridge.connectors.teamtailor.jsonapi import Resource, attributes, rel_id

Raw = dict[str, Any]

#: Relations each listing side-loads (linkage is only present for included relations).
JOB_INCLUDE = "department,locations,user,picked-questions,picked-questions.question"
CANDIDATE_INCLUDE = "custom-field-values,custom-field-values.custom-field"
APPLICATION_INCLUDE = "candidate,candidate.answers,candidate.answers.question,job,stage,reject-reason"


def _role(table: dict[Any, str], user: Raw) -> None:
    role = attributes(user).get("role")
    if role:
        table[str(role)] = str(role)


def _tags(table: dict[Any, str], candidate: Raw) -> None:
    table.update({t: t for t in m.tag_rows([candidate])})


def _resume(table: dict[Any, str], candidate: Raw) -> None:
    if attributes(candidate).get("resume"):
        table[str(candidate["id"])] = str(candidate["id"])


async def _roles(source: kit.KitSource, since: datetime | None) -> kit.reads.Pages:
    roles = await source.lookup(USER_ROLES)
    yield [m.role_row(r) for r in sorted(roles)] + [dict(m.RECRUITER_ROLE)]


def _order(stage: Resource) -> tuple[float, str]:
    order = attributes(stage).get("row-order")
    return (float(order) if isinstance(order, int | float) else 0.0, str(stage["id"]))


async def _stages(source: kit.KitSource, since: datetime | None) -> kit.reads.Pages:
    by_job: dict[str | None, list[Resource]] = defaultdict(list)
    async for page in source.listing("stages", "/stages", {"include": "job"}):
        for stage in page:
            by_job[rel_id(stage, "job")].append(stage)
    ordered: list[Resource] = []
    for stages in by_job.values():
        ordered += [{**s, "_index": i} for i, s in enumerate(sorted(stages, key=_order))]
    yield ordered


async def _attachments(source: kit.KitSource, since: datetime | None) -> kit.reads.Pages:
    async for page in source.listing("uploads", "/uploads", {"include": "candidate"}):
        yield page
    resumes = await source.lookup(RESUMES, since)
    if resumes:
        yield [{"type": "resumes", "id": m.resume_remote_id(c), "_candidate": c} for c in resumes]


def _job(app: Raw) -> str | None:
    return rel_id(app, "job")


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users"), publishes=[kit.Publish(USER_ROLES, fold=_role)]),
    kit.stream("roles", "roles", m.map_role, kit.Custom(
        _roles, reason="the users' role values plus the one job role (recruiter), in one page", reads=(USER_ROLES,))),
    kit.stream("reject_reasons", "rejection_reasons", m.map_reject_reason, kit.Listed("/reject-reasons")),
    kit.stream(  # filter[status]=all: the default lists published jobs only
        "jobs", "jobs", m.map_job, kit.Listed("/jobs", {"filter[status]": "all", "include": JOB_INCLUDE}),
        publishes=[kit.Publish(JOB_QUESTIONS, m.job_question_ids)],
    ),
    kit.stream("stages", "application_stages", m.map_stage, kit.Custom(
        _stages, reason="a stage's index is its rank by row-order within its job: the whole listing first")),
    kit.stream(
        "candidates", "candidates", m.map_candidate,
        kit.Listed("/candidates", {"include": CANDIDATE_INCLUDE}, since=UPDATED_SINCE),
        publishes=[kit.Publish(TAGS, fold=_tags), kit.Publish(RESUMES, fold=_resume)],
    ),
    # tags and resumes come from the candidates this run listed: partial on a delta
    kit.stream("tags", "tags", m.map_tag, kit.Derived(TAGS, lambda name, _: [{"name": name}])),
    kit.stream(
        "job_applications", "applications", m.map_application,
        kit.Listed("/job-applications", {"include": APPLICATION_INCLUDE}, since=UPDATED_SINCE),
        steps=[kit.Attach(JOB_QUESTIONS, _job, into="_job_questions")],
    ),
    kit.stream("notes", "notes", m.map_note, kit.Listed("/notes")),
    kit.stream("uploads", "attachments", m.map_attachment, kit.Custom(
        _attachments, reason="two sources: every /uploads row, then the resumes of the candidates this run listed",
        reads=(RESUMES,), incremental=True)),
)  # fmt: skip
