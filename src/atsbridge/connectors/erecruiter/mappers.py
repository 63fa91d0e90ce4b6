"""eRecruiter (erecruiter.net) records -> unified records. Pure functions: no network, no database.

Shapes: the response classes of the vendor's own .NET client (``eRecruiter/eRecruiter.Api``: ``JobResponse``,
``ApplicantResponse``, ``ApplicationResponse``, ``UserResponse``, ``ApplicantDocumentResponse``) [doc]; only the
token answer was recorded (``fakes/erecruiter/payloads``). Property names are PascalCase as the client
deserialises them. Enums (``WorkflowStatusGroup``, ``JobStatus``, ``Gender``) are numbers with ASP.NET Web API's
default JSON settings, names with a string-enum converter [gap: unrecorded]: both are read.

What the source attaches (``streams.py``):

* applicants: ``{"id", "_applicant": ApplicantResponse | None, "_applications": [ApplicationResponse] | None}``
  (None: the applicant was deleted between the listing and the read);
* documents: ``_applicant`` ``{"id"}`` of the applicant they belong to.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]

#: ``WorkflowStatusGroup`` in declaration order (its JSON number is the index) [doc].
GROUPS = ("None", "New", "Internal", "Proposed", "External", "Rejected", "Accepted")
#: ``JobStatus``: Open = 0, Draft = 1, Engaged = 2 (filled), Repositioned = 3, Cancelled = 4 [doc].
JOB_STATUSES = ("Open", "Draft", "Engaged", "Repositioned", "Cancelled")
_JOB_STATUS = {"Open": "OPEN", "Draft": "DRAFT", "Engaged": "CLOSED", "Repositioned": "ARCHIVED",
               "Cancelled": "ARCHIVED"}  # fmt: skip
GENDERS = ("Unknown", "Male", "Female")
_GENDER = {"Male": "MALE", "Female": "FEMALE"}

#: The application's workflow status group decides: ``Accepted`` hires, ``Rejected`` declines. Status names are
#: the customer's own (the per-integration status map is checked against them first).
OUTCOMES = OutcomeRule(statuses={"accepted": "HIRED", "rejected": "DECLINED"}, default="PENDING")
ATTACHMENT_TYPES = {"cv": "CV", "lebenslauf": "CV", "resume": "CV", "anschreiben": "COVER_LETTER",
                    "motivationsschreiben": "COVER_LETTER", "cover letter": "COVER_LETTER"}  # fmt: skip


def enum_name(value: Any, names: tuple[str, ...]) -> str | None:
    """A .NET enum sent as its number or its name -> its name (None when unknown)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return names[value] if 0 <= value < len(names) else None
    found = text(value)
    return next((n for n in names if found and n.lower() == found.lower()), None)


def group(app: Raw) -> str | None:
    return enum_name(app.get("WorkflowStatusGroup"), GROUPS)


def map_user(raw: Raw, ctx: MapContext) -> Records:
    """``GET Api/Users/``: the user name is usually the e-mail address (used as such only when it is one)."""
    name = text(raw.get("UserName"))
    fields = {"first_name": text(raw.get("FirstName")), "last_name": text(raw.get("LastName")),
              "email": name if name and "@" in name else None,
              "status": "ACTIVE" if raw.get("IsEnabled") is not False else "INACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["Id"], fields, {"system_roles": []})


def map_job(raw: Raw, ctx: MapContext) -> Records:
    """A published job (``PublishedJobs``); its publications (``PublishedOn``) are its postings."""
    status = enum_name(raw.get("Status"), JOB_STATUSES)
    postings = [
        {"id": ctx.ref("job_postings", f"{raw['Id']}:{p.get('Name')}"), "remote_id": f"{raw['Id']}:{p.get('Name')}",
         "title": raw.get("Title"), "status": "ACTIVE", "visibility": "PUBLIC",
         "url": text(p.get("JobAdUrl")) or text(p.get("ApplyUrl"))}
        for p in raw.get("PublishedOn") or [] if isinstance(p, dict) and p.get("Name")
    ]  # fmt: skip
    location = text(raw.get("Location")) or text(raw.get("InternalLocation"))
    fields = {
        "name": text(raw.get("Title")) or text(raw.get("InternalName")),
        "description": text(raw.get("Html")),
        "category": ", ".join(str(p) for p in raw.get("JobProfiles") or []) or None,
        "status": _JOB_STATUS.get(status or ""),
        "location": {"raw": location} if location else None,
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("UpdateDate")),
        "custom_fields": {"InternalName": raw.get("InternalName"), "MandatorId": raw.get("MandatorId"),
                          "Regions": raw.get("Regions") or [], "OccupationTypes": raw.get("OccupationTypes") or [],
                          "CareerLevels": raw.get("CareerLevels") or [], "Tags": raw.get("Tags") or [],
                          "CustomerName": raw.get("CustomerName"), "ExpirationDate": raw.get("ExpirationDate"),
                          "UserFullName": raw.get("UserFullName"), "UserEmail": raw.get("UserEmail")},
    }  # fmt: skip
    yield ctx.record("jobs", raw["Id"], fields, {"job_postings": postings})


