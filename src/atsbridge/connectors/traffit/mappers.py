"""TRAFFIT payloads -> unified records. Pure functions: no network, no database.

**No TRAFFIT traffic was recorded** and the public docs show only the public job-post shape [doc]; the record
fields below are the most defensible reading of the resource names reported by third parties [3p], read
defensively (a missing or differently typed field maps to None, never a crash). Times are ``YYYY-MM-DD
HH:MM:SS`` [doc], written in the tenant's local time without an offset [3p]: they are read as UTC (unverified).

What a mapper needs beyond the vendor record, the source attaches under an underscore key:

* ``_recruitment`` (applications): ``{"id", "workflow_id"}`` of the recruitment whose ``/employees`` listed it.
* ``_rejection`` (applications): the row of ``/recruitments/{id}/rejections`` for this employee, or None.
* ``_state`` (applications): the name of the application's workflow state (from ``/workflows``), or None.
* ``_employee`` (notes, files): ``{"id"}`` of the employee whose ``/notes`` or ``/files`` listed it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import obj
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.connectors.traffit.api import application_id
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: A rejection row is DECLINED. Workflow states are each customer's own [3p]: the usual English and Polish
#: names of a hiring state are HIRED here, every other name through the integration's status map (by state name).
OUTCOMES = OutcomeRule(
    statuses={"rejected": "DECLINED"},
    stages={
        "hired": "HIRED",
        "zatrudniony": "HIRED",
        "zatrudniona": "HIRED",
        "zatrudnienie": "HIRED",
        "zatrudnieni": "HIRED",
    },  # fmt: skip
    default="PENDING",
)
_STATUS = {"active": "OPEN", "open": "OPEN", "in_progress": "OPEN", "closed": "CLOSED", "finished": "CLOSED",
           "draft": "DRAFT", "archived": "ARCHIVED", "suspended": "ARCHIVED"}  # fmt: skip
_EMPLOYMENT = {"full_time": "FULL_TIME", "part_time": "PART_TIME", "contract": "CONTRACT", "b2b": "CONTRACT",
               "internship": "INTERNSHIP", "temporary": "TEMPORARY", "seasonal": "SEASONAL"}  # fmt: skip


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip() if isinstance(value, str | int | float) else ""
    return text or None


def json_field(value: Any) -> Raw:
    """Several TRAFFIT values are JSON objects **encoded as strings** (``job_location``, ``geolocation`` [doc]):
    the decoded object, the object itself, or empty when it is neither."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            decoded = orjson.loads(value)
        except orjson.JSONDecodeError:
            return {}
        return decoded if isinstance(decoded, dict) else {}
    return {}


def ref_id(raw: Raw, flat: str, nested: str) -> Any:
    """``raw[flat]`` or ``raw[nested]["id"]`` (an id may come flat or as an embedded object)."""
    value = raw.get(flat)
    return value if value not in (None, "") else obj(raw.get(nested)).get("id")


def map_user(raw: Raw, ctx: MapContext) -> Records:
    active = raw.get("active")
    fields = {"first_name": _text(raw.get("first_name")), "last_name": _text(raw.get("last_name")),
              "email": _text(raw.get("email")),
              "status": None if not isinstance(active, bool) else "ACTIVE" if active else "INACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["id"], fields)


def map_workflow(raw: Raw, ctx: MapContext) -> Records:
    """A workflow's states are the stages of every recruitment using it (stages are shared, hence no job id)."""
    states = [s for s in raw.get("states") or [] if isinstance(s, Mapping) and s.get("id") is not None]
    ordered = sorted(states, key=lambda s: s["order"] if isinstance(s.get("order"), int) else 0)
    for index, state in enumerate(ordered):
        fields = {"name": _text(state.get("name")), "index": index, "status": "ACTIVE",
                  "custom_fields": {"workflow_id": raw.get("id"), "workflow_name": raw.get("name"),
                                    "type": state.get("type")}}  # fmt: skip
        yield ctx.record("application_stages", state["id"], fields)


def map_recruitment(raw: Raw, ctx: MapContext) -> Records:
    options = obj(raw.get("options"))
    place = json_field(options.get("job_location"))
    location = {"city": _text(place.get("locality") or place.get("city")), "country": _text(place.get("country")),
                "zip_code": _text(place.get("postal_code")), "raw": _text(place.get("name"))}  # fmt: skip
    status = str(raw.get("status") or "").lower()
    kind = str(options.get("job_type") or "").lower()
    fields = {
        "name": _text(raw.get("name")),
        "job_code": _text(raw.get("nr_ref")),
        "description": raw.get("description") if isinstance(raw.get("description"), str) else None,
        "status": _STATUS.get(status, _text(raw.get("status"))),
        "employment_type": _EMPLOYMENT.get(kind),
        "location": location if any(location.values()) else None,
        "contact_id": ctx.ref("users", raw.get("owner_id")) if raw.get("owner_id") is not None else None,
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "guid": raw.get("guid"),
            "client_id": raw.get("client_id"),
            "workflow_id": raw.get("workflow_id"),
            "recruitment_deadline": options.get("recruitment_deadline"),
        },  # fmt: skip
    }
    yield ctx.record("jobs", raw["id"], fields, {"screening_questions": []})


