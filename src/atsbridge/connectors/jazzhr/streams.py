"""JazzHR's streams as data. No listing filters by update time (only ``from_apply_date``/``from_open_date``,
creation days), so every stream is a full listing on every run: a change shows as a changed record hash, a
deletion as an absence the engine marks after a complete listing (no deletion feed exists)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.jazzhr import mappers as m
from atsbridge.connectors.jazzhr.api import APPLICANT_JOBS, HIRES, pair, publish_jobs

Raw = dict[str, Any]


def _with_hire(raw: Raw, hires: dict[Any, Any]) -> Raw:
    return {**raw, "_hire": hires.get(pair(raw.get("applicant_id"), raw.get("job_id")))}


def _with_progress(raw: Raw, jobs: dict[Any, Any]) -> Raw:
    key = pair(raw.get("applicant_id"), raw.get("job_id"))
    return {**raw, "_progress": (jobs.get(key) or {}).get("applicant_progress")}


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users")),
    kit.stream("categories", "tags", m.map_category, kit.Listed("/categories")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobs")),
    kit.lookup_only("hires", kit.Listed("/hires"), [kit.Publish(HIRES, kit.row, key=m.hire_key)]),
    # the list row lacks email, links, comments and tags: one detail call per applicant (rate-paced)
    kit.stream(
        "applicants", ("candidates", "notes"), m.map_applicant, kit.Listed("/applicants"),
        steps=[kit.Detail("/applicants/{id}", into="_detail")],
        publishes=[kit.Publish(APPLICANT_JOBS, fold=publish_jobs)],
    ),
    kit.stream(
        "applicants2jobs", "applications", m.map_application, kit.Listed("/applicants2jobs"),
        steps=[kit.Enrich(HIRES, _with_hire), kit.Enrich(APPLICANT_JOBS, _with_progress)],
    ),
)  # fmt: skip
