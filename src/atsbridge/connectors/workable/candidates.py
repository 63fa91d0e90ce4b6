"""Workable candidates -> unified candidates *and* applications.

A Workable candidate belongs to exactly one job: the same person on two jobs is two candidate records (with
their own ids, ``originating_candidate_id`` pointing back when copied). So each vendor candidate is mapped to
one unified candidate and one application under the same remote id: every id, delta filter and webhook stays
one-to-one with Workable's, at the price that a person with two candidacies shows up as two candidates.

Outcome (reference §3.7): ``disqualified`` -> DECLINED (``withdrew`` too, with its reason text), else a stage
of kind ``hired`` (or ``hired_at`` set) -> HIRED, else PENDING (an ``offer`` stage is still pending).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import text
from atsbridge.connectors.workable.mappers import Records, slugify, stage_remote_id
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]


def outcome(raw: Raw) -> str:
    if raw.get("disqualified"):
        return "DECLINED"
    if raw.get("stage_kind") == "hired" or raw.get("hired_at"):
        return "HIRED"
    return "PENDING"


def stage_slug(raw: Raw) -> str | None:
    """The slug of the candidate's stage: from the job's stage table, else Workable's own slug rule."""
    name = text(raw.get("stage"))
    if name is None:
        return None
    table = raw.get("_stage_slugs") or {}
    return str(table.get(name) or slugify(name))


def _location(raw: Raw) -> Raw | None:
    loc = raw.get("location") if isinstance(raw.get("location"), dict) else {}
    assert isinstance(loc, dict)
    if any(loc.get(k) for k in ("location_str", "city", "country")):
        return {
            "raw": text(loc.get("location_str")),
            "city": text(loc.get("city")),
            "state": text(loc.get("region")) or text(loc.get("region_code")),
            "country": text(loc.get("country_code")) or text(loc.get("country")),
            "zip_code": text(loc.get("zip_code")),
        }
    address = text(raw.get("address"))
    return {"raw": address} if address else None


def _company(raw: Raw) -> str | None:
    entries = [e for e in raw.get("experience_entries") or [] if isinstance(e, dict)]
    current = [e for e in entries if e.get("current")] or entries
    return next((text(e.get("company")) for e in current if text(e.get("company"))), None)


def _social(raw: Raw) -> list[Raw]:
    return [
        {"link": text(p.get("url")), "type": text(p.get("type")), "username": text(p.get("username"))}
        for p in raw.get("social_profiles") or []
        if isinstance(p, dict) and (p.get("url") or p.get("username"))
    ]


def _source(raw: Raw) -> str | None:
    """``common_source`` is Workable's normalised source (a job board, "Careers page", a referrer's name)."""
    source = text(raw.get("common_source"))
    return None if source == "Unknown" else source


def candidate(raw: Raw, ctx: MapContext) -> UnifiedRecord:
    phone, email = text(raw.get("phone")), text(raw.get("email"))
    fields = {
        "first_name": text(raw.get("firstname")),
        "last_name": text(raw.get("lastname")),
        "company": _company(raw),
        "title": text(raw.get("headline")),
        "source": _source(raw),
        "remote_url": text(raw.get("profile_url")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "social_media": _social(raw),
        "location": _location(raw),
    }
    tags = list(dict.fromkeys(t for t in raw.get("tags") or [] if text(t)))
    return ctx.record("candidates", raw["id"], fields, {"tag_ids": [ctx.ref("tags", t) for t in tags]})


def _answer(item: Raw, ctx: MapContext) -> Raw:
    """One detail ``answers`` entry (``{"question": {...}, "answer": {...}}``) -> a unified answer; the answer
    object's key says the kind (``body``, ``checked``, ``choices``, ``date``, ``value``)."""
    question = item.get("question") or {}
    answer = item.get("answer") or {}
    title = text(question.get("body")) or ""
    rid = question.get("key") or question.get("id")
    kind: str
    value: Raw
    if "checked" in answer:
        kind, value = "BOOLEAN", {"checked": answer.get("checked")}
    elif "choices" in answer:
        choices = [str(c.get("body")) for c in answer.get("choices") or [] if isinstance(c, dict)]
        multi = question.get("single_answer") is False or len(choices) > 1
        kind, value = ("MULTI_SELECT", {"choices": choices}) if multi else ("SINGLE_SELECT", {"choice": choices[0]
                       if choices else None})  # fmt: skip
    elif "date" in answer:
        kind, value = "DATE", {"date": ctx.dt(answer.get("date"))}
    elif "value" in answer:
        number = answer.get("value")
        kind, value = "NUMBER", {"number": float(number) if isinstance(number, int | float) else None}
    elif "body" in answer:
        kind, value = "TEXT", {"content": answer.get("body")}
    else:
        kind, value = "UNKNOWN", {"raw": answer}
    return {"question": {"remote_id": str(rid) if rid else None, "title": title, "type": kind}, "answer": value}


def application(raw: Raw, ctx: MapContext) -> UnifiedRecord:
    shortcode = (raw.get("job") or {}).get("shortcode")
    slug = stage_slug(raw)
    result = outcome(raw)
    answers = raw.get("answers")
    fields = {
        "outcome": result,
        "rejection_reason_name": text(raw.get("disqualification_reason")) if result == "DECLINED" else None,
        "rejected_at": ctx.dt(raw.get("disqualified_at")) if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", stage_remote_id(shortcode, slug))
        if shortcode and slug
        else None,
        "job_id": ctx.ref("jobs", shortcode),
        "candidate_id": ctx.ref("candidates", raw["id"]),
        "remote_url": text(raw.get("profile_url")),
        "remote_created_at": ctx.dt(raw.get("created_at")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
        "screening_question_answers": [_answer(a, ctx) for a in answers if isinstance(a, dict)]
        if isinstance(answers, list)
        else None,
    }
    return ctx.record("applications", raw["id"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    yield candidate(raw, ctx)
    yield application(raw, ctx)
