"""HRworks v2 applicant-management payloads -> unified records. Pure functions: no network, no database.

Shapes: the vendor's OpenAPI 2.10 models as its generated SDK documents them (``Post``, ``PostOffer``,
``Applicant``, ``JobApplication``; no HRworks traffic was ever recorded, see
``atsbridge/fakes/hrworks/payloads/``). Identifiers: a post and an applicant are known by their ``uuid`` (the
numeric post id is deprecated; an applicant's uuid survives conversion to an employee), a job application by its
``id``. Stages are the fixed ``JobApplicationStatus`` enum, the same for every post.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: ``JobApplicationStatus`` [conn: the enum of the vendor's OpenAPI 2.10] -> its label, in pipeline order.
STATUSES = {"applied": "Applied", "inProgress": "In progress", "documentCreation": "Document creation",
            "employed": "Employed", "notEmployed": "Not employed",
            "movedToTalentPool": "Moved to talent pool"}  # fmt: skip

#: ``employed`` -> HIRED; ``notEmployed`` and ``movedToTalentPool`` (kept for later, not hired for this post) ->
#: DECLINED; the rest is still open. The integration's status map (by status id or the tenant's ``status`` label)
#: is checked first.
OUTCOMES = OutcomeRule(
    statuses={"employed": "HIRED", "notEmployed": "DECLINED", "movedToTalentPool": "DECLINED"}, default="PENDING"
)

_CONTRACT = {"permanent": "FULL_TIME", "fullTime": "FULL_TIME", "partTime": "PART_TIME", "temporary": "SEASONAL",
             "internship": "INTERNSHIP", "freelance": "CONTRACT", "apprenticeship": "INTERNSHIP"}  # fmt: skip


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def status_rows() -> list[dict[str, Any]]:
    return [{"id": key, "name": name, "index": i} for i, (key, name) in enumerate(STATUSES.items())]


def map_status(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("application_stages", raw["id"], {"name": raw["name"], "index": raw["index"],
                                                       "status": "ACTIVE", "job_id": None})  # fmt: skip


def _description(post: Raw) -> str | None:
    desc = post.get("postDescriptions")
    if isinstance(desc, str):
        return text(desc)
    parts = [v for v in obj(desc).values() if isinstance(v, str) and v.strip()]
    return "\n".join(parts) or None


def _offer(offer: Raw, post_id: str, ctx: MapContext) -> dict[str, Any]:
    rid = f"{post_id}:{offer.get('id')}"
    return {"id": ctx.ref("job_postings", rid), "remote_id": rid, "title": text(offer.get("displayName")),
            "description_html": text(offer.get("description")),
            "status": "ACTIVE" if offer.get("isActive") is True else "INACTIVE",
            "visibility": "PUBLIC" if offer.get("isActive") is True else None, "url": None}  # fmt: skip


def map_post(raw: Raw, ctx: MapContext) -> Records:
    """A post (HRworks' job) and its post offers (its publications: job postings)."""
    post_id = str(raw["uuid"])
    offers = [obj(o) for o in _list(raw.get("postOffers")) if obj(o).get("id") is not None]
    first = offers[0] if offers else {}
    contract = str(first.get("employmentContractKey") or "")
    place = str(first.get("placeOfWorkTypeKey") or "").lower()
    fields = {
        "name": text(raw.get("displayName")) or text(raw.get("name")),
        "job_code": text(raw.get("key")),
        "description": _description(raw),
        "department": text(raw.get("organizationUnitNumber")),
        "status": "OPEN" if raw.get("isActive") is True else "CLOSED",
        "employment_type": _CONTRACT.get(contract),
        "remote_work_status": "REMOTE" if "remote" in place else ("HYBRID" if "hybrid" in place else None),
        "custom_fields": {"organizationUnitUuid": raw.get("organizationUnitUuid"),
                          "scopeOfActivities": raw.get("scopeOfActivities"),
                          "scopeOfActivitiesKey": raw.get("scopeOfActivitiesKey"),
                          "postImageUrl": raw.get("postImageUrl")},
    }  # fmt: skip
    nested = {"screening_questions": [], "job_postings": [_offer(o, post_id, ctx) for o in offers]}
    yield ctx.record("jobs", post_id, fields, nested)


def _location(address: Raw) -> dict[str, Any] | None:
    street = " ".join(p for p in (text(address.get("street")), text(address.get("streetNumber"))) if p) or None
    city, country = text(address.get("city")), text(address.get("country"))
    parts = [street, text(address.get("zipCode")), city, text(address.get("state")), country]
    if not any(parts):
        return None
    return {"street_1": street, "zip_code": text(address.get("zipCode")), "city": city,
            "state": text(address.get("state")), "country": text(address.get("internationalCountryCode")) or country,
            "raw": ", ".join(p for p in parts if p)}  # fmt: skip


def candidate_fields(applicant: Raw) -> dict[str, Any]:
    address = obj(applicant.get("address"))
    email, phone = text(applicant.get("email")), text(address.get("phone"))
    return {
        "first_name": text(applicant.get("firstName")),
        "last_name": text(applicant.get("lastName")),
        "title": text(applicant.get("title")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": _location(address),
        "custom_fields": {k: applicant.get(k) for k in (
            "birthday", "gender", "salutation", "earliestPossibleJoinDate", "languageCode", "isActive",
            "placeOfBirth", "fieldOfStudy")},
    }  # fmt: skip


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("candidates", str(raw["uuid"]), candidate_fields(raw), {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    status, label = raw.get("statusIdentifier"), text(raw.get("status"))
    if ctx is None:
        return OUTCOMES.decide(status, names=(label,))
    return ctx.outcome(OUTCOMES, status, names=(label,))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """A job application; its applicant (``applicant.uuid``) is the candidate, its post (``postUuid``) the job."""
    applicant = obj(raw.get("applicant"))
    status = raw.get("statusIdentifier")
    fields = {
        "outcome": outcome(raw, ctx),
        "current_stage_id": ctx.ref("application_stages", status) if status in STATUSES else None,
        "job_id": ctx.ref("jobs", raw.get("postUuid") or None),
        "candidate_id": ctx.ref("candidates", applicant.get("uuid") or None),
        "remote_created_at": ctx.dt(raw.get("creationDateAndTime")),
        "custom_fields": {k: raw.get(k) for k in (
            "status", "postOfferId", "howDidYouHearAboutUs", "desiredSalary", "remark", "applicationDocuments",
            "permissionToStoreApplication", "mayBePassedWithinCorporateGroup", "hasPrivacyTermsAccepted")},
    }  # fmt: skip
    yield ctx.record("applications", str(raw["id"]), fields)
