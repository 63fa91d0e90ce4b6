"""Welcome to the Jungle records -> unified records. Pure functions: no network, no database.

Shapes are the official documentation examples (``WTTJ/wk-api-docs``, copied under
``tests/connectors/payloads/welcometothejungle/``); no traffic was ever recorded. Attached by the source:

* ``_detail`` on a job: ``GET /jobs/:reference?stages=true`` (the list carries no stages); ``_office`` and
  ``_department``: the office and department the job names by id (or None);
* synthetic rows ``{"name"}`` (tags are bare strings) and ``{"id", "name"}`` (the one rejection "reason").

A WTTJ *candidate* is one person's application to one job (``reference`` ``wttj-...``, one record per job):
it yields a unified candidate **and** an application with the same remote id. Stages are per job with
numeric ids: the stage remote id is that id.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
APP_URL = "https://www.welcomekit.co"

#: By the stage ``reference`` WTTJ gives its special stages [doc: ``initial``, ``refused``, and ``archived`` (a
#: hidden stage) in the job examples of an earlier docs version; "hired" is named only in prose: unverified].
#: Other stages are customer-named (``to_meet``, ``interviewed`` or null): the integration's status map decides
#: (by stage name or numeric id), else PENDING. An archived candidate still PENDING counts as DECLINED.
OUTCOMES = OutcomeRule(statuses={"refused": "DECLINED", "archived": "DECLINED", "hired": "HIRED"})
#: The one rejection "reason": WTTJ has none, rejecting moves to the job's ``refused`` stage.
REFUSED = {"id": "refused", "name": "Refused"}

_STATUS = {"draft": "DRAFT", "published": "OPEN", "archived": "ARCHIVED"}
#: Current contract types, then the earlier docs' (``UNLIMITED`` = CDI...); others pass through as sent.
_EMPLOYMENT = {"FULL_TIME": "FULL_TIME", "PART_TIME": "PART_TIME", "TEMPORARY": "SEASONAL", "FREELANCE": "CONTRACT",
               "INTERNSHIP": "INTERNSHIP", "APPRENTICESHIP": "INTERNSHIP", "VIE": "INTERNSHIP", "LIMITED": "CONTRACT",
               "INTERIM": "SEASONAL", "APPRENTICE": "INTERNSHIP"}  # fmt: skip
_REMOTE = {"fulltime": "REMOTE", "partial": "HYBRID", "punctual": "HYBRID", "no": "ON_SITE"}
_PERIOD = {"yearly": "YEAR", "monthly": "MONTH", "daily": "DAY"}


def _number(value: Any) -> float | None:
    """Salaries come as strings (``"30000"``); anything unparsable is no amount."""
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def stages_of(job: Raw) -> list[Raw]:
    """The job's pipeline, from its detail (attached as ``_detail``) or from the job itself."""
    stages = dict_obj(job.get("_detail")).get("stages") or job.get("stages") or []
    return [s for s in stages if isinstance(s, dict) and s.get("id") is not None]


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A job and its stages: the stream fills both models."""
    ref = raw["reference"]
    salary = dict_obj(raw.get("salary"))
    contract = str(raw.get("contract_type") or "")
    office = dict_obj(raw.get("_office"))
    place = {"street_1": text(office.get("address")), "city": text(office.get("city")),
             "zip_code": text(office.get("zip_code")), "country": text(office.get("country_code"))}  # fmt: skip
    sites = [s.strip() for s in str(raw.get("cms_sites_references") or "").split(",") if s.strip()]
    fields = {
        "name": raw.get("name"),
        "job_code": raw.get("external_reference"),
        "description": raw.get("description"),
        "department": dict_obj(raw.get("_department")).get("name"),
        "location": place if any(place.values()) else None,
        "status": _STATUS.get(str(raw.get("status") or ""), str(raw.get("status") or "").upper() or None),
        "employment_type": _EMPLOYMENT.get(contract, contract or None),
        "remote_work_status": _REMOTE.get(str(raw.get("remote") or "")),
        "experience_level": raw.get("experience_level"),
        "salary_amount_from": _number(salary.get("min")),
        "salary_amount_to": _number(salary.get("max")),
        "salary_currency": salary.get("currency"),
        "salary_period": _PERIOD.get(str(salary.get("period") or "")),
        "post_url": raw.get("apply_url"),
        "opened_at": ctx.dt(raw.get("published_at")),
        "closed_at": ctx.dt(raw.get("archived_at")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "custom_fields": {
            "organization_reference": raw.get("organization_reference"), "profile": raw.get("profile"),
            "education_level": raw.get("education_level"), "profession_reference": raw.get("profession_reference"),
            "cms_sites_references": sites, "language": raw.get("language"), "office_id": raw.get("office_id"),
            "department_id": raw.get("department_id"), "contract_duration_min": raw.get("contract_duration_min"),
            "contract_duration_max": raw.get("contract_duration_max"), "start_date": raw.get("start_date"),
        },
    }  # fmt: skip
    yield ctx.record("jobs", ref, fields, {})
    for index, stage in enumerate(stages_of(raw)):
        stage_fields = {
            "name": stage.get("name"),
            "index": index,
            "status": "INACTIVE" if stage.get("visible") is False else "ACTIVE",
            "job_id": ctx.ref("jobs", ref),
            "custom_fields": {"reference": stage.get("reference")},
        }
        yield ctx.record("application_stages", str(stage["id"]), stage_fields)


def tags_of(raw: Raw) -> list[str]:
    """Tags are bare strings (``tags=true``); the text is the tag's identity."""
    return list(dict.fromkeys(t.strip() for t in raw.get("tags") or [] if text(t)))


