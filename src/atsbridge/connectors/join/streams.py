"""JOIN's streams as data: jobs in full (no documented filter), applications by ``updatedAtGte`` [3p]."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.join import mappers as m

UPDATED_SINCE = kit.Since("updatedAtGte", kit.iso)

STREAMS = (
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobs", {"content": "true"})),
    kit.stream("applications", ("candidates", "applications"), m.map_application,
               kit.Listed("/applications", since=UPDATED_SINCE)),
)  # fmt: skip
