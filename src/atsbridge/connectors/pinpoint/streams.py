"""Pinpoint's streams. No listing has an updated-since filter (none documented [gap]), so every stream is a
full listing on every run: unchanged rows hash the same and write nothing, and deletions are found by the
engine after a complete listing (no deletion feed exists)."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.pinpoint import mappers as m
from atsbridge.connectors.pinpoint.api import APPLICATION_INCLUDE

STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users")),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_rejection_reason, kit.Listed("/rejection_reasons")),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job, kit.Listed("/jobs", {"include": "stages"})),
    kit.stream("candidates", "candidates", m.map_candidate, kit.Listed("/candidates")),
    kit.stream("applications", "applications", m.map_application,
               kit.Listed("/applications", {"include": APPLICATION_INCLUDE})),
)  # fmt: skip
