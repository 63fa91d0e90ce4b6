"""Homerun's streams as data. No updated-since filter exists anywhere in v2 [doc]: every run lists vacancies and
applications in full, the engine's hashing keeps unchanged records untouched, and complete full listings find
the deletions (applications vanish after their GDPR retention period or a ``DELETE``)."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.homerun import mappers as m

VACANCY_INCLUDES = {"include[]": ["location", "department", "stages"]}
APPLICATION_INCLUDES = {"include[]": ["stage", "sources"]}

STREAMS = (
    kit.stream("vacancies", ("jobs", "application_stages"), m.map_vacancy, kit.Listed("/vacancies", VACANCY_INCLUDES)),
    kit.stream("job_applications", ("candidates", "applications", "notes"), m.map_application,
               kit.Listed("/job-applications", APPLICATION_INCLUDES)),
)  # fmt: skip
