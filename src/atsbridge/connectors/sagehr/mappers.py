"""Sage HR recruitment records -> unified records. Pure functions: no network, no database.

No Sage HR payload was ever recorded: the shapes are the documented ones (the API description as generated
into ``konfig-sdks/sage-typescript-sdk`` models [doc-derived]). What a mapper needs beyond the vendor record,
the source attaches under an underscore key:

* ``_position`` (applicants): ``{"id", "title"}`` of the position whose applicants were listed (the list rows
  carry no ``position_id``; the applicant detail does).
* ``_detail`` (positions): the position detail's ``data`` (``hiring_team[{id, full_name, role}]``), or None.
* ``_position`` (stages): the position id a stage was seen under.

An applicant belongs to exactly one position, and Sage HR has no person record above it: the candidate *is*
the applicant and shares its remote id (one candidate per application, no cross-position dedupe, as in the
vendor itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.connectors.sagehr.api import stage_key
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: ``hired_date`` set -> "hired", ``disqualified_date`` set -> "disqualified" (the two facts the API states);
#: otherwise the stage title, which each customer names: the integration's status map decides those.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "disqualified": "DECLINED"}, default="PENDING")

#: Position statuses [doc]: draft, published, internal, completed, cancelled.
_STATUS = {"draft": "DRAFT", "published": "OPEN", "internal": "OPEN", "completed": "CLOSED", "cancelled": "ARCHIVED"}
_VISIBILITY = {"public": "PUBLIC", "published": "PUBLIC", "internal": "INTERNAL", "private": "UNLISTED"}
_EMPLOYMENT = {"full_time": "FULL_TIME", "full-time": "FULL_TIME", "part_time": "PART_TIME", "part-time": "PART_TIME",
               "contract": "CONTRACT", "contractor": "CONTRACT", "temporary": "TEMPORARY", "internship": "INTERNSHIP",
               "intern": "INTERNSHIP", "seasonal": "SEASONAL"}  # fmt: skip
#: Hiring team roles as the position detail names them [doc-derived: free text, values unseen].
_ROLES = {"hiring_manager": "HIRING_MANAGER", "hiring manager": "HIRING_MANAGER", "recruiter": "RECRUITER",
          "interviewer": "INTERVIEWER", "coordinator": "COORDINATOR"}  # fmt: skip


def map_employee(raw: Raw, ctx: MapContext) -> Records:
    """``GET /employees``: the people who hire (hiring managers, hiring team members) are employees."""
    fields = {"first_name": text(raw.get("first_name")), "last_name": text(raw.get("last_name")),
              "email": text(raw.get("email"))}  # fmt: skip
    yield ctx.record("users", raw["id"], fields)


def _description(raw: Raw) -> str | None:
    blocks = [obj(b) for b in raw.get("description_blocks") or []]
    parts = [f"<h3>{b['title']}</h3>{b.get('content') or ''}" if text(b.get("title")) else str(b.get("content") or "")
             for b in blocks]  # fmt: skip
    return "".join(parts) or None


def _hiring_team(raw: Raw, ctx: MapContext) -> list[dict[str, Any]]:
    team = []
    for member in obj(raw.get("_detail")).get("hiring_team") or []:
        member = obj(member)
        if member.get("id") is None:
            continue
        role = _ROLES.get(str(member.get("role") or "").strip().lower())
        team.append({"user_id": ctx.ref("users", member["id"]), "hiring_team_roles": [role] if role else []})
    return team


def map_position(raw: Raw, ctx: MapContext) -> Records:
    status = str(raw.get("status") or "").lower()
    kind = str(raw.get("employment_type") or "").strip().lower()
    location = text(raw.get("location"))
    fields = {
        "name": text(raw.get("title")),
        "description": _description(raw),
        "department": text(raw.get("team")),
        "category": text(raw.get("group")),
        "status": _STATUS.get(status, text(raw.get("status"))),
        "visibility": _VISIBILITY.get(str(raw.get("visibility") or "").lower()),
        "employment_type": _EMPLOYMENT.get(kind, text(raw.get("employment_type"))),
        "location": {"raw": location} if location else None,
        "post_url": text(raw.get("link")),
        "opened_at": ctx.dt(raw.get("created_at")),
        "closed_at": ctx.dt(raw.get("completed_at")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {k: raw.get(k) for k in ("visibility", "internal_date", "applicants_required",
                                                  "applicants_count", "location_id", "group_id", "priority")},
    }  # fmt: skip
    yield ctx.record("jobs", raw["id"], fields, {"hiring_team": _hiring_team(raw, ctx)})


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    """A stage seen on an applicant (``stage{id, title}``), keyed ``"<position>:<stage id>"``."""
    position = raw["_position"]
    fields = {"name": text(raw.get("title")), "job_id": ctx.ref("jobs", position), "status": "ACTIVE"}
    yield ctx.record("application_stages", stage_key(position, raw["id"]), fields)


def position_id(raw: Raw) -> Any:
    return raw.get("position_id") or obj(raw.get("_position")).get("id")


def outcome(raw: Raw, ctx: MapContext) -> str:
    """HIRED when ``hired_date`` is set, DECLINED when ``disqualified_date`` is; the integration's status map
    first, by the stage's title (customers name their stages)."""
    status = "hired" if raw.get("hired_date") else "disqualified" if raw.get("disqualified_date") else None
    return ctx.outcome(OUTCOMES, status, names=(text(obj(raw.get("stage")).get("title")),))


def map_applicant(raw: Raw, ctx: MapContext) -> Records:
    """One applicant -> its candidate (same remote id) and its application to the position."""
    rid, position = raw["id"], position_id(raw)
    email, phone, address = text(raw.get("email")), text(raw.get("phone_number")), text(raw.get("address"))
    first, last = text(raw.get("first_name")), text(raw.get("last_name"))
    if first is None and last is None and text(raw.get("full_name")):
        first, _, rest = str(raw["full_name"]).strip().partition(" ")
        last = rest or None
    referrer, added_by = obj(raw.get("referrer")), obj(raw.get("added_by"))
    candidate = {
        "first_name": first,
        "last_name": last,
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": {"raw": address} if address else None,
        "source": text(raw.get("source")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {"summary": raw.get("summary"), "full_name": raw.get("full_name"),
                          "referrer": dict(referrer) or None, "added_by": dict(added_by) or None},
    }  # fmt: skip
    yield ctx.record("candidates", rid, candidate, {"tag_ids": []})
    stage = obj(raw.get("stage"))
    result = outcome(raw, ctx)
    fields = {
        "outcome": result,
        "rejected_at": ctx.dt(raw.get("disqualified_date")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", stage_key(position, stage["id"]))
        if stage.get("id") is not None and position is not None else None,
        "job_id": ctx.ref("jobs", position),
        "candidate_id": ctx.ref("candidates", rid),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "custom_fields": {"hired_date": raw.get("hired_date"), "disqualified_date": raw.get("disqualified_date"),
                          "stage_entered_at": stage.get("created_at")},
    }  # fmt: skip
    yield ctx.record("applications", rid, fields)
