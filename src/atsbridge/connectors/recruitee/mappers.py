"""Recruitee payloads -> unified records. Pure functions: no network, no database.

Recruitee wraps objects in a root key and adds a ``references`` side list (Offer, Stage, Admin objects told
apart by ``type``). What a mapper needs beyond the record, the source attaches under an underscore key:

* ``_refs`` (candidates): the response's references by ``"Type:id"``, for the placements' stage category
  (``hire``) and offer kind (talent pools are not jobs).
* ``_candidate`` (notes, attachments): the candidate the record was listed under.
* ``_offer`` and ``_index`` (stages): the offer whose pipeline it is, and the position in that pipeline.
* Synthetic rows: ``{"name"}`` (tags are bare strings), ``{"id", "label", "type"}`` (job roles), and
  ``{"kind": "cv", "_candidate", "url"}`` (the candidate's CV, served as a CV attachment).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import guess_content_type, number, split_name, text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]


def references(body: Raw) -> dict[str, Raw]:
    """A response's ``references`` by ``"Type:id"``."""
    return {f"{r.get('type')}:{r.get('id')}": r for r in body.get("references") or [] if isinstance(r, dict)}


def with_refs(candidate: Raw, body: Raw) -> Raw:
    return {**candidate, "_refs": references(body)}


# ---------------------------------------------------------------------------------------- users and roles

#: Job-scoped roles: an offer names a ``recruiter_id`` and a ``hiring_manager_id``.
JOB_ROLES: dict[str, tuple[str, str]] = {
    "recruiter": ("Recruiter", "RECRUITER"),
    "hiring_manager": ("Hiring Manager", "HIRING_MANAGER"),
}


def role_rows() -> list[Raw]:
    return [{"id": k, "label": label, "type": kind} for k, (label, kind) in JOB_ROLES.items()]


def map_role(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("roles", raw["id"], {"remote_label": raw["label"], "scope": "JOB", "unified_type": raw["type"]})


def map_admin(raw: Raw, ctx: MapContext) -> Records:
    """``/admins``: the company's users (Recruitee calls them admins); no role is exposed."""
    fields = {"first_name": text(raw.get("first_name")), "last_name": text(raw.get("last_name")),
              "email": text(raw.get("email")), "status": None}  # fmt: skip
    yield ctx.record("users", raw["id"], fields, {"system_roles": []})


def map_disqualify_reason(raw: Raw, ctx: MapContext) -> Records:
    yield ctx.record("rejection_reasons", raw["id"], {"name": text(raw.get("name"))})


def map_tag(raw: Raw, ctx: MapContext) -> Records:
    """Candidate tags are plain strings: the text is the tag's identity."""
    name = text(raw.get("name"))
    if name:
        yield ctx.record("tags", name, {"name": name})


# ----------------------------------------------------------------------------------------- jobs, stages

_STATUS = {"published": "OPEN", "internal": "OPEN", "draft": "DRAFT", "closed": "CLOSED", "archived": "ARCHIVED"}
_VISIBILITY = {"published": "PUBLIC", "internal": "INTERNAL"}
_POSTING = {"published": "ACTIVE", "internal": "ACTIVE", "draft": "DRAFT", "closed": "INACTIVE", "archived": "INACTIVE"}
_EMPLOYMENT = {"fulltime": "FULL_TIME", "full_time": "FULL_TIME", "parttime": "PART_TIME", "part_time": "PART_TIME",
               "contract": "CONTRACT", "freelance": "CONTRACT", "temporary": "SEASONAL", "internship": "INTERNSHIP",
               "traineeship": "INTERNSHIP"}  # fmt: skip
_PERIOD = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}


def _description(raw: Raw) -> str | None:
    parts = [p for p in (text(raw.get("description")), text(raw.get("requirements"))) if p]
    return "".join(parts) or None


def _job_location(raw: Raw) -> Raw | None:
    loc = {"city": text(raw.get("city")), "country": text(raw.get("country_code")),
           "state": text(raw.get("state_code")), "zip_code": text(raw.get("postal_code")),
           "street_1": text(raw.get("street")), "raw": text(raw.get("location"))}  # fmt: skip
    return loc if any(loc.values()) else None


def _hiring_team(raw: Raw, ctx: MapContext) -> list[Raw]:
    roles: dict[str, list[str]] = {}
    for key in ("recruiter", "hiring_manager"):
        if raw.get(f"{key}_id"):
            roles.setdefault(str(raw[f"{key}_id"]), []).append(key)
    team = []
    for user, keys in roles.items():
        job_roles = [{"remote_id": k, "remote_label": JOB_ROLES[k][0], "unified_type": JOB_ROLES[k][1]} for k in keys]
        team.append({"user_id": ctx.ref("users", user), "hiring_team_roles": [JOB_ROLES[k][1] for k in keys],
                     "job_roles": job_roles})  # fmt: skip
    return team


