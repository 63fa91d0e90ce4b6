"""Bullhorn REST entities -> unified records. Pure functions: no network, no database.

Shapes are those of Bullhorn's official SDK fixtures (``bullhorn/sdk-rest``, copied under
``src/atsbridge/fakes/bullhorn/payloads``) and the entity reference: dates are **epoch milliseconds**, to-one
associations are ``{"id", ...}`` stubs, to-many ones ``{"total", "data"}`` (truncated). The staffing model maps
as: JobOrder -> job, Candidate -> candidate, JobSubmission -> application, CorporateUser -> user,
Appointment -> interview, Note (about a candidate) -> note, CandidateFileAttachment -> attachment.

Stages: a JobSubmission's ``status`` is free text from the tenant's list (``settings/jobResponseStatusList``);
each status is one stage, shared by every job, with the status itself as its remote id. Outcome: a Placement
for the submission (attached by the source under ``_placement``) is HIRED; else the integration's
``status_map``, then :data:`OUTCOMES` by status name, else PENDING.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.bullhorn.api import entity_id
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: Bullhorn's stock statuses [doc entityref, 3p]; every tenant edits the list, so the status map overrides.
OUTCOMES = OutcomeRule(statuses={
    "placed": "HIRED", "offer accepted": "HIRED",
    "client rejected": "DECLINED", "candidate rejected": "DECLINED", "candidate not interested": "DECLINED",
    "rejected": "DECLINED", "not interested": "DECLINED", "withdrawn": "DECLINED", "offer rejected": "DECLINED",
})  # fmt: skip


def _location(address: Any) -> dict[str, Any] | None:
    if not isinstance(address, dict):
        return None
    keys = {"street_1": "address1", "street_2": "address2", "city": "city", "state": "state", "zip_code": "zip"}
    found = {ours: text(address.get(theirs)) for ours, theirs in keys.items()}
    return found if any(found.values()) else None


def entity_name(value: Any) -> str | None:
    return text(value.get("name")) if isinstance(value, dict) else None


def _custom(raw: Raw) -> dict[str, Any]:
    """The tenant's custom columns (``customText1``..., ``customDate1``...) that hold a value."""
    return {k: v for k, v in raw.items() if k.startswith("custom") and v not in (None, "")}


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    enabled = raw.get("enabled")
    fields = {"first_name": raw.get("firstName"), "last_name": raw.get("lastName"), "email": text(raw.get("email")),
              "status": None if enabled is None else ("ACTIVE" if enabled else "INACTIVE")}  # fmt: skip
    yield ctx.record("users", raw["id"], fields)


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``isOpen`` decides OPEN/CLOSED; the tenant's ``status`` text ("Accepting Candidates"...) is kept."""
    remote = raw.get("isWorkFromHome")
    fields = {
        "name": raw.get("title"),
        "job_code": text(raw.get("externalID")),
        "description": raw.get("publicDescription") or raw.get("description"),
        "status": "OPEN" if raw.get("isOpen") else "CLOSED",
        "visibility": "PUBLIC" if raw.get("isPublic") == 1 else "INTERNAL",
        "employment_type": text(raw.get("employmentType")),
        "remote_work_status": "REMOTE" if remote else None,
        "category": entity_name(raw.get("publishedCategory")),
        "salary_amount": raw.get("salary") or None,
        "salary_period": text(raw.get("salaryUnit")),
        "weekly_hours": raw.get("hoursPerWeek") or None,
        "location": _location(raw.get("address")),
        "opened_at": ctx.dt(raw.get("startDate") or raw.get("dateAdded")),
        "closed_at": ctx.dt(raw.get("dateClosed")) if not raw.get("isOpen") else None,
        "remote_created_at": ctx.dt(raw.get("dateAdded")),
        "remote_updated_at": ctx.dt(raw.get("dateLastModified")),
        "custom_fields": {"status": raw.get("status"), "num_openings": raw.get("numOpenings"),
                          "on_site": raw.get("onSite"), "client_corporation": entity_name(raw.get("clientCorporation")),
                          **_custom(raw)},
    }
    yield ctx.record("jobs", raw["id"], fields, {})


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """One status of ``jobResponseStatusList`` (``{"name", "index"}``): a stage of every job."""
    fields = {"name": raw["name"], "index": raw.get("index"), "status": "ACTIVE"}
    yield ctx.record("application_stages", raw["name"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    emails = [{"email_address": e, "type": None} for k in ("email", "email2", "email3") if (e := text(raw.get(k)))]
    phones = [{"phone_number": p, "type": kind} for kind, k in (("MOBILE", "mobile"), (None, "phone"), (None, "phone2"))
              if (p := text(raw.get(k)))]  # fmt: skip
    fields = {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "company": text(raw.get("companyName")),
        "title": text(raw.get("occupation")),
        "source": text(raw.get("source")),
        "email_addresses": emails,
        "phone_numbers": phones,
        "social_media": [{"type": "website", "link": raw["companyURL"]}] if text(raw.get("companyURL")) else [],
        "location": _location(raw.get("address")),
        "remote_created_at": ctx.dt(raw.get("dateAdded")),
        "remote_updated_at": ctx.dt(raw.get("dateLastModified")),
        "custom_fields": {"status": raw.get("status"), "is_anonymized": raw.get("isAnonymized"), **_custom(raw)},
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    """HIRED when a Placement exists for the submission; else the status map, then :data:`OUTCOMES`."""
    if raw.get("_placement"):
        return "HIRED"
    status = raw.get("status")
    return ctx.outcome(OUTCOMES, status) if ctx is not None else OUTCOMES.decide(status)


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    status = text(raw.get("status"))
    result = outcome(raw, ctx)
    found = raw.get("_placement")
    placement: Raw = found if isinstance(found, dict) else {}
    fields = {
        "outcome": result,
        "rejection_reason_name": status if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", status),
        "job_id": ctx.ref("jobs", entity_id(raw.get("jobOrder"))),
        "candidate_id": ctx.ref("candidates", entity_id(raw.get("candidate"))),
        "remote_created_at": ctx.dt(raw.get("dateAdded") or raw.get("dateWebResponse")),
        "remote_updated_at": ctx.dt(raw.get("dateLastModified")),
        "custom_fields": {"status": status, "source": raw.get("source"), "placement_id": placement.get("id"),
                          "placement_status": placement.get("status"), "is_hidden": raw.get("isHidden"),
                          **_custom(raw)},
    }
    yield ctx.record("applications", raw["id"], fields)


def map_interview(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An Appointment about a candidate. Bullhorn links it to the candidate and job, not to a submission, so
    ``application_id`` is left empty; its owner is its user (inline attendees come truncated, without persons)."""
    if entity_id(raw.get("candidateReference")) is None:
        return
    owner = entity_id(raw.get("owner"))
    location = text(raw.get("location"))
    fields = {
        "title": raw.get("subject"),
        "starting_at": ctx.dt(raw.get("dateBegin")),
        "ending_at": ctx.dt(raw.get("dateEnd")),
        "location": {"raw": location} if location else None,
        "remote_created_at": ctx.dt(raw.get("dateAdded")),
        "remote_updated_at": ctx.dt(raw.get("dateLastModified")),
    }
    yield ctx.record("interviews", raw["id"], fields, {"user_ids": [ctx.ref("users", owner)] if owner else []})


def map_note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """Notes about a candidate only (``personReference._subtype == "Candidate"``); the ``action`` is the title."""
    person = raw.get("personReference")
    if not isinstance(person, dict) or person.get("_subtype") != "Candidate" or entity_id(person) is None:
        return
    fields = {
        "candidate_id": ctx.ref("candidates", entity_id(person)),
        "author_id": ctx.ref("users", entity_id(raw.get("commentingPerson"))),
        "title": text(raw.get("action")),
        "content_html": raw.get("comments"),
        "remote_created_at": ctx.dt(raw.get("dateAdded")),
        "remote_updated_at": ctx.dt(raw.get("dateLastModified") or raw.get("dateAdded")),
    }
    yield ctx.record("notes", raw["id"], fields)


def attachment_remote_id(candidate_id: str, file_id: object) -> str:
    """``<candidate id>/<file id>``: the download path needs both."""
    return f"{candidate_id}/{file_id}"


def map_attachment(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    cand = entity_id(raw.get("candidate"))
    if cand is None:
        return
    kind, sub = text(raw.get("contentType")), text(raw.get("contentSubType"))
    fields = {
        "candidate_id": ctx.ref("candidates", cand),
        "type": "CV" if str(raw.get("type") or "").lower() == "resume" else "OTHER",
        "file_name": raw.get("name"),
        "content_type": f"{kind}/{sub}" if kind and sub else kind,
        "remote_created_at": ctx.dt(raw.get("dateAdded")),
        "remote_updated_at": ctx.dt(raw.get("dateAdded")),
    }
    yield ctx.record("attachments", attachment_remote_id(cand, raw["id"]), fields)
