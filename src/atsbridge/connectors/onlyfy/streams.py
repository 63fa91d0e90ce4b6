"""Onlyfy's streams as data. No updated-since filter and no deletion feed is verified [gap]: every run lists
each resource in full, the engine's record hashing keeps unchanged records untouched, and complete full listings
mark what vanished deleted (Kombo itself exposes onlyfy deletions from a full diff [3p])."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.onlyfy import mappers as m
from atsbridge.connectors.onlyfy.api import TAGS

STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/user")),
    kit.stream("candidate_tags", "tags", m.map_tag, kit.Listed("/candidate_tag"),
               publishes=[kit.Publish(TAGS, kit.row)]),
    kit.stream("status_sets", "application_stages", m.map_status_set, kit.Listed("/status_set")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/job")),
    kit.stream("candidates", "candidates", m.map_candidate, kit.Listed("/candidate")),
    kit.stream("applications", "applications", m.map_application, kit.Listed("/application")),
)  # fmt: skip
