"""Lever's streams and deletion feeds as data (the order the engine lists them follows the lookups)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.lever import mappers as m
from atsbridge.connectors.lever.api import API, ARCHIVE_REASONS, OPPORTUNITIES, archive_reason_id, opportunity_context

#: Opportunities and postings filter on ``updated_at_start``, in epoch milliseconds.
UPDATED_SINCE = kit.Since("updated_at_start", kit.epoch_ms)


def _per_opportunity(*subs: str) -> kit.FanOut:
    """N+1: Lever has no cross-opportunity listing of these (and no date filter on them)."""
    paths = {sub: f"/opportunities/{{key}}/{sub}" for sub in subs}
    return kit.FanOut(OPPORTUNITIES, paths, parent_into="_opportunity", label_into="_kind")


STREAMS = (
    # deactivated users must not look deleted
    kit.stream("users", "users", m.map_user, kit.Listed("/users", {"includeDeactivated": "true"})),
    # Lever has no roles endpoint: access roles and posting roles are fixed
    kit.stream("roles", "roles", m.map_role, kit.Static(m.role_rows)),
    kit.stream("tags", "tags", m.map_tag, kit.Listed("/tags")),
    kit.stream(
        "archive_reasons", "rejection_reasons", m.map_archive_reason, kit.Listed("/archive_reasons"),
        publishes=[kit.Publish(ARCHIVE_REASONS, kit.row)],
    ),
    kit.stream(  # each with its application form (screening questions); drafts and closed ones have none
        "postings", "jobs", m.map_posting, kit.Listed("/postings", since=UPDATED_SINCE),
        steps=[kit.Detail("/postings/{id}/apply", into="_apply", data_path="data", tolerate=(400, 404))],
    ),
    # the one org-wide pipeline, in order: the position is the stage's index
    kit.stream("stages", "application_stages", m.map_stage, kit.Listed("/stages"), steps=[kit.Position("_index")]),
    kit.stream(  # applications inline: the plain listing has their ids only
        "opportunities", ("candidates", "applications"), m.map_opportunity,
        kit.Listed("/opportunities", {"expand": "applications"}, since=UPDATED_SINCE),
        steps=[kit.Attach(ARCHIVE_REASONS, archive_reason_id, into="_archive_reason")],
        publishes=[kit.Publish(OPPORTUNITIES, opportunity_context)],
    ),
    kit.stream("interviews", "interviews", m.map_interview, _per_opportunity("interviews")),
    kit.stream("offers", "offers", m.map_offer, _per_opportunity("offers")),
    kit.stream("notes", "notes", m.map_note, _per_opportunity("notes")),
    kit.stream("feedback", "scorecards", m.map_feedback, _per_opportunity("feedback")),
    kit.stream("attachments", "attachments", m.map_attachment, _per_opportunity("resumes", "files")),
)  # fmt: skip

DELETED_SINCE = kit.Since("deleted_at_start", kit.epoch_ms)
DELETIONS = (
    kit.DeletionFeed("/opportunities/deleted", "candidates", DELETED_SINCE),
    kit.DeletionFeed("/applications/deleted", "applications", DELETED_SINCE),
    kit.DeletionFeed("/postings/deleted", "jobs", DELETED_SINCE),
)


class LeverSource(kit.KitSource):
    """The source over a given client (tests and tools that build their own client)."""

    def __init__(self, client: HttpClient, config: Mapping[str, Any]):
        super().__init__(API, client, config, streams=kit.resolve(STREAMS), deletion_feeds=DELETIONS)
