"""TalentLink records -> unified records. Pure functions: no network, no database.

No TalentLink payload was ever recorded: the shapes are the ones HrFlow's connector asks for and reads [conn]
(``candidateFullDto``, ``PublishedAdvertDTO``), with timestamps as epoch milliseconds (``creation``,
``update``: ints in that connector's schema). Nested shapes the sources do not spell out are read defensively
and named here [gap]: ``opening`` = ``{id, jobNumber, jobTitle}``, ``application.candidate`` = ``{id}``,
``tags[]`` = ``{id, name, icon, category}``, ``attachments[]`` = ``{id, mimeType, fileName, fileUrl: {href}}``,
``jobLocations[]`` = ``{city, zip, countryName}``.

* Job = the **opening** behind a published advert (Kombo: one advert per job [conn]): applications name the
  opening, so the job's remote id is ``opening.id``; the advert's own ids go to ``custom_fields``.
* Stages: TalentLink has no stage list in this API; an application's ``status`` (customer-defined) is its
  stage. Each status seen becomes an ``application_stages`` record (remote id = the status text).
* Outcome (``OUTCOMES``): the integration's status map first (by ``status``, then ``completionReason``),
  then the default names below; an application that is ``archived`` with a ``completionReason`` and no
  HIRED status is DECLINED (closed without a hire) [gap: the values are per tenant].
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj, dicts
from atsbridge.connectors.kit.values import scalar_text as text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: Default status names; customers name their own statuses, so the integration's status map decides first.
OUTCOMES = OutcomeRule(
    statuses={
        "hired": "HIRED",
        "hire": "HIRED",
        "offer accepted": "HIRED",
        "rejected": "DECLINED",
        "withdrawn": "DECLINED",
        "declined": "DECLINED",
        "not selected": "DECLINED",
    },  # fmt: skip
    default="PENDING",
)
_ADVERT_STATUS = {"PUBLISHED": "OPEN", "ONLINE": "OPEN", "EXPIRED": "CLOSED", "OFFLINE": "CLOSED",
                  "ARCHIVED": "ARCHIVED", "DRAFT": "DRAFT"}  # fmt: skip
_DOC_TYPES = {"cv": "CV", "resume": "CV", "cover letter": "COVER_LETTER", "coverletter": "COVER_LETTER"}


def job_id(raw: Raw) -> Any:
    """The job behind an advert: its opening (the advert's id when the opening is missing)."""
    return dict_obj(raw.get("opening")).get("id") or raw.get("id")


def map_advert(raw: Raw, ctx: MapContext) -> Records:
    opening = dict_obj(raw.get("opening"))
    place = next(iter(dicts(raw.get("jobLocations"))), {})
    location = {"city": text(place.get("city")), "zip_code": text(place.get("zip")),
                "country": text(place.get("countryName") or place.get("country"))}  # fmt: skip
    status = str(raw.get("status") or "").upper()
    remote = "REMOTE" if raw.get("remote") is True else "HYBRID" if raw.get("hybrid") is True else (
        "ON_SITE" if raw.get("onSite") is True else None)  # fmt: skip
    fields = {
        "name": text(raw.get("jobAdTitle")) or text(opening.get("jobTitle")),
        "job_code": text(opening.get("jobNumber")),
        "status": _ADVERT_STATUS.get(status, status or None),
        "remote_work_status": remote,
        "location": location if any(location.values()) else None,
        "opened_at": ctx.dt(raw.get("postingStartDate")),
        "closed_at": ctx.dt(raw.get("postingEndDate")),
        "remote_created_at": ctx.dt(raw.get("creationDate")),
        "remote_updated_at": ctx.dt(raw.get("updateDate")),
        "custom_fields": {
            "advert_id": raw.get("advertId"),
            "published_advert_id": raw.get("id"),
            "custom_fields": raw.get("customFields"),
            "lovs": raw.get("lovs"),
        },  # fmt: skip
    }
    posting = {"id": ctx.ref("job_postings", raw.get("id")), "remote_id": str(raw.get("id")),
               "title": fields["name"], "status": "ACTIVE" if fields["status"] == "OPEN" else "INACTIVE"}  # fmt: skip
    yield ctx.record("jobs", job_id(raw), fields, {"job_postings": [posting]})


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    """A candidate, its tags (TalentLink has no tag listing: the tags seen on candidates) and its files."""
    address = dict_obj(raw.get("address"))
    mail = text(raw.get("email"))
    kinds = (("mobilePhone", "MOBILE"), ("homePhone", "HOME"), ("workPhone", "WORK"))
    phones = [{"phone_number": str(address[k]), "type": t} for k, t in kinds if text(address.get(k))]
    location = {"city": text(address.get("city")), "zip_code": text(address.get("zip")),
                "state": text(address.get("regionName")), "country": text(address.get("countryName"))}  # fmt: skip
    tags = [t for t in dicts(raw.get("tags")) if t.get("id") is not None]
    fields = {
        "first_name": text(raw.get("firstname")),
        "last_name": text(raw.get("lastname")),
        "email_addresses": [{"email_address": mail, "type": "PERSONAL"}] if mail else [],
        "phone_numbers": phones,
        "location": location if any(location.values()) else None,
        "source": text(raw.get("srcChannelName")) or text(raw.get("origin")),
        "remote_created_at": ctx.dt(raw.get("creation")),
        "remote_updated_at": ctx.dt(raw.get("update")),
        "custom_fields": {
            "status": raw.get("status"),
            "origin": raw.get("origin"),
            "anonymous": raw.get("anonymous"),
            "partially_deleted": raw.get("partiallyDeleted"),
        },  # fmt: skip
    }
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": [ctx.ref("tags", t["id"]) for t in tags]})
    for tag in tags:
        yield ctx.record("tags", tag["id"], {"name": text(tag.get("name"))})
    for doc in dicts(raw.get("attachments")):
        if doc.get("id") is None:
            continue
        name = text(doc.get("fileName"))
        kind = _DOC_TYPES.get(str(doc.get("type") or "").lower(), "OTHER")
        yield ctx.record("attachments", attachment_remote_id(raw["id"], doc["id"]), {
            "candidate_id": ctx.ref("candidates", raw["id"]), "type": kind, "file_name": name,
            "content_type": text(doc.get("mimeType")) or "application/octet-stream",
        })  # fmt: skip


def attachment_remote_id(candidate_id: Any, attachment_id: Any) -> str:
    """``<candidate id>/<attachment id>``: the download reads the candidate's attachment list to find the file."""
    return f"{candidate_id}/{attachment_id}"


def outcome(raw: Raw, ctx: MapContext) -> str:
    status, reason = text(raw.get("status")), text(raw.get("completionReason"))
    decided = ctx.outcome(OUTCOMES, status, names=(reason,))
    if decided == "PENDING" and reason is not None:
        decided = ctx.outcome(OUTCOMES, reason)
    if decided == "PENDING" and raw.get("archived") is True and reason is not None:
        return "DECLINED"
    return str(decided)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    status = text(raw.get("status"))
    decided = outcome(raw, ctx)
    fields = {
        "outcome": decided,
        "rejection_reason_name": text(raw.get("completionReason")) if decided == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", status),
        "job_id": ctx.ref("jobs", dict_obj(raw.get("opening")).get("id")),
        "candidate_id": ctx.ref("candidates", dict_obj(raw.get("candidate")).get("id")),
        "remote_created_at": ctx.dt(raw.get("applicationDate") or raw.get("creation")),
        "remote_updated_at": ctx.dt(raw.get("update")),
        "custom_fields": {
            "source": raw.get("sourceChannelName"),
            "short_listed": raw.get("shortListed"),
            "archived": raw.get("archived"),
            "active": raw.get("activeApplication"),
            "completion_reason": raw.get("completionReason"),
            "status_comment": raw.get("statusComment"),
            "score": raw.get("score"),
            "memo": raw.get("memo"),
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["id"], fields)
    if status is not None:
        yield ctx.record("application_stages", status, {"name": status, "status": "ACTIVE"})
