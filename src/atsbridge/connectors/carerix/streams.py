"""Carerix's streams: one GraphQL page query each, changes by ``modificationDate`` in the EOF qualifier."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from atsbridge.connectors import kit
from atsbridge.connectors.carerix import mappers as m
from atsbridge.connectors.carerix.api import GRAPHQL, selection

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: Match statuses are data nodes of this type [conn: unverified name].
MATCH_STATUS = "type = 'Matchstatus'"


def modified_since(ts: datetime) -> str:
    """Carerix stores Amsterdam-local times [doc] to the second: the qualifier compares against that wall clock,
    ``>=`` so a change in the same second as the last run is listed again rather than missed."""
    return f"modificationDate >= (NSCalendarDate) '{ts.astimezone(AMSTERDAM).strftime('%Y-%m-%d %H:%M:%S')}'"


#: The delta filter is the ``qualifier`` variable (the GraphQL pager moves it into the variables).
MODIFIED = kit.Since("qualifier", modified_since)


def page(field: str, *, since: kit.Since | None = MODIFIED, qualifier: str | None = None) -> kit.Listed:
    return kit.graphql.listed(GRAPHQL, field, selection(field), since=since, variables={"qualifier": "String"},
                              params={"qualifier": qualifier} if qualifier else None)  # fmt: skip


STREAMS = (
    kit.stream("users", "users", m.map_user, page("crUserPage", since=None)),
    kit.stream("match_statuses", "application_stages", m.map_status,
               page("crDataNodePage", since=None, qualifier=MATCH_STATUS)),
    kit.stream("vacancies", "jobs", m.map_vacancy, page("crVacancyPage")),
    kit.stream("employees", "candidates", m.map_employee, page("crEmployeePage")),
    kit.stream("matches", "applications", m.map_match, page("crMatchPage")),
    kit.stream("notes", "notes", m.map_note, page("crNotePage")),
    kit.stream("attachments", "attachments", m.map_attachment, page("crAttachmentPage")),
)  # fmt: skip
