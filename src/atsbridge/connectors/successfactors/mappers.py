"""SuccessFactors RCM OData v2 rows -> unified records. Pure functions: no network, no database.

The only recorded SuccessFactors traffic is Employee Central's ``FOLocation`` (the envelope, ``__metadata``,
``/Date(...)/`` values, ``__deferred`` navigations): the Recruiting rows below follow the SAP API Business Hub
specs field by field (reference §2.6). Keys are strings (``Edm.Int64`` is a string in OData v2 JSON).

* A job's pipeline is its requisition's **status set** (``statusSetId``, per requisition template): the source
  attaches that set's ``JobApplicationStatus`` rows as ``_statuses``. Stage remote ids are
  ``"<jobReqId>:<appStatusId>"``, so an application names its stage without a lookup. [gap] The documents
  name an application's status by ``appStatusSetItemId`` and a status row by ``appStatusId``; they are read as
  the same id here (``stage_item`` is the one place to change if a tenant shows otherwise).
* Outcomes (§2.8): ``status`` Disqualified/Closed/Withdraw -> DECLINED; a status named "Hired On Other
  Requisition" (or a disqualify/withdraw name) -> DECLINED; ``hiredOn``/``hireDate`` set or a status named
  Hired -> HIRED; else PENDING. Status names are customer-defined: the integration's ``status_map`` (by status
  name or ``appStatusId``) decides first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.odata import date_iso, results
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

OUTCOMES = OutcomeRule(
    statuses={"disqualified": "DECLINED", "closed": "DECLINED", "withdraw": "DECLINED", "withdrawn": "DECLINED"},
    stages={"hired": "HIRED", "hired on other requisition": "DECLINED", "withdrawn by candidate": "DECLINED",
            "auto disqualified": "DECLINED", "disqualified": "DECLINED", "rejected": "DECLINED"},
)  # fmt: skip


#: Statuses only SuccessFactors sets (KBA 3151226): never offered as rejection reasons.
SYSTEM_STATUSES = frozenset({"hired on other requisition", "withdrawn by candidate", "auto disqualified",
                             "forwarded", "invited to apply"})  # fmt: skip


def dt(ctx: MapContext, value: Any) -> Any:
    return ctx.dt(date_iso(value))


def truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def stage_remote_id(job_id: object, status_id: object) -> str:
    return f"{job_id}:{status_id}"


def stage_item(app: Raw) -> str | None:
    """The application's status id (see the module docstring)."""
    status = app.get("jobAppStatus") if isinstance(app.get("jobAppStatus"), dict) else {}
    value = app.get("appStatusSetItemId") or (status or {}).get("appStatusId")
    return str(value) if value not in (None, "") else None


def _title(job: Raw) -> tuple[str | None, str | None]:
    locales = results(job.get("jobReqLocale"))
    first = next((row for row in locales if row.get("jobTitle") or row.get("externalTitle")), {})
    return first.get("externalTitle") or first.get("jobTitle"), first.get("jobDescription")


def job_status(job: Raw) -> str:
    if truthy(job.get("deleted")):
        return "ARCHIVED"
    if truthy(job.get("isDraft")):
        return "DRAFT"
    return "CLOSED" if job.get("closedDateTime") else "OPEN"


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A requisition with its status set's statuses: the stream fills both models."""
    job_id = str(raw["jobReqId"])
    name, description = _title(raw)
    city, country = raw.get("city"), raw.get("country")
    fields = {
        "name": name,
        "description": description,
        "job_code": job_id,
        "department": raw.get("department"),
        "status": job_status(raw),
        "location": {"city": city, "country": country, "raw": raw.get("location")} if city or country else None,
        "salary_amount_from": _number(raw.get("salaryMin")),
        "salary_amount_to": _number(raw.get("salaryMax")),
        "salary_currency": raw.get("currency"),
        "closed_at": dt(ctx, raw.get("closedDateTime")),
        "remote_created_at": dt(ctx, raw.get("createdDateTime")),
        "remote_updated_at": dt(ctx, raw.get("lastModifiedDateTime")),
        "custom_fields": {"templateId": raw.get("templateId"), "statusSetId": raw.get("statusSetId"),
                          "numberOpenings": raw.get("numberOpenings"), "division": raw.get("division")},
    }  # fmt: skip
    yield ctx.record("jobs", job_id, fields, {})
    for index, status in enumerate(raw.get("_statuses") or []):
        stage = {
            "name": status.get("appStatusName"),
            "index": index,
            "status": "ACTIVE",
            "job_id": ctx.ref("jobs", job_id),
            "custom_fields": {"appStatusId": status.get("appStatusId"), "appStatusSetId": status.get("appStatusSetId")},
        }
        yield ctx.record("application_stages", stage_remote_id(job_id, status.get("appStatusId")), stage)


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    emails = [e for e in dict.fromkeys((raw.get("primaryEmail"), raw.get("contactEmail"))) if e]
    city, country = raw.get("city"), raw.get("country")
    fields = {
        "first_name": raw.get("firstName"),
        "last_name": raw.get("lastName"),
        "title": raw.get("currentTitle"),
        "source": raw.get("partnerSource"),
        "email_addresses": [{"email_address": e, "type": None} for e in emails],
        "phone_numbers": [{"phone_number": raw["cellPhone"], "type": "MOBILE"}] if raw.get("cellPhone") else [],
        "location": {"city": city, "country": country} if city or country else None,
        "remote_created_at": dt(ctx, raw.get("creationDateTime")),
        "remote_updated_at": dt(ctx, raw.get("lastModifiedDateTime")),
        "custom_fields": {"externalCandidate": raw.get("externalCandidate"), "anonymized": raw.get("anonymized")},
    }
    tags = [ctx.ref("tags", t.get("tagId")) for t in results(raw.get("tags")) if t.get("tagId") is not None]
    yield ctx.record("candidates", str(raw["candidateId"]), fields, {"tag_ids": tags})


