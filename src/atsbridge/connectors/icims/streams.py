"""iCIMS reads: every profile type is searched (ids only, 1000 a search, by id) and then read by id.

Incremental: the search filters ``<entity>.updateddate >=`` the last sync [doc]. iCIMS has no deletion feed:
a deleted profile simply stops being found, so deletions are detected by the engine after a *complete* full
listing only (a failed or partial run marks nothing deleted). Status nodes (the tenant's workflow) are read
off the workflows: [gap] the List API that enumerates them is partner-documented only, so a node no workflow
sits in is not listed.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.icims import mappers as m
from atsbridge.connectors.icims.api import STATUSES, profiles

JOB_FIELDS = "jobtitle,joblocation,numberofpositions,positioncategory,folder,hiringmanager,department,externalid," \
             "createddate,updateddate"  # fmt: skip
PERSON_FIELDS = "firstname,lastname,email,phones,addresses,createddate,updateddate"
WORKFLOW_FIELDS = "baseprofile,associatedprofile,status,source,sourcename,createddate,updateddate"


def _status(table: dict[Any, dict[str, Any]], raw: dict[str, Any]) -> None:
    status = raw.get("status")
    if isinstance(status, dict) and status.get("id"):
        table[str(status["id"])] = m.stage_row(status)


STREAMS = (
    kit.stream("jobs", "jobs", m.map_job, profiles("jobs", "job", JOB_FIELDS)),
    kit.stream("applicantworkflows", "applications", m.map_workflow,
               profiles("applicantworkflows", "applicantworkflow", WORKFLOW_FIELDS),
               publishes=[kit.Publish(STATUSES, fold=_status)]),
    kit.stream("statuses", "application_stages", m.map_stage, kit.Derived(STATUSES, lambda _key, node: [node])),
    kit.stream("people", "candidates", m.map_person, profiles("people", "person", PERSON_FIELDS)),
)  # fmt: skip
