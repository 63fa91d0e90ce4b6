"""Workable's streams as data (the engine orders them by the lookups they read), and the thin mapper
adapters that turn what the kit attached (``_detail``, ``_parent``, ``_offer``) into what the mappers read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from atsbridge.connectors import kit
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable.api import (
    API,
    JOB_ROLES,
    LISTED,
    OFFERED,
    STAGE_SLUGS,
    SYSTEM_ROLES,
    TAGS,
    slug_table,
    stage_slugs,
)  # fmt: skip
from atsbridge.connectors.workable.candidates import map_candidate

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]
#: Only ``/jobs`` and ``/candidates`` filter by change; ISO 8601 basic form, as Workable's own example.
UPDATED = kit.Since("updated_after", kit.template("%Y%m%dT%H%M%SZ"))
#: Candidates whose offer is worth asking for: they reached the offer stage at some point.
OFFER_KINDS = frozenset({"offer", "hired"})


# ------------------------------------------------------------------------------------------ publishing


def _member_roles(table: dict[str, bool], raw: Raw) -> None:
    table.update(dict.fromkeys(m.member_roles(raw), True))


def _team_roles(table: dict[str, bool], raw: Raw) -> None:
    table.update({r["collaboration_role"]: True for r in raw.get("_members") or [] if r.get("collaboration_role")})


def _slugs(table: dict[str, dict[str, str]], raw: Raw) -> None:
    table[raw["shortcode"]] = slug_table(raw.get("_stages"))


def _tags(table: dict[str, str], raw: Raw) -> None:
    table.update({t: t for t in raw.get("tags") or [] if isinstance(t, str) and t.strip()})


def _listed(raw: Raw) -> Raw:
    return {"id": raw["id"], "resume_metadata": raw.get("resume_metadata")}


def _offered(raw: Raw) -> object:
    return raw["id"] if raw.get("moved_to_offer_at") or raw.get("stage_kind") in OFFER_KINDS else None


# ----------------------------------------------------------------------------------------- escape hatches


async def _enrich_candidate(source: kit.KitSource, listed: Raw) -> Raw:
    """The list record merged with its detail (tags, answers, ``disqualified_at``); a candidate deleted
    between the two calls keeps its list record."""
    try:
        detail = (await source.get_json(f"/candidates/{listed['id']}") or {}).get("candidate") or {}
    except RemoteError as exc:
        if exc.status != 404:
            raise
        detail = {}
    shortcode = (listed.get("job") or {}).get("shortcode")
    return {**listed, **detail, "_stage_slugs": await stage_slugs(source, shortcode) if shortcode else {}}


async def read_candidates(source: kit.KitSource, since: datetime | None) -> Pages:
    params = UPDATED.params(since) if since is not None else {}
    async for page in source.listing("candidates", "/candidates", params, records_path="candidates"):
        for shortcode in sorted({(c.get("job") or {}).get("shortcode") or "" for c in page} - {""}):
            await stage_slugs(source, shortcode)  # once per job, before the concurrent enrichment
        yield await kit.bounded(page, lambda c: _enrich_candidate(source, c), API.concurrency)


async def _team(source: kit.KitSource, job: Raw) -> Raw:
    path = f"/jobs/{quote(str(job.get('shortcode')), safe='')}/members"
    try:
        members = [r async for page in source.listing("job members", path, records_path="members") for r in page]
    except RemoteError as exc:
        if exc.status != 404:
            raise
        members = []
    return {**job, "_members": members}


async def read_jobs(source: kit.KitSource, since: datetime | None) -> Pages:
    params = UPDATED.params(since) if since is not None else {}
    async for page in source.listing("jobs", "/jobs", params, records_path="jobs"):
        yield await kit.bounded(page, lambda job: _team(source, job), API.concurrency)


async def read_roles(source: kit.KitSource, since: datetime | None) -> Pages:
    yield m.role_rows(set(await source.lookup(SYSTEM_ROLES)), set(await source.lookup(JOB_ROLES)))


# ------------------------------------------------------------------------------------------ mapper adapters


def map_job(raw: Raw, ctx: MapContext) -> m.Records:
    return m.map_job({**raw, **(raw.get("_detail") or {})}, ctx)


def map_activity(raw: Raw, ctx: MapContext) -> m.Records:
    return m.map_activity({**raw, "_candidate_id": raw.get("_candidate_id") or (raw.get("_parent") or {}).get("id")},
                          ctx)  # fmt: skip


def map_offer(raw: Raw, ctx: MapContext) -> m.Records:
    offer = raw.get("_offer")
    if isinstance(offer, dict):
        yield from m.map_offer({**offer, "_candidate_id": raw["id"]}, ctx)


def _job_detail(path: str, into: str, data_path: str | None = None) -> kit.Detail:
    return kit.Detail(f"/jobs/{{shortcode}}{path}", into=into, data_path=data_path)


STREAMS = (
    kit.stream("members", "users", m.map_member, kit.Listed("/members", records_path="members"),
               publishes=[kit.Publish(SYSTEM_ROLES, fold=_member_roles)]),
    # a bare JSON array: no envelope, no paging
    kit.stream("disqualification_reasons", "rejection_reasons", m.map_disqualification_reason,
               kit.Listed("/disqualification_reasons", pager=kit.Single(), records_path=None)),
    kit.stream(  # detail, screening questions, hiring team and pipeline: four calls per job
        "jobs", ("jobs", "application_stages"), map_job,
        kit.Custom(read_jobs, incremental=True, reason="a job's hiring team is a paged list kept on the job row"),
        steps=[_job_detail("", "_detail"), _job_detail("/questions", "_questions", "questions"),
               _job_detail("/stages", "_stages", "stages")],
        publishes=[kit.Publish(STAGE_SLUGS, fold=_slugs), kit.Publish(JOB_ROLES, fold=_team_roles)],
    ),
    kit.stream("roles", "roles", m.map_role, kit.Custom(
        read_roles, reason="Workable has no roles listing: rows from two lookups (members', hiring teams')",
        reads=(SYSTEM_ROLES, JOB_ROLES))),
    kit.stream(
        "candidates", ("candidates", "applications"), map_candidate,
        kit.Custom(read_candidates, reads=(STAGE_SLUGS,), incremental=True,
                   reason="stage slugs of jobs a delta did not re-read are fetched on demand, one call per job"),
        publishes=[kit.Publish(LISTED, _listed), kit.Publish(OFFERED, _listed, key=_offered),
                   kit.Publish(TAGS, fold=_tags)],
    ),
    # tags have no listing: those the candidates listed in this run carry (a full run: all of them)
    kit.stream("tags", "tags", m.map_tag, kit.Derived(TAGS, lambda name, _: [{"name": name}])),
    # resumes are described on the candidate list records: no extra request
    kit.stream("attachments", "attachments", m.map_resume, kit.Derived(LISTED, lambda _, raw: [raw])),
    kit.stream("events", "interviews", m.map_event, kit.Listed("/events", records_path="events")),
    # comments (notes) and ratings (scorecards) of the candidates listed in this run, one call each
    kit.stream("activities", ("notes", "scorecards"), map_activity,
               kit.FanOut(LISTED, {"activities": "/candidates/{key}/activities"}, records_path="activities")),
    # the latest offer of each listed candidate that ever reached the offer stage
    kit.stream("offers", "offers", map_offer, kit.Derived(OFFERED, lambda key, _: [{"id": key}]),
               steps=[kit.Detail("/candidates/{id}/offer", into="_offer")]),
)  # fmt: skip


class WorkableSource(kit.KitSource):
    """The source over a given client (tests and tools that build their own client)."""

    def __init__(self, client: HttpClient, config: Mapping[str, Any]):
        super().__init__(API, client, config, streams=kit.resolve(STREAMS))
