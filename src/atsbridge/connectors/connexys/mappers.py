"""Connexys (Salesforce) rows -> unified records. Pure functions: no network, no database.

No Connexys payload was recorded: rows are Salesforce query answers (``attributes`` + the selected fields,
a selected relationship field nested under ``X__r``), with the field names of the reference (section 6.6
[conn]). Dates are Salesforce's ``2024-05-01T12:00:00.000+0000``.

Stages are the tenant's workflow statuses (one list for every job). Outcome: a placement for the
application's candidate and position (attached as ``_placement``) is HIRED; else the integration's
``status_map`` on the status name (or Id), then :data:`OUTCOMES` by name; else an inactive status
(``cxsrec__Active__c = false``: the process ended) is DECLINED, an active one PENDING. Rejection reasons are
the statuses that decide DECLINED by name (rejecting moves the application to one).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
#: Dutch and English default status names [3p: tenant-defined]; the integration's status map overrides.
OUTCOMES = OutcomeRule(statuses={
    "aangenomen": "HIRED", "geplaatst": "HIRED", "hired": "HIRED", "placed": "HIRED",
    "afgewezen": "DECLINED", "teruggetrokken": "DECLINED", "rejected": "DECLINED", "withdrawn": "DECLINED",
})  # fmt: skip
APPLICATION = "cxsrec__cxsJob_application__c"


def _rel(row: Raw, relationship: str, field: str) -> Any:
    value = row.get(relationship)
    return value.get(field) if isinstance(value, dict) else None


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    active = raw.get("IsActive")
    fields = {"first_name": raw.get("FirstName"), "last_name": raw.get("LastName"), "email": text(raw.get("Email")),
              "status": None if active is None else ("ACTIVE" if active else "INACTIVE")}  # fmt: skip
    yield ctx.record("users", raw["Id"], fields)


#: The same names for an inactive status: one no name decides ended the process without a placement.
_ENDED = replace(OUTCOMES, default="DECLINED")


def status_outcome(name: Any, rid: Any, active: Any, ctx: MapContext) -> str:
    """The status map (by name or Id), then the default names, then the ``Active`` flag."""
    return ctx.outcome(_ENDED if active is False else OUTCOMES, text(name), names=(text(name), rid))


def map_workflow_status(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    name = text(raw.get("Name"))
    yield ctx.record("application_stages", raw["Id"], {"name": name, "index": raw.get("cxsrec__Order__c")})
    if status_outcome(name, raw["Id"], raw.get("cxsrec__Active__c"), ctx) == "DECLINED":
        yield ctx.record("rejection_reasons", raw["Id"], {"name": name})


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``cxsrec__Status__c`` is a tenant picklist ("Nieuwe", "Open", "On hold", "Gesloten"...): closed words
    make CLOSED, the rest OPEN; the label is kept in custom fields."""
    status = text(raw.get("cxsrec__Status__c"))
    closed = (status or "").lower() in ("gesloten", "closed", "vervuld", "filled", "geannuleerd", "cancelled")
    parts = [raw.get(k) for k in ("cxsrec__Job_description__c", "cxsrec__Job_requirements__c") if raw.get(k)]
    fields = {
        "name": raw.get("Name"),
        "description": "".join(str(p) for p in parts) or None,
        "status": "CLOSED" if closed else "OPEN",
        "employment_type": text(raw.get("cxsrec__Contract_type__c")),
        "location": {"country": c} if (c := text(raw.get("cxsrec__Country__c"))) else None,
        "opened_at": ctx.dt(raw.get("cxsrec__Job_start_date__c")),
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
        "custom_fields": {
            "status": status,
            "account_name": raw.get("cxsrec__Account_name__c"),
            "openings": raw.get("cxsrec__Number_of_employees_to_be_hired__c"),
            "owner_id": raw.get("OwnerId"),
        },  # fmt: skip
    }
    yield ctx.record("jobs", raw["Id"], fields, {})


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    mail, phone = text(raw.get("cxsrec__E_mail_address__c")), text(raw.get("cxsrec__mobilePhone__c"))
    fields = {
        "first_name": raw.get("cxsrec__First_name__c"),
        "last_name": raw.get("cxsrec__Last_name__c"),
        "email_addresses": [{"email_address": mail, "type": None}] if mail else [],
        "phone_numbers": [{"phone_number": phone, "type": "MOBILE"}] if phone else [],
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
        "custom_fields": {"anonymize_status": raw.get("cxsrec__Anonymize_status__c")},
    }
    yield ctx.record("candidates", raw["Id"], fields, {"tag_ids": []})


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    status_id = raw.get("cxsrec__Workflow_status__c")
    name = text(_rel(raw, "cxsrec__Workflow_status__r", "Name"))
    active = _rel(raw, "cxsrec__Workflow_status__r", "cxsrec__Active__c")
    placement = raw.get("_placement")
    outcome = "HIRED" if isinstance(placement, dict) else status_outcome(name, status_id, active, ctx)
    fields = {
        "outcome": outcome,
        "rejection_reason_name": name if outcome == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", status_id) if status_id else None,
        "job_id": ctx.ref("jobs", raw.get("cxsrec__Position__c")),
        "candidate_id": ctx.ref("candidates", raw.get("cxsrec__Candidate__c")),
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
        "custom_fields": {
            "workflow_status": name,
            "created_from": raw.get("cxsrec__Created_from__c"),
            "placement_id": placement.get("Id") if isinstance(placement, dict) else None,
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["Id"], fields)


def map_note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A ``Task`` about an application (``WhatId``; its candidate attached as ``_candidate``); the subject is
    the title. A task whose application is gone (no candidate) is left out."""
    if not raw.get("_candidate"):
        return
    fields = {
        "candidate_id": ctx.ref("candidates", raw.get("_candidate")),
        "application_id": ctx.ref("applications", raw.get("WhatId")),
        "author_id": ctx.ref("users", raw.get("OwnerId")) if raw.get("OwnerId") else None,
        "title": text(raw.get("Subject")),
        "content_html": raw.get("Description"),
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
    }
    yield ctx.record("notes", raw["Id"], fields)


def map_interview(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An ``Event`` about an application; its owner is the interviewer [conn: tasks/events, (✓)]."""
    owner, where = raw.get("OwnerId"), text(raw.get("Location"))
    fields = {
        "application_id": ctx.ref("applications", raw.get("WhatId")),
        "title": raw.get("Subject"),
        "starting_at": ctx.dt(raw.get("StartDateTime")),
        "ending_at": ctx.dt(raw.get("EndDateTime")),
        "location": {"raw": where} if where else None,
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
    }
    yield ctx.record("interviews", raw["Id"], fields, {"user_ids": [ctx.ref("users", owner)] if owner else []})


def map_attachment(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A ``ContentVersion`` first published on a candidate (files hang on the candidate [3p])."""
    name = str(raw.get("PathOnClient") or raw.get("Title") or raw["Id"])
    fields = {
        "candidate_id": ctx.ref("candidates", raw.get("FirstPublishLocationId")),
        "type": "CV" if "cv" in name.lower() or "resume" in name.lower() else "OTHER",
        "file_name": name,
        "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
        "remote_created_at": ctx.dt(raw.get("CreatedDate")),
        "remote_updated_at": ctx.dt(raw.get("SystemModstamp")),
    }
    yield ctx.record("attachments", raw["Id"], fields)
