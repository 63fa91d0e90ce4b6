"""HRworks's streams as data. The applicant-management lists have **no** change filter (only ``posts``,
``statusFilter`` and ``applicants``) and no deletion feed [conn]: every run lists posts, applicants and job
applications in full (50 a page); the engine's hashing keeps unchanged records untouched and complete full
listings mark what vanished deleted. Stages are the fixed ``JobApplicationStatus`` enum (no request)."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.hrworks import mappers as m
from atsbridge.connectors.hrworks.api import APPLICANTS, APPLICATIONS, POSTS

STREAMS = (
    kit.stream("posts", "jobs", m.map_post, kit.Listed(POSTS, records_path="posts")),
    kit.stream("statuses", "application_stages", m.map_status, kit.Static(m.status_rows)),
    kit.stream("applicants", "candidates", m.map_applicant, kit.Listed(APPLICANTS, records_path="applicants")),
    kit.stream("job_applications", "applications", m.map_application,
               kit.Listed(APPLICATIONS, records_path="jobApplications")),
)  # fmt: skip
