"""ReachMee records -> unified records. Pure functions: no network, no database.

No ReachMee payload was ever recorded. The shapes are those of client code [conn]: the admin API's User and
Role models (ColigoAB/ReachMeeClient) and the job-feed ad fields a feed consumer reads
(helsingborg-stad/schema.org-transformer). **Key casing is unverified**: the C# client declares ``User_name``,
``First_name``... and deserialises with Newtonsoft, which matches names case-insensitively, while its query
parameters and the feed are lower snake case. The mappers therefore read keys case-insensitively
(``user_name`` and ``User_name`` both work); the fake serves lower snake case.

Jobs: the feed lists **ads**, and an ad belongs to a ReachMee **project** (``project_id``, the job itself);
``group_ads`` (run by the stream) folds the ads of one project into one row (``{"project_id", "_ads": [...]}``)
so the job's id is stable across languages and re-publications, and every ad becomes a ``job_postings`` entry.
A job in the feed is published: OPEN and PUBLIC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dicts
from atsbridge.connectors.kit.values import scalar_text as text
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: ``employment_level`` (extent) and ``occupation_degree`` (form of employment) are the customer's own Swedish or
#: Norwegian texts: the usual ones mapped, others passed through as they are.
_EXTENT = {"heltid": "FULL_TIME", "deltid": "PART_TIME", "full time": "FULL_TIME", "part time": "PART_TIME"}
_FORM = {"visstidsanställning": "TEMPORARY", "vikariat": "TEMPORARY", "provanställning": "TEMPORARY",
         "timanställning": "TEMPORARY", "säsongsanställning": "SEASONAL", "sommarjobb": "SEASONAL",
         "praktik": "INTERNSHIP", "midlertidig": "TEMPORARY", "sesong": "SEASONAL"}  # fmt: skip


def get(raw: Raw, key: str) -> Any:
    """``raw[key]`` whatever the wire casing (``user_name`` / ``User_name`` / ``USER_NAME``)."""
    if key in raw:
        return raw[key]
    lowered = key.lower()
    return next((v for k, v in raw.items() if isinstance(k, str) and k.lower() == lowered), None)


# --------------------------------------------------------------------------------------------------- users
def map_user(raw: Raw, ctx: MapContext) -> Records:
    """``Date_removed`` set = the user was deactivated (soft removal: still listed) [conn]."""
    email = text(get(raw, "email_work")) or text(get(raw, "email_home"))
    fields = {"first_name": text(get(raw, "first_name")), "last_name": text(get(raw, "surname")), "email": email,
              "status": "INACTIVE" if text(get(raw, "date_removed")) else "ACTIVE"}  # fmt: skip
    yield ctx.record("users", get(raw, "user_id"), fields, {"system_roles": []})


def map_role(raw: Raw, ctx: MapContext) -> Records:
    """``/roles``: ``Role_id`` (string), ``Name``, ``Description``, ``External_id`` [conn]. Roles are the
    customer's own; one named like an administrator is ADMIN, the others carry no unified type."""
    name = text(get(raw, "name"))
    admin = name is not None and "admin" in name.lower()
    fields = {"remote_label": name, "scope": "SYSTEM", "unified_type": "ADMIN" if admin else None}
    yield ctx.record("roles", get(raw, "role_id"), fields)


# ---------------------------------------------------------------------------------------------------- jobs
def group_ads(ads: list[Any]) -> list[dict[str, Any]]:
    """One row per project, its ads in feed order; an ad without a project id stands for itself (``ad:<id>``)."""
    rows: dict[str, dict[str, Any]] = {}
    for ad in ads:
        if not isinstance(ad, dict):
            continue
        project, ad_id = text(get(ad, "project_id")), text(get(ad, "ad_id"))
        key = project or (f"ad:{ad_id}" if ad_id else None)
        if key is None:
            continue
        rows.setdefault(key, {"project_id": key, "_ads": []})["_ads"].append(ad)
    return list(rows.values())