def map_offer(raw: Raw, ctx: MapContext) -> Records:
    """Offers of kind ``job`` are the jobs (talent pools hold candidates, not applications to a job)."""
    if raw.get("kind") not in (None, "job"):
        return
    status = raw.get("status") or ""
    salary: Raw = raw["salary"] if isinstance(raw.get("salary"), dict) else {}
    employment = text(raw.get("employment_type"))
    period = salary.get("period")
    fields = {
        "name": text(raw.get("title")),
        "description": _description(raw),
        "weekly_hours": number(raw.get("max_hours")),
        "category": text(raw.get("category")),
        "department": text(raw.get("department")),
        "post_url": text(raw.get("careers_url")) or text(raw.get("url")),
        "experience_level": text(raw.get("experience")),
        "salary_amount_from": number(salary.get("min")),
        "salary_amount_to": number(salary.get("max")),
        "salary_currency": text(salary.get("currency")),
        "salary_period": _PERIOD.get(period, period) if isinstance(period, str) and period else None,
        "remote_url": text(raw.get("adminapp_url")),
        "opened_at": ctx.dt(raw.get("published_at")),
        "closed_at": ctx.dt(raw.get("closed_at")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "contact_id": ctx.ref("users", raw.get("recruiter_id")),
        "employment_type": _EMPLOYMENT.get(employment.lower(), employment) if employment else None,
        "status": _STATUS.get(status, text(status)),
        "visibility": _VISIBILITY.get(status),
        "remote_work_status": "REMOTE" if raw.get("remote") is True else None,
        "location": _job_location(raw),
    }
    posting = {"id": ctx.ref("job_postings", raw["id"]), "remote_id": str(raw["id"]), "title": fields["name"],
               "description_html": fields["description"], "status": _POSTING.get(status, "DRAFT"),
               "visibility": fields["visibility"], "url": fields["post_url"]}  # fmt: skip
    nested = {"screening_questions": [], "job_postings": [posting], "hiring_team": _hiring_team(raw, ctx)}
    yield ctx.record("jobs", raw["id"], fields, nested)


def pipeline(offer: Raw) -> list[Raw]:
    """The offer's own copy of its pipeline template, in pipeline order (``position`` may be negative for the
    locked referred/sourced/applied stages), each tagged with ``_offer`` and ``_index``."""
    stages = (offer.get("pipeline_template") or {}).get("stages") or []
    ordered = sorted(stages, key=lambda s: (s.get("position") or 0, s.get("id") or 0))
    return [{**s, "_offer": offer["id"], "_index": i} for i, s in enumerate(ordered)]


def map_stage(raw: Raw, ctx: MapContext) -> Records:
    fields = {"name": text(raw.get("name")), "status": None, "index": raw.get("_index"),
              "job_id": ctx.ref("jobs", raw.get("_offer"))}  # fmt: skip
    yield ctx.record("application_stages", raw["id"], fields)


# ----------------------------------------------------------------------------- candidates and placements


def _values(field: Raw) -> list[Any]:
    out = []
    for value in field.get("values") or []:
        if isinstance(value, dict):
            found = next((value[k] for k in ("text", "value", "flag", "date", "number") if k in value), value)
            out.append(found)
    return out


def custom_fields(raw: Raw) -> dict[str, Any] | None:
    """Named profile ``fields`` (Time zone, Mentor, ...) and ``custom_fields``; only the detail carries them."""
    if "fields" not in raw and "custom_fields" not in raw:
        return None
    out: dict[str, Any] = {}
    for field in [*(raw.get("fields") or []), *(raw.get("custom_fields") or [])]:
        name = text(field.get("name")) if isinstance(field, dict) else None
        if name:
            values = _values(field)
            out[name] = values[0] if len(values) == 1 else values
    return out


def _address(raw: Raw) -> Raw | None:
    for field in raw.get("fields") or []:
        if isinstance(field, dict) and field.get("kind") == "address":
            values = [v for v in _values(field) if isinstance(v, str)]
            if values:
                return {"raw": values[0]}
    return None


def _social(raw: Raw) -> list[Raw]:
    links = []
    for item in [*(raw.get("social_links") or []), *(raw.get("links") or [])]:
        link = item if isinstance(item, str) else (item or {}).get("url") if isinstance(item, dict) else None
        if text(link):
            kind = next((k.upper() for k in ("linkedin", "github", "twitter", "facebook", "xing") if k in str(link)),
                        None)  # fmt: skip
            links.append({"link": link, "type": kind})
    return links


def candidate_tags(raw: Raw) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in raw.get("tags") or [] if text(t)))