def map_employee(raw: Raw, ctx: MapContext) -> Records:
    email, phone = _text(raw.get("email")), _text(raw.get("phone"))
    city, country = _text(raw.get("city")), _text(raw.get("country"))
    source = raw.get("source")
    fields = {
        "first_name": _text(raw.get("first_name")),
        "last_name": _text(raw.get("last_name")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": {"city": city, "country": country, "raw": ", ".join(p for p in (city, country) if p)}
        if city or country else None,
        "source": _text(obj(source).get("name")) if isinstance(source, Mapping) else _text(source),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {"guid": raw.get("guid")},
    }  # fmt: skip
    yield ctx.record("candidates", raw["id"], fields, {"tag_ids": []})


def state_id(raw: Raw) -> Any:
    """The application's workflow state: ``state_id``, ``workflow_state_id`` or ``state.id`` (unverified)."""
    value = raw.get("state_id")
    if value in (None, ""):
        value = raw.get("workflow_state_id")
    return value if value not in (None, "") else obj(raw.get("state")).get("id")


def outcome(raw: Raw, ctx: MapContext) -> str:
    """DECLINED when the employee is in the recruitment's rejections; else by the state's name (the map first)."""
    rejection = obj(raw.get("_rejection"))
    reason = _text(rejection.get("reason")) if rejection else None
    state_name = _text(raw.get("_state")) or _text(obj(raw.get("state")).get("name"))
    return ctx.outcome(OUTCOMES, "rejected" if rejection else None, stage=state_name, names=(reason, state_name))


def map_application(raw: Raw, ctx: MapContext) -> Records:
    """One row of ``/recruitments/{id}/employees``: the employee's place in that recruitment."""
    recruitment = obj(raw.get("_recruitment")).get("id") or raw.get("recruitment_id")
    employee = ref_id(raw, "employee_id", "employee")
    rid = application_id(recruitment, employee)
    if rid is None:
        return
    result = outcome(raw, ctx)
    rejection = obj(raw.get("_rejection"))
    stage = state_id(raw)
    fields = {
        "outcome": result,
        "rejection_reason_name": _text(rejection.get("reason")) if result == "DECLINED" and rejection else None,
        "rejected_at": ctx.dt(rejection.get("created_at")) if rejection else None,
        "current_stage_id": ctx.ref("application_stages", stage) if stage not in (None, "") else None,
        "job_id": ctx.ref("jobs", recruitment),
        "candidate_id": ctx.ref("candidates", employee),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {"id": raw.get("id"), "source": raw.get("source")},
    }
    yield ctx.record("applications", rid, fields)


def note_text(raw: Raw) -> str | None:
    return _text(raw.get("content")) or _text(raw.get("note"))


def map_note(raw: Raw, ctx: MapContext) -> Records:
    """A note of ``/employees/{id}/notes``: TRAFFIT notes hang off the person, not one recruitment."""
    employee = obj(raw.get("_employee")).get("id") or raw.get("employee_id")
    body = note_text(raw)
    fields = {
        "candidate_id": ctx.ref("candidates", employee),
        "application_id": None,
        "content_html": "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None,
        "author_id": ctx.ref("users", raw.get("user_id")) if raw.get("user_id") is not None else None,
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
    }
    yield ctx.record("notes", raw["id"], fields)


def attachment_remote_id(employee_id: object, file_id: object) -> str:
    """``<employee id>/files/<file id>``: the download path ``/employees/{id}/content`` needs both."""
    return f"{employee_id}/files/{file_id}"


def map_file(raw: Raw, ctx: MapContext) -> Records:
    employee = obj(raw.get("_employee")).get("id") or raw.get("employee_id")
    if employee in (None, ""):
        return
    kind = str(raw.get("type") or "").lower()
    fields = {
        "candidate_id": ctx.ref("candidates", employee),
        "type": "CV" if kind in ("cv", "resume") else "COVER_LETTER" if kind == "cover_letter" else "OTHER",
        "file_name": _text(raw.get("name")),
        "content_type": _text(raw.get("mime_type")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at") or raw.get("created_at")),
    }
    yield ctx.record("attachments", attachment_remote_id(employee, raw["id"]), fields)
