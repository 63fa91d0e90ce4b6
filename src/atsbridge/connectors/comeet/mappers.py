"""Comeet Careers API positions -> unified jobs. Pure functions: no network, no database.

No Comeet payload was ever recorded: the shape is the documented Careers position model
(developers.comeet.com "Careers position model" [doc]): ``uid``, ``name``, ``department``, ``email``,
``url_comeet_hosted_page``, ``url_active_page``, ``employment_type``, ``experience_level``, ``workplace_type``
(On-site | Hybrid | Remote), ``internal_use_custom_id``, ``time_updated``, ``company_name``, ``position_url``,
``location{name, country, city, state, postal_code, street_name, street_number, ...}``,
``categories[{name, value, order}]`` and, with ``details=true``, ``details[{name, value (HTML), order}]``.
Every listed position is published (the API serves nothing else), so its job is OPEN and PUBLIC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: Comeet's Employment values are the customer's own list: the usual ones mapped, others passed through (as
#: the contract allows when there is no clear mapping).
_EMPLOYMENT = {"full-time": "FULL_TIME", "full time": "FULL_TIME", "part-time": "PART_TIME", "part time": "PART_TIME",
               "contractor": "CONTRACT", "contract": "CONTRACT", "internship": "INTERNSHIP", "intern": "INTERNSHIP",
               "seasonal": "SEASONAL"}  # fmt: skip
_WORKPLACE = {"on-site": "ON_SITE", "hybrid": "HYBRID", "remote": "REMOTE"}


def _sorted(items: Any) -> list[Raw]:
    rows = [i for i in items or [] if isinstance(i, dict)]
    return sorted(rows, key=lambda i: i["order"] if isinstance(i.get("order"), int) else 0)


def description(raw: Raw) -> str | None:
    """The ``details`` sections as one HTML document, each under its name, in Comeet's order."""
    parts = [f"<h3>{d['name']}</h3>{d.get('value') or ''}" if d.get("name") else str(d.get("value") or "")
             for d in _sorted(raw.get("details"))]  # fmt: skip
    return "".join(parts) or None


def _location(loc: Any) -> dict[str, Any] | None:
    if not isinstance(loc, dict):
        return None
    street = " ".join(str(p) for p in (loc.get("street_name"), loc.get("street_number")) if p) or None
    return {"raw": loc.get("name"), "city": loc.get("city"), "state": loc.get("state"),
            "country": loc.get("country"), "zip_code": loc.get("postal_code"), "street_1": street}  # fmt: skip


def _remote(raw: Raw) -> str | None:
    workplace = str(raw.get("workplace_type") or "").lower()
    if workplace:
        return _WORKPLACE.get(workplace, str(raw.get("workplace_type")))
    remote = (raw.get("location") or {}).get("is_remote") if isinstance(raw.get("location"), dict) else None
    return "REMOTE" if remote is True else None  # ``is_remote`` is deprecated in favour of workplace_type


def map_position(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    employment = str(raw.get("employment_type") or "")
    categories = {c["name"]: c.get("value") for c in _sorted(raw.get("categories")) if c.get("name")}
    fields = {
        "name": raw.get("name"),
        "job_code": raw.get("internal_use_custom_id"),
        "description": description(raw),
        "department": raw.get("department"),
        "experience_level": raw.get("experience_level"),
        "employment_type": _EMPLOYMENT.get(employment.lower(), employment or None),
        "remote_work_status": _remote(raw),
        "location": _location(raw.get("location")),
        "post_url": raw.get("url_active_page") or raw.get("url_comeet_hosted_page"),
        "remote_url": raw.get("url_comeet_hosted_page"),
        "remote_updated_at": ctx.dt(raw.get("time_updated")),
        "status": "OPEN",
        "visibility": "PUBLIC",
        "custom_fields": {"email": raw.get("email"), "company_name": raw.get("company_name"), **categories},
    }
    posting = {"id": ctx.ref("job_postings", raw["uid"]), "remote_id": str(raw["uid"]), "title": raw.get("name"),
               "description_html": fields["description"], "status": "ACTIVE", "visibility": "PUBLIC",
               "url": fields["post_url"]}  # fmt: skip
    yield ctx.record("jobs", raw["uid"], fields, {"job_postings": [posting]})
