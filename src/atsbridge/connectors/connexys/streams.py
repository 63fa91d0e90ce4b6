"""What the sync lists: one SOQL query per object (``kit.soql``), ordered by Id, ``SystemModstamp >=`` on a
delta run; deletions from the recycle bin (``queryAll ... IsDeleted = true``).

Tasks (notes) name their application only (``WhatId`` is polymorphic, so the candidate cannot be selected
through it): application -> candidate ids are listed in full (two columns) every run that reads notes.
Placements are read in full every run (few rows) and attached to applications by candidate + position: a
placement made without touching its application (the usual Connexys flow also moves the workflow status,
which touches it) waits for the next full sync [gap].
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.connexys import mappers as m
from atsbridge.connectors.connexys.api import (
    APPLICATION,
    APPLICATION_CANDIDATES,
    CANDIDATE,
    PLACEMENT,
    PLACEMENTS,
    POSITION,
    WORKFLOW,
    placement_key,
)

soql = kit.soql
SYSTEM = ("Id", "CreatedDate", "SystemModstamp")
USER_FIELDS = (*SYSTEM, "FirstName", "LastName", "Email", "IsActive")
WORKFLOW_FIELDS = (*SYSTEM, "Name", "cxsrec__Active__c", "cxsrec__Order__c")
JOB_FIELDS = (*SYSTEM, "Name", "OwnerId", "cxsrec__Status__c", "cxsrec__Account_name__c", "cxsrec__Job_description__c",
              "cxsrec__Job_requirements__c", "cxsrec__Country__c", "cxsrec__Contract_type__c",
              "cxsrec__Job_start_date__c", "cxsrec__Number_of_employees_to_be_hired__c")  # fmt: skip
CANDIDATE_FIELDS = (*SYSTEM, "OwnerId", "cxsrec__First_name__c", "cxsrec__Last_name__c", "cxsrec__E_mail_address__c",
                    "cxsrec__mobilePhone__c", "cxsrec__Anonymize_status__c")  # fmt: skip
APPLICATION_FIELDS = (*SYSTEM, "Name", "cxsrec__Candidate__c", "cxsrec__Position__c", "cxsrec__Workflow_status__c",
                      "cxsrec__Workflow_status__r.Name", "cxsrec__Workflow_status__r.cxsrec__Active__c",
                      "cxsrec__Created_from__c")  # fmt: skip
PLACEMENT_FIELDS = ("Id", "cxsrec__Candidate__c", "cxsrec__Position__c")
TASK_FIELDS = (*SYSTEM, "WhatId", "OwnerId", "Subject", "Description")
EVENT_FIELDS = (*SYSTEM, "WhatId", "OwnerId", "Subject", "StartDateTime", "EndDateTime", "Location")
FILE_FIELDS = (*SYSTEM, "Title", "PathOnClient", "FileExtension", "ContentSize", "FirstPublishLocationId",
               "FirstPublishLocation.Type")  # fmt: skip
#: Tasks and events about a job application (``What`` is polymorphic).
ABOUT_APPLICATION = f"What.Type = {soql.quote(APPLICATION)}"


def _candidate_of(row: dict[str, object]) -> object:
    return row.get("cxsrec__Candidate__c")


def _placement(table: dict[str, object], row: dict[str, object]) -> None:
    table[placement_key(row.get("cxsrec__Candidate__c"), row.get("cxsrec__Position__c"))] = row


def _with_placement(row: dict[str, object], table: dict[object, object]) -> dict[str, object]:
    key = placement_key(row.get("cxsrec__Candidate__c"), row.get("cxsrec__Position__c"))
    return {**row, "_placement": table.get(key)}


STREAMS = (
    kit.stream("users", "users", m.map_user, soql.listed("User", USER_FIELDS)),
    kit.stream("workflow_statuses", ("application_stages", "rejection_reasons"), m.map_workflow_status,
               soql.listed(WORKFLOW, WORKFLOW_FIELDS, incremental=False)),
    kit.stream("jobs", "jobs", m.map_job, soql.listed(POSITION, JOB_FIELDS)),
    kit.stream("candidates", "candidates", m.map_candidate, soql.listed(CANDIDATE, CANDIDATE_FIELDS)),
    kit.lookup_only("placements", soql.listed(PLACEMENT, PLACEMENT_FIELDS, incremental=False),
                    [kit.Publish(PLACEMENTS, fold=_placement)]),
    kit.stream("applications", "applications", m.map_application, soql.listed(APPLICATION, APPLICATION_FIELDS),
               steps=[kit.Enrich(PLACEMENTS, _with_placement)]),
    kit.lookup_only("application_candidates",
                    soql.listed(APPLICATION, ("Id", "cxsrec__Candidate__c"), incremental=False),
                    [kit.Publish(APPLICATION_CANDIDATES, _candidate_of, key=soql.record_id)]),
    kit.stream("tasks", "notes", m.map_note, soql.listed("Task", TASK_FIELDS, (ABOUT_APPLICATION,)),
               steps=[kit.Attach(APPLICATION_CANDIDATES, lambda row: row.get("WhatId"), into="_candidate")]),
    kit.stream("events", "interviews", m.map_interview, soql.listed("Event", EVENT_FIELDS, (ABOUT_APPLICATION,))),
    kit.stream("files", "attachments", m.map_attachment,
               soql.listed("ContentVersion", FILE_FIELDS,
                           ("IsLatest = true", f"FirstPublishLocation.Type = {soql.quote(CANDIDATE)}"))),
)  # fmt: skip

DELETIONS = tuple(soql.deleted(obj, model) for obj, model in (
    (CANDIDATE, "candidates"), (APPLICATION, "applications"), (POSITION, "jobs"), ("Task", "notes"),
    ("Event", "interviews")))  # fmt: skip
