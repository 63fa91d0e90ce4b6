"""Softgarden Frontend v3 jobs list rows -> unified jobs. Pure functions: no network, no database.

No job payload was recorded: the fields are those the open-source clients read [conn] (``jobDbId``,
``externalPostingName``, ``applyOnlineLink``, ``company_name``, ``geo_*``, ``jobAdText`` (HTML),
``jobStartDate`` and ``postingLastUpdatedDate`` in **epoch milliseconds**, ``job_ad_url``, ``project_number``,
catalog id lists ``employmentTypes``/``workTimes``/``industries``/``workExperiences``, ``remote_status``,
``keywords``). Catalog ids are the customer's own (``/catalogs/{type}``): kept as custom fields, not guessed.
A listed job is published on the channel, so it is OPEN and PUBLIC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
_REMOTE = {"remote": "REMOTE", "hybrid": "HYBRID", "onsite": "ON_SITE", "on_site": "ON_SITE", "none": "ON_SITE"}


def epoch_ms(value: Any) -> datetime | None:
    """Softgarden dates are epoch milliseconds; anything else is ignored."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _location(raw: Raw) -> dict[str, Any] | None:
    parts = {"raw": raw.get("geo_name"), "city": raw.get("geo_city"), "state": raw.get("geo_state"),
             "country": raw.get("geo_country"), "zip_code": raw.get("geo_zip"),
             "street_1": raw.get("geo_street")}  # fmt: skip
    return parts if any(parts.values()) else None


def _ids(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    remote = str(raw.get("remote_status") or "")
    url = raw.get("job_ad_url") or raw.get("applyOnlineLink")
    fields = {
        "name": raw.get("externalPostingName"),
        "job_code": raw.get("project_number"),
        "description": raw.get("jobAdText"),
        "remote_work_status": _REMOTE.get(remote.lower(), remote or None),
        "location": _location(raw),
        "post_url": url,
        "remote_updated_at": epoch_ms(raw.get("postingLastUpdatedDate")),
        "status": "OPEN",
        "visibility": "PUBLIC",
        "custom_fields": {
            "company_name": raw.get("company_name"),
            "locale": raw.get("locale"),
            "apply_url": raw.get("applyOnlineLink"),
            "job_start_date": raw.get("jobStartDate"),
            "employment_types": _ids(raw.get("employmentTypes")),
            "work_times": _ids(raw.get("workTimes")),
            "industries": _ids(raw.get("industries")),
            "work_experiences": _ids(raw.get("workExperiences")),
            "keywords": raw.get("keywords"),
        },  # fmt: skip
    }
    posting = {"id": ctx.ref("job_postings", raw["jobDbId"]), "remote_id": str(raw["jobDbId"]),
               "title": fields["name"], "description_html": fields["description"], "status": "ACTIVE",
               "visibility": "PUBLIC", "url": url}  # fmt: skip
    yield ctx.record("jobs", raw["jobDbId"], fields, {"job_postings": [posting]})
