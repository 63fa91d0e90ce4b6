"""Flatchr's streams as data. No list is paged or filtered by update time: the only date filter is the
applicant search's ``start``/``end`` (MM/DD/YY, on the application date [conn], not on changes), so every run
lists columns, vacancies and applicants in full; the engine's hashing keeps unchanged records untouched and
complete listings find the deletions (an archived applicant leaves the search)."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.flatchr import mappers as m
from atsbridge.connectors.flatchr.api import COLUMNS, VACANCIES

#: An empty search body lists every applicant of the company [conn HrFlow: unset filters are left out].
SEARCH = kit.Listed("/search/applicants", method="POST", body={})

STREAMS = (
    kit.stream("columns", "application_stages", m.map_column, kit.Listed("/columns"),
               publishes=[kit.Publish(COLUMNS, m.column_entry, key=lambda r: m.norm(r.get("title")))]),
    kit.stream("vacancies", "jobs", m.map_vacancy, kit.Listed("/vacancies", {"fields": "address,tags"}),
               publishes=[kit.Publish(VACANCIES, m.vacancy_entry, key=lambda r: r.get("vacancy_id"))]),
    kit.stream("applicants", ("candidates", "applications"), m.map_applicant, SEARCH,
               steps=[kit.Attach(COLUMNS, lambda r: m.norm(r.get("column")), into="_column"),
                      kit.Attach(VACANCIES, lambda r: r.get("vacancy_id"), into="_vacancy")]),
    kit.stream("rejection_reasons", "rejection_reasons", m.map_reason, kit.Static(m.reason_rows)),
)  # fmt: skip
