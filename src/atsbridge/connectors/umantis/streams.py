"""Umantis streams. The help says filterable attributes are tagged ``#filterable`` in the tenant's OpenAPI,
but which ones (and the filter syntax) is [gap]: no updated-since filter is assumed, so every stream is a
full listing on every run. Unchanged rows hash the same and write nothing; deletions are found by the engine
after a complete listing (no deletion feed or tombstones are documented)."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.umantis import mappers as m
from atsbridge.connectors.umantis.api import APPLICATION_INCLUDE

STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobs")),
    kit.stream("stages", "application_stages", m.map_stage, kit.Listed("/stages")),
    kit.stream("persons", "candidates", m.map_person, kit.Listed("/persons")),
    kit.stream("applications", "applications", m.map_application,
               kit.Listed("/applications", {"include": APPLICATION_INCLUDE})),
)  # fmt: skip
