"""Customer API streams: the status referential (stages, listed in full: a small list) and the three exports,
each read as a delta with ``modifiedSince``. No deletion feed is documented: full syncs find deletions."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.talentsoftcustomer import mappers as m
from atsbridge.connectors.talentsoftcustomer.api import MODIFIED_SINCE

STREAMS = (
    kit.stream("applicationevents", "application_stages", m.map_event, kit.Listed("/v1/referentials/applicationevents"),
               steps=[kit.Position()]),
    kit.stream("vacancies", "jobs", m.map_vacancy, kit.Listed("/exports/v1/vacancies", since=MODIFIED_SINCE)),
    kit.stream("candidates", "candidates", m.map_candidate, kit.Listed("/exports/v1/candidates", since=MODIFIED_SINCE)),
    kit.stream("applications", "applications", m.map_application,
               kit.Listed("/exports/v1/applications", since=MODIFIED_SINCE)),
)  # fmt: skip
