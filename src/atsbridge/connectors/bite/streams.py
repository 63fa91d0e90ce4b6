"""BITE's streams as data.

No updated-since filter is known for any search [gap], and BITE has no deletion feed: every run lists users,
the global statuses, the postings (search, then ``GET`` each by id: the search answers ids only [conn]), the
candidates, and each candidate's notes and documents. The engine's record hashing keeps unchanged records
untouched; a complete full listing finds the deletions.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.bite import mappers as m
from atsbridge.connectors.bite.api import ALL, CANDIDATES, candidate_context

#: Plain lists answer a bare array, unpaged [gap].
ONE = kit.Single()

STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users", pager=ONE, records_path=None)),
    kit.stream("statuses", "application_stages", m.map_status, kit.Listed("/statuses", pager=ONE, records_path=None),
               steps=[kit.Position(into="_index")]),
    kit.stream("jobpostings", "jobs", m.map_job, kit.Listed("/jobpostings/search", method="POST", body=ALL),
               steps=[kit.Detail("/jobpostings/{id}", into="_posting")]),
    kit.stream("candidates", ("candidates", "applications"), m.map_candidate,
               kit.Listed("/candidates/search", method="POST", body=ALL),
               publishes=[kit.Publish(CANDIDATES, candidate_context)]),
    kit.stream("notes", "notes", m.map_note,
               kit.FanOut(CANDIDATES, {"notes": "/candidates/{key}/notes"}, parent_into="_candidate", pager=ONE,
                          records_path=None)),
    kit.stream("documents", "attachments", m.map_document,
               kit.FanOut(CANDIDATES, {"documents": "/candidates/{key}/documents"}, parent_into="_candidate",
                          pager=ONE, records_path=None)),
)  # fmt: skip