def _date(value: Any, ctx: MapContext) -> datetime | None:
    """The feed's dates are ``YYYY-MM-DD`` [conn]: midnight UTC."""
    day = (text(value) or "")[:10]
    try:
        return ctx.dt(f"{date.fromisoformat(day).isoformat()}T00:00:00Z") if day else None
    except ValueError:
        return None


def _employment(ad: Raw) -> str | None:
    """A temporary form of employment wins; else the extent (full or part time); else the customer's text."""
    extent, form = text(get(ad, "employment_level")), text(get(ad, "occupation_degree"))
    return _FORM.get((form or "").lower()) or _EXTENT.get((extent or "").lower()) or form or extent


def _location(ad: Raw) -> dict[str, Any] | None:
    """``areas``: the 1st is the county (region), the 2nd the municipality [conn]."""
    areas = [text(a.get("name")) for a in dicts(get(ad, "areas"))]
    country = text(get(ad, "country"))
    raw = ", ".join(a for a in (*areas[1:2], *areas[:1], country) if a) or None
    place = {"city": areas[1] if len(areas) > 1 else None, "state": areas[0] if areas else None,
             "country": country, "raw": raw}  # fmt: skip
    return place if any(place.values()) else None


def _description(ad: Raw) -> str | None:
    """The ad's intro, body and outro texts (HTML) as one document."""
    return "".join(str(get(ad, k)) for k in ("prefix_text", "description", "suffix_text") if text(get(ad, k))) or None


def _posting(ad: Raw, ctx: MapContext) -> dict[str, Any]:
    ad_id = text(get(ad, "ad_id"))
    return {"id": ctx.ref("job_postings", ad_id), "remote_id": ad_id, "title": text(get(ad, "title")),
            "description_html": _description(ad), "status": "ACTIVE", "visibility": "PUBLIC",
            "url": text(get(ad, "link"))}  # fmt: skip


def map_job(raw: Raw, ctx: MapContext) -> Records:
    ads = dicts(raw.get("_ads"))
    if not ads:
        return
    ad = ads[0]  # the first ad of the project speaks for the job
    orgs = [text(o.get("nameorgunit")) for o in dicts(get(ad, "organizations"))]
    contacts = [{"name": " ".join(p for p in (text(c.get("first_name")), text(c.get("surname"))) if p) or None,
                 "email": text(c.get("email")), "phone": text(c.get("phone")), "position": text(c.get("position"))}
                for c in dicts(get(ad, "contact_persons"))]  # fmt: skip
    opened = [d for d in (_date(get(a, "publishing_date"), ctx) for a in ads) if d]
    fields = {
        "name": text(get(ad, "title")),
        "description": _description(ad),
        "category": text(get(ad, "occupation_area")),
        "department": orgs[1] if len(orgs) > 1 else (orgs[0] if orgs else None),
        "employment_type": _employment(ad),
        "status": "OPEN",
        "visibility": "PUBLIC",
        "post_url": text(get(ad, "link")),
        "opened_at": min(opened) if opened else None,
        "location": _location(ad),
        "custom_fields": {
            "employer": orgs[0] if orgs else None,
            "apply_url": text(get(ad, "url")),
            "application_deadline": text(get(ad, "expiration_date")),
            "position": text(get(ad, "position")),
            "working_hours": text(get(ad, "working_hours")),
            "employment_level": text(get(ad, "employment_level")),
            "occupation_degree": text(get(ad, "occupation_degree")),
            "occupation_orientation": text(get(ad, "occupation_orientation")),
            "country_code": get(ad, "country_code"),
            "ad_language": text(get(ad, "ad_language")),
            "contact_persons": contacts,
        },
    }
    yield ctx.record("jobs", raw["project_id"], fields, {"job_postings": [_posting(a, ctx) for a in ads]})
