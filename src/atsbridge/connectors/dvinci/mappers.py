"""d.vinci REST records -> unified records. Pure functions: no network, no database.

Shapes are the REST API documentation's examples (v1.61, copied verbatim under ``tests/connectors/payloads``).
Keys starting with ``_`` were attached by the sync: ``_detail`` (the full application read by id; the list row
is slim) and ``_application`` (the parent ``{"id", "person"}`` of an attachment or history entry).

Statuses, rejection codes, sources and locations are **string internal names** (``SYS_NEW``, ``EMPLOYED``);
the customer defines them, and the API lists neither statuses nor rejection codes, so stages and rejection
reasons are the names seen on applications (``stage_rows``/``reason_rows``), named by their internal name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.dvinci.api import detail, ref_id
from atsbridge.connectors.kit.values import any_text as text
from atsbridge.connectors.outcomes import Outcome, OutcomeRule, norm
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Json = dict[str, Any]

#: The default rule on ``applicationStatusId``. Only ``EMPLOYED`` appears in the doc (as the hired example);
#: every other status is the customer's own: the integration's ``status_map`` names its hired and rejected
#: statuses. A set ``rejectionCodeId`` declines the application whatever its status (see ``outcome``).
OUTCOMES = OutcomeRule(statuses={"EMPLOYED": "HIRED", "HIRED": "HIRED", "REJECTED": "DECLINED"})
JOB_STATUSES = {"ACTIVE": "OPEN", "INACTIVE": "CLOSED", "CLOSED": "CLOSED"}
ATTACHMENT_TYPES = {"cv": "CV", "lebenslauf": "CV", "resume": "CV", "anschreiben": "COVER_LETTER",
                    "cover letter": "COVER_LETTER"}  # fmt: skip


def id_rows(key: str, _: Any) -> list[Json]:
    """A lookup key (an internal name, a keyword) as the one row of a derived stream."""
    return [{"id": key}]


def fold_on(field: str) -> Callable[[dict[Any, bool], Raw], None]:
    """Collect the internal names an application (its detail when read) carries in ``field``."""

    def fold(table: dict[Any, bool], row: Raw) -> None:
        value = detail(dict(row)).get(field)
        if value:
            table[str(value)] = True

    return fold


def fold_keywords(table: dict[Any, bool], row: Raw) -> None:
    for word in row.get("keywords") or []:
        if text(word):
            table[str(word).strip()] = True


def _label(internal: str) -> str:
    """``FIRST_INTERVIEW`` -> ``First interview`` (the API gives no display names for internal names)."""
    return internal.removeprefix("SYS_").replace("_", " ").capitalize()


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An application status seen on an application (one global workflow per tenant as far as the API shows)."""
    fields = {"name": _label(raw["id"]), "status": "ACTIVE", "job_id": None,
              "custom_fields": {"applicationStatusId": raw["id"]}}  # fmt: skip
    yield ctx.record("application_stages", raw["id"], fields)


