"""iCIMS profiles -> unified records. Pure functions: no network, no database.

A profile answer carries no id of its own: the read attaches the search hit's id under ``_id``. References are
``{profile, id, value}`` (``baseprofile`` = the job, ``associatedprofile`` = the person) and list values
``{id, formattedvalue, value}`` (``D…`` ids standard nodes, ``C…`` customer-defined) [rec]. Unset fields are
omitted (a workflow without ``status`` occurs) [rec]. Shapes beyond the recordings (person names, emails,
phones; ``createddate``/``updateddate`` in ``DATE_FORMAT``; a job's ``folder``/``hiringmanager``) are the
documented field names, marked in the fake's docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: iCIMS dates: ``2016-04-27 10:22 AM`` ([conn] an iCIMS assessment partner's client writes them so; the docs
#: give no literal format [gap]). Read as UTC [gap: the tenant's time zone is not stated].
DATE_FORMAT = "%Y-%m-%d %I:%M %p"

#: Status nodes are the customer's recruiting workflow, so the integration's ``status_map`` (by node id or
#: name) decides. [gap] The default reads the names iCIMS ships in its standard workflow; anything else is
#: PENDING until the admin maps it (``PUT /v1/integrations/{id}/status-map``).
OUTCOMES = OutcomeRule(statuses={
    "hired": "HIRED", "offer accepted": "HIRED", "rejected": "DECLINED", "not selected": "DECLINED",
    "candidate withdrew": "DECLINED", "withdrawn": "DECLINED", "declined offer": "DECLINED",
})  # fmt: skip

#: A job's ``folder`` (its state) -> the unified status. [gap] Folder names are per tenant; the standard ones
#: start with these words.
_FOLDERS = (("approved", "OPEN"), ("open", "OPEN"), ("closed", "CLOSED"), ("filled", "CLOSED"),
            ("draft", "DRAFT"), ("pending", "DRAFT"), ("on hold", "CLOSED"), ("cancel", "ARCHIVED"))  # fmt: skip


def _ref(value: Any) -> str | None:
    if isinstance(value, dict) and value.get("id") is not None:
        return str(value["id"])
    return None


def _text(value: Any) -> str | None:
    """A list value's display text (or a plain string)."""
    if isinstance(value, dict):
        found = value.get("formattedvalue") or value.get("value")
        return str(found) if found else None
    return str(value) if isinstance(value, str | int) and value != "" else None


def date(value: Any, ctx: MapContext) -> Any:
    """An iCIMS date (or an ISO one) as the unified timestamp; anything unreadable is None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return ctx.dt(datetime.strptime(value.strip(), DATE_FORMAT).replace(tzinfo=UTC))
    except ValueError:
        pass
    try:
        return ctx.dt(value)
    except ValueError:
        return None


def _entries(raw: Raw, key: str) -> list[Raw]:
    return [e for e in raw.get(key) or [] if isinstance(e, dict)]


def job_status(folder: Any) -> str | None:
    name = (_text(folder) or "").lower()
    return next((status for word, status in _FOLDERS if name.startswith(word)), None)


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    found = raw.get("joblocation")
    location: dict[str, Any] = found if isinstance(found, dict) else {}
    fields = {
        "name": raw.get("jobtitle"),
        "job_code": raw.get("externalid"),
        "category": _text(raw.get("positioncategory")),
        "department": _text(raw.get("department")),
        "status": job_status(raw.get("folder")),
        "location": {"raw": location["value"]} if location.get("value") else None,
        "remote_created_at": date(raw.get("createddate"), ctx),
        "remote_updated_at": date(raw.get("updateddate"), ctx),
        "custom_fields": {"numberofpositions": raw.get("numberofpositions"), "folder": _text(raw.get("folder")),
                          "companyid": location.get("companyid"), "hiringmanager": _ref(raw.get("hiringmanager"))},
    }  # fmt: skip
    yield ctx.record("jobs", raw["_id"], fields)


def map_person(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    phones = [{"phone_number": p["phonenumber"], "type": _text(p.get("phonetype"))}
              for p in _entries(raw, "phones") if p.get("phonenumber")]  # fmt: skip
    address = next(iter(_entries(raw, "addresses")), {})
    location = {"city": address.get("addresscity"), "country": _text(address.get("addresscountry")),
                "state": _text(address.get("addressstate")), "zip_code": address.get("addresszip"),
                "street_1": address.get("addressstreet1")}  # fmt: skip
    fields = {
        "first_name": raw.get("firstname"),
        "last_name": raw.get("lastname"),
        "email_addresses": [{"email_address": raw["email"], "type": None}] if raw.get("email") else [],
        "phone_numbers": phones,
        "location": location if any(location.values()) else None,
        "remote_created_at": date(raw.get("createddate"), ctx),
        "remote_updated_at": date(raw.get("updateddate"), ctx),
        "custom_fields": {k: v for k, v in raw.items() if k.startswith("field")},
    }
    yield ctx.record("candidates", raw["_id"], fields, {"tag_ids": []})


def stage_row(status: Raw) -> dict[str, Any]:
    return {"id": status.get("id"), "formattedvalue": status.get("formattedvalue"), "value": status.get("value")}


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A status node seen on a workflow: tenant-wide (``job_id`` null: every job's workflow may use it)."""
    fields = {"name": _text(raw), "index": None, "status": "ACTIVE", "job_id": None,
              "custom_fields": {"customer_defined": str(raw["id"]).startswith("C")}}  # fmt: skip
    yield ctx.record("application_stages", raw["id"], fields)


def outcome(status: Raw | None, ctx: MapContext) -> str:
    if not status:
        return "PENDING"
    return ctx.outcome(OUTCOMES, _text(status), names=(status.get("id"), status.get("value")))


def map_workflow(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    status = raw.get("status") if isinstance(raw.get("status"), dict) else None
    result = outcome(status, ctx)
    fields = {
        "outcome": result,
        "rejection_reason_name": _text(status) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", _ref(status)),
        "job_id": ctx.ref("jobs", _ref(raw.get("baseprofile"))),
        "candidate_id": ctx.ref("candidates", _ref(raw.get("associatedprofile"))),
        "remote_created_at": date(raw.get("createddate"), ctx),
        "remote_updated_at": date(raw.get("updateddate"), ctx),
        "custom_fields": {"source": _text(raw.get("source")), "sourcename": _text(raw.get("sourcename"))},
    }
    yield ctx.record("applications", raw["_id"], fields)
