"""Recruitee's streams as data, with the two reads that cannot be declared.

Recruitee has no ``updated_after`` filter (``/candidates`` only offers ``created_after``, which misses updates
of older candidates; ``/search/new/candidates`` filters on ``updated_at`` but is reported to ignore some of its
filters and return everything). The cheapest correct strategy is therefore:

1. list *all* candidates every run (``limit``/``offset`` until an empty page; 200 per request), and
2. compare each one's ``updated_at`` and each of its placements' ``updated_at`` with ``since`` (a placement
   moving stage does not touch its candidate's ``updated_at``; the recorded lists show exactly that), then
3. read only the changed candidates in detail (``GET /candidates/{id}``: the list lacks tags, profile fields
   and the CV), and their notes / files only when ``notes_count`` / ``attachments_count`` say there are any.

A full sync reads every candidate in detail (one request each). The candidates stream publishes what the
notes, tags and attachments streams need (``CANDIDATES``, ``NOTED``), so those follow the same changed set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.paginators import Single
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee.api import (
    API,
    CANDIDATES,
    NOTED,
    OFFERS,
    OffsetUntilEmpty,
    children,
    detail,
    get,
    one_candidate,
)
from atsbridge.core.timeutil import parse_ts

Raw = dict[str, Any]
Pages = AsyncIterator[list[Raw]]

#: Offer scopes to list: the default scope leaves archived offers out, and placements still point at them.
OFFER_SCOPES = ("not_archived", "archived")


async def read_offers(source: kit.KitSource, since: datetime | None) -> Pages:
    """Every offer of every scope, each with its pipeline (read one by one if the list leaves it out)."""
    found: dict[Any, Raw] = {}
    for scope in OFFER_SCOPES:
        pager = OffsetUntilEmpty("offers")
        async for page in source.listing(f"offers {scope}", "/offers", {"scope": scope}, pager=pager,
                                         records_path="offers"):  # fmt: skip
            found.update({o["id"]: o for o in page if isinstance(o, dict) and "id" in o})
    missing = [oid for oid, o in found.items() if "pipeline_template" not in o]
    details = await kit.bounded(missing, lambda oid: get(source, f"/offers/{oid}"), API.concurrency)
    for oid, body in zip(missing, details, strict=True):
        if body and isinstance(body.get("offer"), dict):
            found[oid] = body["offer"]
    yield list(found.values())


def job_stages(key: str, offer: Raw) -> list[Raw]:
    """Each job offer carries its own copy of its pipeline template's stages."""
    return m.pipeline(offer) if offer.get("kind") in (None, "job") else []


def _after(value: object, since: datetime) -> bool:
    try:
        return isinstance(value, str) and parse_ts(value) >= since
    except ValueError:
        return True  # unreadable: re-read rather than miss a change


def changed(candidate: Raw, since: datetime | None) -> bool:
    """The candidate or one of its placements was updated at or after ``since``."""
    if since is None:
        return True
    stamps = [candidate.get("updated_at")] + [p.get("updated_at") for p in candidate.get("placements") or []]
    return any(_after(s, since) for s in stamps)


async def read_candidates(source: kit.KitSource, since: datetime | None) -> Pages:
    """All candidates listed, the changed ones read in detail (see the module docstring)."""
    async for page in source.listing("candidates", "/candidates", pager=OffsetUntilEmpty("candidates"),
                                     records_path="candidates"):  # fmt: skip
        wanted = [c for c in page if isinstance(c, dict) and changed(c, since)]
        details = await kit.bounded(wanted, lambda c: detail(source, c["id"]), API.concurrency)
        found = [d for d in details if d is not None]
        if found:
            yield found


def listed(candidate: Raw) -> Raw:
    """What the tags and attachments streams of this run need about a candidate read."""
    return {
        "id": candidate["id"],
        "files": bool(candidate.get("attachments_count")),
        "cv": candidate.get("cv_original_url") or candidate.get("cv_url"),
        "tags": m.candidate_tags(candidate),
    }


def noted(table: dict[Any, object], candidate: Raw) -> None:
    if candidate.get("notes_count"):
        table[str(candidate["id"])] = candidate["id"]


async def read_tags(source: kit.KitSource, since: datetime | None) -> Pages:
    """The tags of the candidates this run read (all of them on a full sync: the tags in use)."""
    names = dict.fromkeys(t for info in (await source.lookup(CANDIDATES, since)).values() for t in info["tags"])
    if names:
        yield [{"name": n} for n in names]


async def read_attachments(source: kit.KitSource, since: datetime | None) -> Pages:
    """Each read candidate's CV, plus its files when ``attachments_count`` says it has any."""
    read = (await source.lookup(CANDIDATES, since)).values()
    cvs = [{"kind": "cv", "_candidate": info["id"], "url": info["cv"]} for info in read if info["cv"]]
    if cvs:
        yield cvs
    ids = [info["id"] for info in read if info["files"]]
    for start in range(0, len(ids), API.batch):
        batch = await kit.bounded(ids[start : start + API.batch], lambda cid: children(source, cid, "attachments"),
                                  API.concurrency)  # fmt: skip
        page = [row for rows in batch for row in rows]
        if page:
            yield page


STREAMS = (
    kit.stream("admins", "users", m.map_admin, kit.Listed("/admins", records_path="admins")),
    # no roles listing: the job roles are the two people an offer names
    kit.stream("roles", "roles", m.map_role, kit.Static(m.role_rows)),
    kit.stream("disqualify_reasons", "rejection_reasons", m.map_disqualify_reason,
               kit.Listed("/disqualify_reasons", records_path="disqualify_reasons")),
    kit.stream(
        "offers", "jobs", m.map_offer,
        kit.Custom(read_offers, reason="two scopes merged by id, a detail only for offers listed without pipeline"),
        publishes=[kit.Publish(OFFERS, kit.row)],
    ),
    kit.stream("stages", "application_stages", m.map_stage, kit.Derived(OFFERS, job_stages)),
    kit.stream(  # placements are embedded in candidates: one listing fills both
        "candidates", ("candidates", "applications"), m.map_candidate,
        kit.Custom(read_candidates, incremental=True,
                   reason="no updated filter: all candidates are listed and the changed ones read in detail"),
        publishes=[kit.Publish(CANDIDATES, listed), kit.Publish(NOTED, fold=noted)],
        by_id=kit.ById("/candidates/{key}", shape=one_candidate),
    ),
    kit.stream("tags", "tags", m.map_tag, kit.Custom(read_tags, reads=(CANDIDATES,), incremental=True,
                                                     reason="tags have no listing: the distinct names in use")),
    kit.stream("notes", "notes", m.map_note,
               kit.FanOut(NOTED, {"notes": "/candidates/{key}/notes"}, parent_into="_candidate",
                          records_path="notes", pager=Single())),
    kit.stream(
        "attachments", "attachments", m.map_attachment,
        kit.Custom(read_attachments, reads=(CANDIDATES,), incremental=True,
                   reason="a CV row per candidate read, plus the files of those with any"),
    ),
)  # fmt: skip


class RecruiteeSource(kit.KitSource):
    """The source over a given client (downloads, tests)."""

    def __init__(self, client: HttpClient, config: Mapping[str, Any]):
        super().__init__(API, client, config, streams=kit.resolve(STREAMS))