def map_candidate(person: Raw, ctx: MapContext) -> UnifiedRecord:
    """``ApplicantResponse``: updated when a user or the applicant last edited it (the later of the two)."""
    email, phone, mobile = text(person.get("Email")), text(person.get("Phone")), text(person.get("MobilePhone"))
    location = {"street_1": text(person.get("Street")), "city": text(person.get("City")),
                "zip_code": text(person.get("ZipCode")), "country": text(person.get("Country"))}  # fmt: skip
    updated = [ctx.dt(person.get(k)) for k in ("DateOfUpdateByUser", "DateOfUpdateByApplicant")]
    fields = {
        "first_name": text(person.get("FirstName")),
        "last_name": text(person.get("LastName")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": p, "type": t} for p, t in ((phone, None), (mobile, "MOBILE")) if p],
        "social_media": [{"type": "website", "link": person["Url"]}] if text(person.get("Url")) else [],
        "location": location if any(location.values()) else None,
        "source": text(person.get("Referrer")),
        "remote_created_at": ctx.dt(person.get("DateOfCreation")),
        "remote_updated_at": max((u for u in updated if u), default=None),
        "custom_fields": {k: person.get(k) for k in ("ExternalId", "GlobalId", "TitleBeforeName", "TitleAfterName",
                          "BirthDate", "Citizenship", "CareerLevel", "Classification", "IsActive", "IsLocked",
                          "JobProfiles", "Regions") if k in person}
        | {"Gender": _GENDER.get(enum_name(person.get("Gender"), GENDERS) or "")},
    }  # fmt: skip
    tags = [ctx.ref("tags", t.strip()) for t in person.get("Tags") or [] if text(t)]
    return ctx.record("candidates", person["Id"], fields, {"tag_ids": tags})


def outcome(app: Raw, ctx: MapContext) -> Any:
    return ctx.outcome(OUTCOMES, (group(app) or "").lower() or None, names=(text(app.get("Status")),))


def map_application(app: Raw, ctx: MapContext) -> UnifiedRecord:
    """``ApplicationResponse``: no dates at all; the status name is the stage, its group the outcome."""
    result = outcome(app, ctx)
    status = text(app.get("Status"))
    fields = {
        "outcome": result,
        "rejection_reason_name": None,  # the API names no rejection reasons
        "current_stage_id": ctx.ref("application_stages", status),
        "job_id": ctx.ref("jobs", app.get("JobId")),
        "candidate_id": ctx.ref("candidates", app.get("ApplicantId")),
        "custom_fields": {"ApplicantId": app.get("ApplicantId"), "JobId": app.get("JobId"), "Status": status,
                          "WorkflowStatusGroup": group(app), "Rating": app.get("Rating"),
                          "Referrer": app.get("Referrer"),
                          "ReferrerAdditionalInfo": app.get("ReferrerAdditionalInfo"),
                          "Activities": [a.get("Name") for a in app.get("AvailableActivities") or []
                                         if isinstance(a, dict)]},
    }  # fmt: skip
    return ctx.record("applications", app["Id"], fields)


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """One applicant read by id (``Api/Applicant/{id}``) and all its applications (``Api/Applications/{id}``)."""
    person = raw.get("_applicant")
    if not isinstance(person, dict) or person.get("Id") is None:
        return  # deleted since the listing
    yield map_candidate(person, ctx)
    for app in raw.get("_applications") or []:
        if isinstance(app, dict) and app.get("Id") is not None:
            yield map_application({**app, "ApplicantId": app.get("ApplicantId") or person["Id"]}, ctx)


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """A status name seen on an application (the API lists no workflow); ``group`` is its WorkflowStatusGroup."""
    fields = {"name": raw["id"], "status": "ACTIVE", "job_id": None,
              "custom_fields": {"WorkflowStatusGroup": raw.get("group")}}  # fmt: skip
    yield ctx.record("application_stages", raw["id"], fields)


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """An applicant tag: eRecruiter tags are plain strings, the text is the tag's id and name."""
    yield ctx.record("tags", raw["id"], {"name": raw["id"]})


def file_name(raw: Raw) -> str:
    name, ext = str(raw.get("Name") or raw.get("Id")), str(raw.get("FileExtension") or "").strip()
    ext = ext if not ext or ext.startswith(".") else f".{ext}"
    return name if not ext or name.lower().endswith(ext.lower()) else name + ext


def map_document(raw: Raw, ctx: MapContext) -> Records:
    """``Api/Applicant/Documents/{applicant}``: documents belong to the applicant, not to one application."""
    parent = raw.get("_applicant") or {}
    name = file_name(raw)
    kind = str(raw.get("Type") or raw.get("Name") or "").strip().lower()
    fields = {
        "candidate_id": ctx.ref("candidates", parent.get("id")),
        "application_id": None,
        "type": next((t for k, t in ATTACHMENT_TYPES.items() if kind.startswith(k)), "OTHER"),
        "file_name": name,
        "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
    }
    yield ctx.record("attachments", raw["Id"], fields)


def id_rows(key: str, value: Any) -> list[Raw]:
    return [{"id": key, "group": value if isinstance(value, str) else None}]


def fold_statuses(table: dict[Any, str], row: Raw) -> None:
    for app in row.get("_applications") or []:
        status = text(app.get("Status")) if isinstance(app, dict) else None
        if status:
            table[status] = group(app) or table.get(status) or "None"


def fold_tags(table: dict[Any, bool], row: Raw) -> None:
    person = row.get("_applicant")
    for tag in (person.get("Tags") if isinstance(person, dict) else None) or []:
        if text(tag):
            table[tag.strip()] = True
