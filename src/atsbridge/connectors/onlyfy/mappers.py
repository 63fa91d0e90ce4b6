"""Onlyfy v1 payloads -> unified records. Pure functions: no network, no database.

**No Onlyfy traffic was ever recorded** and the ReDoc reference (onlyfy.io/doc/v1) is not stored: the shapes are
those the known clients read and write [conn] (a Ruby ActiveResource client, WordPress plugins) plus Knit's field
list for applications [3p]; where they are silent the fake's shape is a defensible guess, named ``[gap]`` here.

* candidate ``{id, email, profile{firstname, lastname, phone, gender, birthday, street, zip_code, city_name,
  country_of_residence, nationality}, candidate_tags[{id, name}] [gap], source{id, title} [gap], created_at,
  updated_at}`` [conn: the create body's ``profile``];
* application ``{id, candidate_id, job_id, is_finished, motivational_letter, current_job_application_status,
  status_logs, ratings, recruiter_files, created_at, updated_at}`` [3p: Knit's list; the ids by the create body];
* status set ``{id, name, statuses[{id, name, position}]}`` [gap: only the endpoint is known]: a status is a stage,
  its id the stage's remote id; sets are shared pipelines, so a stage names no job.

Ids are integers (``custom_field_id: 224407``, ``job_id: 1`` [conn]); they become strings.
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

#: Status names are the customer's own (status sets, no enum found [conn/3p]): only the obvious English and German
#: names are declared; every other name goes through the integration's status map, else PENDING.
OUTCOMES = OutcomeRule(
    statuses={"hired": "HIRED", "eingestellt": "HIRED", "rejected": "DECLINED", "abgesagt": "DECLINED",
              "absage": "DECLINED", "declined": "DECLINED", "withdrawn": "DECLINED", "zurückgezogen": "DECLINED"},
    default="PENDING",
)  # fmt: skip


def _rows(value: Any) -> list[Raw]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _id(value: Any) -> str | None:
    return None if value is None or value == "" or isinstance(value, bool) else str(value)


def map_user(raw: Raw, ctx: MapContext) -> Records:
    group = obj(raw.get("access_group"))
    fields = {
        "first_name": text(raw.get("firstname")),
        "last_name": text(raw.get("lastname")),
        "email": text(raw.get("email")),
        "status": "INACTIVE" if raw.get("is_active") is False else "ACTIVE",
    }
    roles = ([{"remote_id": _id(group.get("id")), "remote_label": text(group.get("name")), "unified_type": None}]
             if group.get("id") is not None else [])  # fmt: skip
    yield ctx.record("users", raw["id"], fields, {"system_roles": roles})


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("tags", raw["id"], {"name": text(raw.get("name"))})


def map_status_set(raw: Raw, ctx: MapContext) -> Records:
    """Each status of a set is a stage (ordered by ``position``, else as listed)."""
    statuses = _rows(raw.get("statuses"))
    ordered = sorted(enumerate(statuses), key=lambda p: (p[1].get("position") if isinstance(p[1].get("position"), int)
                                                          else p[0], p[0]))  # fmt: skip
    for index, (_, status) in enumerate(ordered):
        if status.get("id") is None:
            continue
        fields = {"name": text(status.get("name")), "index": index, "status": "ACTIVE", "job_id": None,
                  "custom_fields": {"status_set_id": raw.get("id"), "status_set": raw.get("name")}}  # fmt: skip
        yield ctx.record("application_stages", status["id"], fields)


def _title(value: Any) -> str | None:
    return text(obj(value).get("title")) or text(obj(value).get("name"))


def map_job(raw: Raw, ctx: MapContext) -> Records:
    city = obj(raw.get("city"))
    status = str(raw.get("status") or "").lower()
    published = raw.get("is_published_on_widget") is True
    location = ({"city": text(city.get("title")), "country": text(city.get("country_code")) or
                 text(city.get("country")), "raw": text(city.get("title"))} if city else None)  # fmt: skip
    contents = "".join(str(c.get("content")) for c in _rows(raw.get("job_contents")) if text(c.get("content")))
    fields = {
        "name": text(raw.get("title")),
        "job_code": text(raw.get("short_handle")),
        "description": text(raw.get("description")) or contents or None,
        "department": _title(raw.get("department")),
        "status": {"active": "OPEN", "inactive": "CLOSED", "archived": "ARCHIVED", "draft": "DRAFT"}.get(status),
        "visibility": "PUBLIC" if published else "INTERNAL",
        "employment_type": None,
        "location": location,
        "contact_id": ctx.ref("users", _id(obj(raw.get("main_contact")).get("id"))),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "handle": raw.get("handle"),
            "position_type": _title(raw.get("position_type")),
            "seniority": _title(raw.get("seniority")),
            "status_set_id": obj(raw.get("status_set")).get("id"),
            "custom_fields": raw.get("custom_fields"),
        },  # fmt: skip
    }
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": [], "job_postings": []})


def candidate_tag_names(raw: Raw) -> list[str]:
    return [n for n in (text(t.get("name")) for t in _rows(raw.get("candidate_tags"))) if n]


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    p = obj(raw.get("profile"))
    email, phone = text(raw.get("email")), text(p.get("phone"))
    parts = [text(p.get(k)) for k in ("street", "zip_code", "city_name", "country_of_residence")]
    location = ({"city": text(p.get("city_name")), "country": text(p.get("country_of_residence")),
                 "zip_code": text(p.get("zip_code")), "street_1": text(p.get("street")),
                 "raw": ", ".join(x for x in parts if x)} if any(parts) else None)  # fmt: skip
    fields = {
        "first_name": text(p.get("firstname")),
        "last_name": text(p.get("lastname")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": location,
        "source": _title(raw.get("source")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "birthday": p.get("birthday"),
            "nationality": p.get("nationality"),
            "gender": p.get("gender"),
            "custom_fields": raw.get("custom_fields"),
        },  # fmt: skip
    }
    tags = [ctx.ref("tags", _id(t.get("id"))) for t in _rows(raw.get("candidate_tags")) if _id(t.get("id"))]
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": tags})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    """By the current status's name (the customer's own), through the integration's map first (by name or id)."""
    status = obj(raw.get("current_job_application_status"))
    name, sid = text(status.get("name")), _id(status.get("id"))
    if ctx is None:
        return OUTCOMES.decide(name, names=(sid,))
    return ctx.outcome(OUTCOMES, name, names=(sid,))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    status = obj(raw.get("current_job_application_status"))
    result = outcome(raw, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": text(status.get("name")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", _id(status.get("id"))),
        "job_id": ctx.ref("jobs", _id(raw.get("job_id"))),
        "candidate_id": ctx.ref("candidates", _id(raw.get("candidate_id"))),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "is_finished": raw.get("is_finished"),
            "status": text(status.get("name")),
            "motivational_letter": raw.get("motivational_letter"),
        },  # fmt: skip
    }
    yield ctx.record("applications", raw["id"], fields)
