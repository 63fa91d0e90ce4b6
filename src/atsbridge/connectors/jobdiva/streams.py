"""JobDiva's reads: one BI report per model, each a date window over the records' update time, plus the user
list (no window: the whole directory) and the deletion reports of the same window."""

from __future__ import annotations

from collections.abc import Callable

from atsbridge.connectors import kit
from atsbridge.connectors.jobdiva import mappers as m
from atsbridge.connectors.jobdiva.api import BI, SINCE, WINDOW


def _changed(path: str) -> kit.Listed:
    return kit.Listed(f"{BI}/{path}", WINDOW, since=SINCE)


def _id(*columns: str) -> Callable[[object], str | None]:
    """A deleted-record row's id: the entity's own column, else ``ID`` [gap: the deleted reports' columns]."""

    def of(row: object) -> str | None:
        if not isinstance(row, dict):
            return kit.id_field(row)
        return m.first(row, *columns, "ID")

    return of


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed(f"{BI}/UsersList")),
    kit.stream("jobs", "jobs", m.map_job, _changed("NewUpdatedJobRecords")),
    kit.stream("candidates", "candidates", m.map_candidate, _changed("NewUpdatedCandidateRecords")),
    kit.stream("applications", "applications", m.map_application, _changed("NewUpdatedActivityRecords")),
    kit.stream("notes", "notes", m.map_note, _changed("NewUpdatedCandidateNoteRecords")),
)

DELETIONS = (
    kit.DeletionFeed(f"{BI}/DeletedJobRecords", "jobs", SINCE, WINDOW, _id("JOBID")),
    kit.DeletionFeed(f"{BI}/DeletedCandidateRecords", "candidates", SINCE, WINDOW, _id("CANDIDATEID")),
    kit.DeletionFeed(f"{BI}/DeletedActivityRecords", "applications", SINCE, WINDOW, _id("ACTIVITYID")),
    kit.DeletionFeed(f"{BI}/DeletedCandidateNoteRecords", "notes", SINCE, WINDOW, _id("NOTEID")),
)