def map_tag(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("tags", str(raw["tagId"]), {"name": raw.get("label")})


def outcome(app: Raw, ctx: MapContext | None = None) -> tuple[str, str | None]:
    """(outcome, rejection reason name): the integration's map first (status name or id), then §2.8."""
    status = app.get("jobAppStatus") if isinstance(app.get("jobAppStatus"), dict) else {}
    name = (status or {}).get("appStatusName")
    names = (name, stage_item(app))
    rule_status = app.get("status")
    result = (ctx.outcome(OUTCOMES, rule_status, stage=name, names=names) if ctx is not None
              else OUTCOMES.decide(rule_status, stage=name, names=names))  # fmt: skip
    mapped = ctx is not None and any(n is not None and str(n).strip().lower() in ctx.status_map for n in names)
    if result == "PENDING" and not mapped and (app.get("hiredOn") or app.get("hireDate")):
        result = "HIRED"
    return result, (name or rule_status) if result == "DECLINED" else None


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    job_id, item = raw.get("jobReqId"), stage_item(raw)
    result, reason = outcome(raw, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "current_stage_id": ctx.ref("application_stages", stage_remote_id(job_id, item)) if job_id and item else None,
        "job_id": ctx.ref("jobs", job_id),
        "candidate_id": ctx.ref("candidates", raw.get("candidateId")),
        "remote_created_at": dt(ctx, raw.get("applicationDate") or raw.get("createdDateTime")),
        "remote_updated_at": dt(ctx, raw.get("lastModifiedDateTime")),
        "custom_fields": {"status": raw.get("status"), "source": raw.get("source"),
                          "anonymizedFlag": raw.get("anonymizedFlag"), "averageRating": raw.get("averageRating")},
    }  # fmt: skip
    yield ctx.record("applications", str(raw["applicationId"]), fields)


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``User``: [gap] ``status`` values; ``active``/``t`` (any case) read as ACTIVE."""
    active = str(raw.get("status") or "").lower() in ("active", "t", "true")
    fields = {"first_name": raw.get("firstName"), "last_name": raw.get("lastName"), "email": raw.get("email"),
              "status": "ACTIVE" if active else "INACTIVE"}  # fmt: skip
    yield ctx.record("users", str(raw["userId"]), fields, {"system_roles": []})


def map_notes(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """The application's ``jobApplicationComments`` (expanded with it) as notes of its candidate."""
    for note in results(raw.get("jobApplicationComments")):
        fields = {
            "candidate_id": ctx.ref("candidates", raw.get("candidateId")),
            "application_id": ctx.ref("applications", raw.get("applicationId")),
            "author_id": ctx.ref("users", note.get("commentator")),
            "content_html": note.get("commentContent"),
            "remote_created_at": dt(ctx, note.get("creationDate")),
        }
        yield ctx.record("notes", str(note["commentId"]), fields)


def map_application_and_notes(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield from map_application(raw, ctx)
    yield from map_notes(raw, ctx)


def map_interview(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``JobApplicationInterview`` [doc fields]; [gap] ``status`` values: ``cancelled`` read as canceled."""
    fields = {
        "title": "Interview",
        "starting_at": dt(ctx, raw.get("startDate")),
        "ending_at": dt(ctx, raw.get("endDate")),
        "application_id": ctx.ref("applications", raw.get("applicationId")),
        "canceled": str(raw.get("status") or "").lower() in ("cancelled", "canceled"),
    }
    yield ctx.record("interviews", str(raw["applicationInterviewId"]), fields, {"user_ids": []})


def map_offer(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``JobOffer`` [doc fields: no status is documented, so none is claimed]."""
    fields = {
        "application_id": ctx.ref("applications", raw.get("applicationId")),
        "custom_fields": {"salaryBase": raw.get("salaryBase"), "currency": raw.get("currency")},
    }
    yield ctx.record("offers", str(raw["offerApprovalId"]), fields)


def map_rejection_reasons(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """Rejection reasons are the statuses (of every status set) that decline: by the integration's map, else
    by ``OUTCOMES`` on their name; system statuses are left out (they cannot be set through the API)."""
    name, sid = raw.get("appStatusName"), raw.get("appStatusId")
    if str(name or "").strip().lower() in SYSTEM_STATUSES:
        return
    if ctx.outcome(OUTCOMES, None, stage=name, names=(name, sid)) == "DECLINED":
        yield ctx.record("rejection_reasons", str(sid), {"name": name})