def _candidate(raw: Raw, ctx: MapContext) -> UnifiedRecord:
    first, last = split_name(raw.get("name"))
    fields = {
        "first_name": first,
        "last_name": last,
        "source": text(raw.get("source")),
        "custom_fields": custom_fields(raw),
        "remote_url": text(raw.get("adminapp_url")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "phone_numbers": [{"phone_number": p, "type": None} for p in raw.get("phones") or [] if text(p)],
        "email_addresses": [{"email_address": e, "type": None} for e in raw.get("emails") or [] if text(e)],
        "social_media": _social(raw),
        "location": _address(raw),
    }
    tags = [ctx.ref("tags", t) for t in candidate_tags(raw)]
    return ctx.record("candidates", raw["id"], fields, {"tag_ids": tags})


#: Placement state -> outcome (see :func:`status`); an integration's ``status_map`` may name a disqualify reason
#: or a stage (e.g. ``{"Withdrew": "DECLINED"}``) to override it.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "disqualified": "DECLINED"}, default="PENDING")


def status(placement: Raw, refs: dict[str, Raw]) -> str:
    """``hired`` (``hired_at``, or a stage of category ``hire``), ``disqualified``, else ``in_process``."""
    stage = refs.get(f"Stage:{placement.get('stage_id')}") or {}
    if placement.get("hired_at") or stage.get("category") == "hire":
        return "hired"
    if placement.get("disqualify_reason") or placement.get("disqualify_kind") or placement.get("disqualified_at"):
        return "disqualified"
    return "in_process"


def outcome(placement: Raw, refs: dict[str, Raw]) -> str:
    """The default rule's outcome (HIRED when hired, DECLINED when disqualified)."""
    return OUTCOMES.decide(status(placement, refs))


def is_job_placement(placement: Raw, refs: dict[str, Raw]) -> bool:
    offer = refs.get(f"Offer:{placement.get('offer_id')}")
    return placement.get("offer_id") is not None and (offer is None or offer.get("kind") in (None, "job"))


def _placement(placement: Raw, candidate: Raw, refs: dict[str, Raw], ctx: MapContext) -> UnifiedRecord:
    stage = refs.get(f"Stage:{placement.get('stage_id')}") or {}
    names = (placement.get("disqualify_reason"), stage.get("name"))
    result = ctx.outcome(OUTCOMES, status(placement, refs), names=names)
    declined = result == "DECLINED"
    fields = {
        "outcome": result,
        "rejection_reason_name": text(placement.get("disqualify_reason")) if declined else None,
        "rejected_at": ctx.dt(placement.get("disqualified_at")) if declined else None,
        "current_stage_id": ctx.ref("application_stages", placement.get("stage_id")),
        "job_id": ctx.ref("jobs", placement.get("offer_id")),
        "candidate_id": ctx.ref("candidates", candidate["id"]),
        "remote_url": text(candidate.get("adminapp_url")),
        "remote_created_at": ctx.dt(placement.get("created_at")),
        "remote_updated_at": ctx.dt(placement.get("updated_at")),
    }
    return ctx.record("applications", placement["id"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    """A candidate and its placements (its applications, one per job offer)."""
    yield _candidate(raw, ctx)
    refs = raw.get("_refs") or {}
    for placement in raw.get("placements") or []:
        if isinstance(placement, dict) and placement.get("id") and is_job_placement(placement, refs):
            yield _placement(placement, raw, refs, ctx)


# --------------------------------------------------------------------------------------- notes and files


def note_html(raw: Raw) -> str | None:
    if text(raw.get("body_html")):
        return str(raw["body_html"])
    body = text(raw.get("body"))
    return "<p>" + html.escape(body).replace("\n", "<br>") + "</p>" if body else None


def map_note(raw: Raw, ctx: MapContext) -> Records:
    """Notes belong to a candidate, not to one of its placements."""
    fields = {
        "candidate_id": ctx.ref("candidates", raw.get("_candidate") or raw.get("candidate_id")),
        "author_id": ctx.ref("users", raw.get("admin_id")),
        "content_html": note_html(raw),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
    }
    yield ctx.record("notes", raw["id"], fields)


def cv_file_name(url: object) -> str:
    """The CV's name, from the signed URL's ``response-content-disposition=attachment;filename=...``."""
    query = parse_qs(urlparse(url).query) if isinstance(url, str) else {}
    for value in query.get("response-content-disposition", []):
        _, _, name = unquote(value).partition("filename=")
        if name.strip('"'):
            return name.strip('"')
    return "cv.pdf"


def cv_remote_id(candidate_id: object) -> str:
    return f"cv-{candidate_id}"


def file_remote_id(candidate_id: object, attachment_id: object) -> str:
    return f"file-{candidate_id}-{attachment_id}"


_KINDS = {"cover_letter": "COVER_LETTER", "cv": "CV", "resume": "CV"}


def map_attachment(raw: Raw, ctx: MapContext) -> Records:
    """The CV (``cv_original_url`` of the candidate) and the files of ``/candidates/{id}/attachments``."""
    candidate = raw["_candidate"]
    if raw.get("kind") == "cv" and "id" not in raw:
        cv_name = cv_file_name(raw.get("url"))
        cv_fields = {"candidate_id": ctx.ref("candidates", candidate), "type": "CV", "file_name": cv_name,
                     "content_type": guess_content_type(cv_name)}  # fmt: skip
        yield ctx.record("attachments", cv_remote_id(candidate), cv_fields)
        return
    name = text(raw.get("filename")) or text(raw.get("name"))
    fields = {"candidate_id": ctx.ref("candidates", candidate), "type": _KINDS.get(raw.get("kind") or "", "OTHER"),
              "file_name": name, "content_type": text(raw.get("content_type")) or guess_content_type(name),
              "remote_created_at": ctx.dt(raw.get("created_at"))}  # fmt: skip
    yield ctx.record("attachments", file_remote_id(candidate, raw["id"]), fields)