def map_reason(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("rejection_reasons", raw["id"], {"name": _label(raw["id"])})


def map_tag(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A person keyword: d.vinci has no tag objects, the keyword text is the tag's id and name."""
    yield ctx.record("tags", raw["id"], {"name": raw["id"]})


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``/dvinciUsers/``: no active flag is documented, so a listed user is ACTIVE [gap]."""
    fields = {"first_name": text(raw.get("firstName")), "last_name": text(raw.get("lastName")),
              "email": text(raw.get("email")), "status": "ACTIVE"}  # fmt: skip
    roles = [{"remote_id": r, "remote_label": r, "unified_type": None} for r in raw.get("roleIds") or []]
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job opening; its publications (one per language/channel) are its postings."""
    status = str(raw.get("status") or "").upper()
    postings = [
        {"id": ctx.ref("job_postings", p["id"]), "remote_id": str(p["id"]), "title": p.get("position"),
         "status": "ACTIVE" if status == "ACTIVE" else "INACTIVE", "visibility": "PUBLIC",
         "url": next(iter(p.get("applicationFormUrls") or []), None)}
        for p in raw.get("jobPublications") or [] if isinstance(p, dict) and p.get("id") is not None
    ]  # fmt: skip
    locations = [str(x) for x in raw.get("locationIds") or []]
    fields = {
        "name": text(raw.get("name")),
        "job_code": text(raw.get("reference")),
        "department": text(raw.get("department")),
        "category": ", ".join(str(c) for c in raw.get("categoryIds") or []) or None,
        "status": JOB_STATUSES.get(status),
        "remote_url": raw.get("jobOpeningUrl"),
        "location": {"raw": ", ".join(locations)} if locations else None,
        "contact_id": ctx.ref("users", raw.get("responsibleUserId")),
        "custom_fields": {"externalId": raw.get("externalId"), "type": raw.get("type"),
                          "orgUnitId": raw.get("orgUnitId"), "costUnit": raw.get("costUnit"),
                          "contractPeriod": raw.get("contractPeriod"),
                          "earliestEntryDate": raw.get("earliestEntryDate"),
                          "locationIds": locations, "workingTimes": raw.get("workingTimes") or []},
    }  # fmt: skip
    team = []
    if raw.get("responsibleUserId") is not None:
        team = [{"user_id": ctx.ref("users", raw["responsibleUserId"]), "hiring_team_roles": ["RECRUITER"],
                 "job_roles": []}]  # fmt: skip
    yield ctx.record("jobs", raw["id"], fields, {"job_postings": postings, "hiring_team": team})


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A person. No creation or update time exists on persons."""
    email, phone, alt = text(raw.get("email")), text(raw.get("telephone")), text(raw.get("alternativeTelephone"))
    street = [text(raw.get(f"address{i}")) for i in range(1, 6)]
    location = {"street_1": next((s for s in street if s), None), "city": text(raw.get("city")),
                "state": text(raw.get("usState")), "zip_code": text(raw.get("zipCode")),
                "country": text(raw.get("countryIsoA2"))}  # fmt: skip
    social = [{"type": "profile", "link": raw["profileLink"]}] if text(raw.get("profileLink")) else []
    if text(raw.get("skypeName")):
        social.append({"type": "skype", "username": raw["skypeName"]})
    fields = {
        "first_name": text(raw.get("firstName")),
        "last_name": text(raw.get("lastName")),
        "title": text(raw.get("lastPosition")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": p, "type": None} for p in (phone, alt) if p],
        "social_media": social,
        "location": location if any(location.values()) else None,
        "custom_fields": {"externalId": raw.get("externalId"), "salutation": raw.get("salutation"),
                          "academicTitle": raw.get("title"), "dateOfBirth": raw.get("dateOfBirth"),
                          "degreeId": raw.get("degreeId"), "study": raw.get("study"),
                          "specialMarkIds": raw.get("specialMarkIds") or []},
    }  # fmt: skip
    tags = [ctx.ref("tags", str(w).strip()) for w in raw.get("keywords") or [] if text(w)]
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": tags})


def outcome(app: Raw, ctx: MapContext | None = None) -> Outcome:
    """The integration's status map first (by status or rejection code internal name), then a set rejection
    code declines, then the default rule on the status."""
    status, code = app.get("applicationStatusId"), app.get("rejectionCodeId")
    override = ctx.status_map if ctx is not None else {}
    for key in (status, code):
        if key is not None and norm(key) in override:
            return cast(Outcome, override[norm(key)])
    return "DECLINED" if code else OUTCOMES.decide(status)


def _answer(q: Raw) -> Json | None:
    kind, title = str(q.get("type") or ""), str(q.get("displayName") or q.get("id") or "")
    question = {"remote_id": text(q.get("id")), "title": title}
    options = [str(a.get("answer") or a.get("id")) for a in q.get("answers") or [] if isinstance(a, dict)]
    if kind == "MULTI_CHOICE":
        return {"question": {**question, "type": "MULTI_SELECT"}, "answer": {"choices": options}}
    if kind == "SINGLE_CHOICE":
        return {"question": {**question, "type": "SINGLE_SELECT"}, "answer": {"choice": next(iter(options), None)}}
    if kind in ("YES_NO", "YES_NO_NOT_SPECIFIED") and str(q.get("answer")).upper() in ("YES", "NO", "TRUE", "FALSE"):
        checked = str(q.get("answer")).upper() in ("YES", "TRUE")
        return {"question": {**question, "type": "BOOLEAN"}, "answer": {"checked": checked}}
    answer = q.get("answer")
    return {"question": {**question, "type": "TEXT"}, "answer": {"content": None if answer is None else str(answer)}}


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An application: the full one when the sync read it (``_detail``), else the slim list row."""
    app = detail(dict(raw))
    result = outcome(app, ctx)
    code = app.get("rejectionCodeId")
    answers = [a for a in (_answer(q) for q in app.get("screeningQuestions") or [] if isinstance(q, dict)) if a]
    fields = {
        "outcome": result,
        "rejection_reason_name": _label(str(code)) if result == "DECLINED" and code else None,
        "rejected_at": ctx.dt(app.get("lastStatusChangeDate")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", app.get("applicationStatusId")),
        "job_id": ctx.ref("jobs", ref_id(app.get("jobOpening"))),
        "candidate_id": ctx.ref("candidates", ref_id(app.get("person"))),
        "remote_created_at": ctx.dt(app.get("dateCreated")),
        "remote_updated_at": ctx.dt(app.get("lastStatusChangeDate")),  # the only change clock an application has
        "screening_question_answers": answers,
        "custom_fields": {k: app.get(k) for k in ("externalId", "version", "type", "rating", "sourceId",
                          "rejectionCodeId", "languageId", "desiredSalary", "earliestStartingDate") if k in app},
    }  # fmt: skip
    yield ctx.record("applications", raw["id"], fields)


def attachment_remote_id(application_id: Any, attachment_id: Any) -> str:
    """``<application>/<attachment>``: the download endpoint needs both."""
    return f"{application_id}/{attachment_id}"


def map_attachment(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    parent = raw.get("_application") or {}
    desc = str(raw.get("description") or raw.get("filename") or "").strip().lower()
    fields = {
        "candidate_id": ctx.ref("candidates", parent.get("person")),
        "application_id": ctx.ref("applications", parent.get("id")),
        "type": next((t for k, t in ATTACHMENT_TYPES.items() if desc.startswith(k)), "OTHER"),
        "file_name": text(raw.get("filename")),
        "content_type": text(raw.get("contentType")) or "application/octet-stream",
        "remote_created_at": ctx.dt(raw.get("dateCreated")),
        "remote_updated_at": ctx.dt(raw.get("dateCreated")),
    }
    yield ctx.record("attachments", attachment_remote_id(parent.get("id"), raw["id"]), fields)


def note_remote_id(application_id: Any, entry: Raw) -> str:
    """History entries have no id: ``<application>/<externalId>`` for entries written by an external system,
    else ``<application>/<dateCreated>/<type>``."""
    if entry.get("externalId"):
        return f"{application_id}/{entry['externalId']}"
    return f"{application_id}/{entry.get('dateCreated')}/{entry.get('type')}"


def map_note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """History entries that carry text a person wrote: external-system entries (notes written through the API)
    and any entry with a comment (a status change's comment). Pure system events are not notes."""
    written = text(raw.get("description")) if raw.get("type") == "EXTERNAL_SYSTEM" else None
    content = text(raw.get("comment")) or written
    if content is None:
        return
    parent = raw.get("_application") or {}
    author = raw.get("externalUser")
    fields = {
        "candidate_id": ctx.ref("candidates", parent.get("person")),
        "application_id": ctx.ref("applications", parent.get("id")),
        "author_id": ctx.ref("users", raw.get("dvinciUserId")),
        "title": f"{raw.get('type')}" + (f" ({author})" if author else ""),
        "content_html": content,
        "is_private": None,
        "remote_created_at": ctx.dt(raw.get("dateCreated")),
        "remote_updated_at": ctx.dt(raw.get("dateCreated")),
    }
    yield ctx.record("notes", note_remote_id(parent.get("id"), raw), fields)
