"""Zoho Recruit streams: users, tags, the status picklist (stages), job openings, applications, candidates;
deletion feeds of the three record modules."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.zohorecruit import mappers as m
from atsbridge.connectors.zohorecruit.api import SINCE

#: Position paging can skip rows when the order moves under it: by creation time, inserts and edits land
#: after the rows already listed (only a deletion mid-listing can still shift a row; the feeds catch those).
ORDER = {"sort_by": "Created_Time", "sort_order": "asc"}


def _module(name: str) -> kit.Listed:
    return kit.Listed(f"/{name}", ORDER, since=SINCE)


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users", {"type": "AllUsers"}, records_path="users")),
    kit.stream("tags", "tags", m.map_tag, kit.Listed("/settings/tags", {"module": "Candidates"}, records_path="tags")),
    kit.stream("application_stages", ("application_stages", "rejection_reasons"), m.map_stage_field,
               kit.Listed("/settings/fields", {"module": "Applications"}, records_path="fields")),
    kit.stream("jobs", "jobs", m.map_job, _module("Job_Openings")),
    # applications before candidates: tracking learns the candidates of tracked applications from them
    kit.stream("applications", "applications", m.map_application, _module("Applications")),
    kit.stream("candidates", "candidates", m.map_candidate, _module("Candidates")),
)  # fmt: skip

DELETIONS = tuple(
    kit.DeletionFeed(f"/{module}/deleted", model, SINCE, {"type": "all"})
    for module, model in (("Candidates", "candidates"), ("Applications", "applications"), ("Job_Openings", "jobs"))
)
