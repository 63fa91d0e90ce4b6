"""JobDiva BI records -> unified records. Pure functions: no network, no database.

No JobDiva payload was ever recorded. A BI answer is ``{"message", "data": [record]}`` where each record is a
map of UPPER-CASE column name -> **string** (``Record extends LinkedHashMap<String, String>`` in the public
copy of the API's source [3p]); column names are those public clients read [3p] (``JOBID``, ``TITLE``,
``JOBSTATUS``, ``DATEUPDATED``; activity ``ACTIVITYID``, ``HIREFLAG``, ``EXTERNALREJECTDATE``...) and, where no
client shows one, the obvious JobDiva name [gap]. Timestamps are naive ISO (the account's wall clock [3p]).
Flags are ``"1"``/``"0"`` or ``"true"``/``"false"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import any_text as text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: Submittal statuses are each agency's own list: these defaults cover the usual names and the activity's
#: flags ("hired" when HIREFLAG is set, "rejected" on a reject date); the integration's status map wins,
#: matched against the activity's STATUS and START_STATUS texts first.
OUTCOMES = OutcomeRule(
    statuses={
        "hired": "HIRED", "placed": "HIRED", "started": "HIRED", "start": "HIRED",
        "rejected": "DECLINED", "client rejected": "DECLINED", "internal rejected": "DECLINED",
        "withdrawn": "DECLINED", "candidate not interested": "DECLINED", "not interested": "DECLINED",
    }
)  # fmt: skip
#: JobDiva job statuses -> the contract's OPEN/CLOSED/DRAFT/ARCHIVED (on hold takes no submittals).
JOB_STATUS = {"OPEN": "OPEN", "ON HOLD": "CLOSED", "CLOSED": "CLOSED", "FILLED": "CLOSED", "CANCELLED": "CLOSED",
              "EXPIRED": "CLOSED", "DRAFT": "DRAFT"}  # fmt: skip


US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def when(ctx: MapContext, value: Any) -> datetime | None:
    """A BI timestamp: naive ISO as the feeds send it, else the US query format, epoch ms, or None (some
    reports format dates differently [3p]); never an error for one odd value."""
    found = text(value)
    if found is None:
        return None
    if found.isdigit():
        return ctx.dt(int(found))
    try:
        return ctx.dt(found)
    except ValueError:
        pass
    for fmt in US_FORMATS:
        try:
            return datetime.strptime(found, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def flag(value: Any) -> bool:
    return str(value if value is not None else "").strip().lower() in ("1", "true", "y", "yes")


def first(raw: Raw, *keys: str) -> str | None:
    return next((t for t in (text(raw.get(k)) for k in keys) if t), None)


def _contacts(kind: str, *values: tuple[str | None, str]) -> list[dict[str, str | None]]:
    return [{kind: value, "type": label} for value, label in values if value]


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    rid = first(raw, "JOBID", "ID")
    if rid is None:  # a row without its id cannot be stored
        return
    status = (text(raw.get("JOBSTATUS")) or "").upper()
    location = ", ".join(p for p in (text(raw.get("CITY")), text(raw.get("STATE")), text(raw.get("COUNTRY"))) if p)
    fields = {
        "name": first(raw, "TITLE", "JOBTITLE"),
        "job_code": text(raw.get("JOBDIVANO")),
        "status": JOB_STATUS.get(status, "OPEN" if status.startswith("OPEN") else None),
        "department": first(raw, "DIVISIONNAME", "DIVISION"),
        "location": {"raw": location} if location else None,
        "remote_created_at": when(ctx, first(raw, "ISSUEDATE", "DATEISSUED")),
        "remote_updated_at": when(ctx, raw.get("DATEUPDATED")),
        "custom_fields": {"company": text(raw.get("COMPANYNAME")), "company_id": text(raw.get("COMPANYID")),
                          "position_type": text(raw.get("POSITIONTYPE")), "openings": text(raw.get("OPENINGS")),
                          "priority": text(raw.get("PRIORITY")), "status": text(raw.get("JOBSTATUS"))},
    }  # fmt: skip
    recruiter = text(raw.get("PRIMARYRECRUITERID"))
    hiring_team = [{"user_id": ctx.ref("users", recruiter), "hiring_team_roles": ["RECRUITER"]}] if recruiter else []
    yield ctx.record("jobs", rid, fields, {"hiring_team": hiring_team})


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    rid = first(raw, "CANDIDATEID", "ID")
    if rid is None:  # a row without its id cannot be stored
        return
    location = ", ".join(p for p in (text(raw.get("CITY")), text(raw.get("STATE")), text(raw.get("COUNTRY"))) if p)
    fields = {
        "first_name": text(raw.get("FIRSTNAME")),
        "last_name": text(raw.get("LASTNAME")),
        "email_addresses": _contacts("email_address", (text(raw.get("EMAIL")), "PRIVATE"),
                                     (text(raw.get("ALTERNATEEMAIL")), "OTHER")),
        "phone_numbers": _contacts("phone_number", (text(raw.get("CELLPHONE")), "MOBILE"),
                                   (text(raw.get("HOMEPHONE")), "HOME"), (text(raw.get("WORKPHONE")), "WORK")),
        "location": {"raw": location, "city": text(raw.get("CITY")), "state": text(raw.get("STATE")),
                     "zip_code": text(raw.get("ZIPCODE"))} if location else None,
        "title": text(raw.get("TITLE")),
        "remote_created_at": when(ctx, raw.get("DATECREATED")),
        "remote_updated_at": when(ctx, raw.get("DATEUPDATED")),
    }  # fmt: skip
    yield ctx.record("candidates", rid, fields, {"tag_ids": []})


def status_of(raw: Raw) -> str | None:
    """The flags first (a start is a hire, a reject date a rejection), then the free-text status."""
    if flag(raw.get("HIREFLAG")):
        return "hired"
    if text(raw.get("EXTERNALREJECTDATE")) or text(raw.get("INTERNALREJECTDATE")):
        return "rejected"
    return text(raw.get("STATUS"))


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """An activity (job application or submittal) of one candidate to one job."""
    rid = first(raw, "ACTIVITYID", "ID")
    if rid is None:  # a row without its id cannot be stored
        return
    names = (text(raw.get("STATUS")), text(raw.get("START_STATUS")))
    result = ctx.outcome(OUTCOMES, status_of(raw), names=names)
    rejected = first(raw, "EXTERNALREJECTDATE", "INTERNALREJECTDATE")
    fields = {
        "outcome": result,
        "rejection_reason_name": text(raw.get("STATUS")) if result == "DECLINED" else None,
        "rejected_at": when(ctx, rejected) if result == "DECLINED" else None,
        "job_id": ctx.ref("jobs", text(raw.get("JOBID"))),
        "candidate_id": ctx.ref("candidates", text(raw.get("CANDIDATEID"))),
        "current_stage_id": None,
        "remote_created_at": when(ctx, first(raw, "DATECREATED", "SUBMITTALDATE")),
        "remote_updated_at": when(ctx, first(raw, "ACTIVITYDATE", "DATEUPDATED")),
        "custom_fields": {"status": text(raw.get("STATUS")), "start_status": text(raw.get("START_STATUS")),
                          "submittal": flag(raw.get("SUBMITTALFLAG")), "interview": flag(raw.get("INTERVIEWFLAG")),
                          "start_date": text(raw.get("STARTDATE")), "recruiter_id": text(raw.get("USERID"))},
    }  # fmt: skip
    yield ctx.record("applications", rid, fields)


def map_user(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    rid = first(raw, "USERID", "ID")
    if rid is None:  # a row without its id cannot be stored
        return
    active = text(raw.get("ACTIVE"))
    fields = {
        "first_name": text(raw.get("FIRSTNAME")),
        "last_name": text(raw.get("LASTNAME")),
        "email": text(raw.get("EMAIL")),
        "status": "ACTIVE" if active is None or flag(active) else "INACTIVE",
    }
    yield ctx.record("users", rid, fields, {"system_roles": []})


def map_note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """Candidate notes (JobDiva notes belong to a candidate, optionally linked to a job)."""
    rid = first(raw, "NOTEID", "ID")
    if rid is None:  # a row without its id cannot be stored
        return
    fields = {
        "candidate_id": ctx.ref("candidates", text(raw.get("CANDIDATEID"))),
        "author_id": ctx.ref("users", text(raw.get("RECRUITERID"))),
        "content_html": text(raw.get("NOTE")),
        "remote_created_at": when(ctx, raw.get("DATECREATED")),
        "remote_updated_at": when(ctx, first(raw, "DATEUPDATED", "DATECREATED")),
    }
    yield ctx.record("notes", rid, fields)