def outcome(raw: Raw, ctx: MapContext | None = None) -> tuple[str, str | None]:
    """(outcome, rejection reason name) of a WTTJ candidate, the integration's status map first."""
    stage = dict_obj(raw.get("stage"))
    ref, names = stage.get("reference"), (stage.get("name"), stage.get("id"))
    result = ctx.outcome(OUTCOMES, ref, names=names) if ctx is not None else OUTCOMES.decide(ref, names=names)
    if result == "PENDING" and raw.get("archived") is True:
        result = "DECLINED"
    return result, (stage.get("name") or "Archived") if result == "DECLINED" else None


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """One WTTJ candidate: the person (unified candidate) and their application to the job."""
    ref, profile = raw["reference"], dict_obj(raw.get("profile"))
    email, phone = text(profile.get("email")), text(profile.get("phone"))
    place = {"street_1": text(profile.get("address")), "city": text(profile.get("city")),
             "zip_code": text(profile.get("zip_code")), "country": text(profile.get("country_code"))}  # fmt: skip
    url = f"{APP_URL}{raw['modal_path']}" if str(raw.get("modal_path") or "").startswith("/") else None
    created, updated = ctx.dt(raw.get("created_at")), ctx.dt(raw.get("updated_at"))
    fields = {
        "first_name": profile.get("firstname"),
        "last_name": profile.get("lastname"),
        "title": text(profile.get("subtitle")),
        "source": raw.get("origin"),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "location": place if any(place.values()) else None,
        "remote_url": url,
        "remote_created_at": created,
        "remote_updated_at": updated,
        "custom_fields": {"cover_letter": raw.get("cover_letter"), "job_reference": raw.get("job_reference"),
                          "referrer": raw.get("referrer")},
    }  # fmt: skip
    yield ctx.record("candidates", ref, fields, {"tag_ids": [ctx.ref("tags", t) for t in tags_of(raw)]})
    result, reason = outcome(raw, ctx)
    stage_id = dict_obj(raw.get("stage")).get("id") or raw.get("stage_id")
    app_fields = {
        "outcome": result,
        "rejection_reason_name": reason,
        "current_stage_id": ctx.ref("application_stages", str(stage_id) if stage_id is not None else None),
        "job_id": ctx.ref("jobs", raw.get("job_reference")),
        "candidate_id": ctx.ref("candidates", ref),
        "remote_url": url,
        "remote_created_at": created,
        "remote_updated_at": updated,
        "custom_fields": {"origin": raw.get("origin"), "archived": raw.get("archived")},
    }
    yield ctx.record("applications", ref, app_fields)
    yield from _files(raw, ctx)


def _files(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """The CV (``resume_url``) and portfolio (``portfolio_url``, PDF only [doc]) of a candidate: attachments
    ``<reference>:resume|portfolio``. Their URLs are not stored (they may be signed and change on every read):
    downloads ask WTTJ for the candidate again."""
    ref = raw["reference"]
    for kind, url, kind_type, content in (
        ("resume", raw.get("resume_url"), "CV", text(raw.get("resume_content_type")) or "application/pdf"),
        ("portfolio", raw.get("portfolio_url"), "OTHER", "application/pdf"),
    ):
        if text(url):
            fields = {"candidate_id": ctx.ref("candidates", ref), "application_id": ctx.ref("applications", ref),
                      "type": kind_type, "file_name": f"{kind}{mimetypes.guess_extension(content) or ''}",
                      "content_type": content, "remote_created_at": ctx.dt(raw.get("created_at"))}  # fmt: skip
            yield ctx.record("attachments", f"{ref}:{kind}", fields)


def map_tag(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("tags", raw["name"], {"name": raw["name"]})


def map_reason(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("rejection_reasons", raw["id"], {"name": raw["name"]})
