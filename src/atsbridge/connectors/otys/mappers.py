"""OTYS records -> unified records. Pure functions: no network, no database.

**No OTYS payload was ever recorded** (only request examples exist): the shapes are the ones OTYS' own
WordPress plugin and a public client read [conn]: ``uid`` ids, a candidate's ``Person`` block, procedures
(applications) with ``candidateUid``/``vacancyUid`` and three status levels ``ProcedureStatus1|2|3`` of
``{uid, code}``. Unverified [gap]: ``lastModified``/``entryDateTime`` names and format (ISO read either way),
the users' field names, the vacancy ``status`` values.

Stages: the three tenant-defined status levels are all ``application_stages``; a stage's remote id is
``<level>_<uid>``, the form ``ProcedureService.add`` takes [conn]. An application's ``current_stage`` is its
level-1 status (the top of the hierarchy), levels 2 and 3 go to ``custom_fields``. ``_level`` on a status row is
attached by the stream.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import dict_obj
from atsbridge.connectors.outcomes import OutcomeRule, norm
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]
Records = Iterator[UnifiedRecord]

#: Statuses are customer-defined at three levels: the default knows common Dutch/English names; every
#: tenant maps its own codes (any level, or a status's ``<level>_<uid>``) with the integration's status map.
OUTCOMES = OutcomeRule(
    statuses={"geplaatst": "HIRED", "aangenomen": "HIRED", "hired": "HIRED", "placed": "HIRED",
              "afgewezen": "DECLINED", "afgevallen": "DECLINED", "rejected": "DECLINED",
              "teruggetrokken": "DECLINED", "withdrawn": "DECLINED"},
    default="PENDING",
)  # fmt: skip
_JOB_STATUS = {"online": "OPEN", "open": "OPEN", "published": "OPEN", "offline": "CLOSED", "closed": "CLOSED",
               "gesloten": "CLOSED", "draft": "DRAFT", "concept": "DRAFT", "archived": "ARCHIVED"}  # fmt: skip


def _text(value: Any) -> str | None:
    if isinstance(value, dict):  # option-list fields come as {uid, value} or {name}
        value = value.get("value") or value.get("name") or value.get("title")
    return str(value) if value not in (None, "") else None


def stage_id(level: int, status: Raw) -> str | None:
    """``<level>_<uid>``; a uid already written that way is kept."""
    uid = status.get("uid")
    if uid in (None, "", 0, "0"):
        return None
    text = str(uid)
    return text if text.startswith(f"{level}_") else f"{level}_{text}"


def map_user(raw: Raw, ctx: MapContext) -> Records:
    first, last = raw.get("firstName"), raw.get("lastName")
    if not first and not last and raw.get("name"):
        first, _, last = str(raw["name"]).partition(" ")
    fields = {"first_name": first or None, "last_name": last or None, "email": raw.get("email"),
              "status": "INACTIVE" if raw.get("active") in (False, 0, "0") else "ACTIVE"}  # fmt: skip
    yield ctx.record("users", raw["uid"], fields)


def map_status(raw: Raw, ctx: MapContext) -> Records:
    level = int(raw.get("_level") or 1)
    rid = stage_id(level, raw)
    if rid is None:
        return
    name = raw.get("code") or raw.get("name")
    index = raw.get("rank") if isinstance(raw.get("rank"), int) else None
    yield ctx.record("application_stages", rid, {"name": name, "index": index,
                                                  "custom_fields": {"level": level}})  # fmt: skip


def map_vacancy(raw: Raw, ctx: MapContext) -> Records:
    status = _text(raw.get("status"))
    description = "".join(str(raw[k]) for k in ("textField_description", "textField_requirements",
                                                "textField_salary") if raw.get(k)) or None  # fmt: skip
    location = _text(raw.get("location"))
    fields = {
        "name": raw.get("title"),
        "job_code": raw.get("referenceNr") or raw.get("internalId"),
        "description": description,
        "category": _text(raw.get("category")),
        "status": _JOB_STATUS.get((status or "").lower()),
        "location": {"city": location} if location else None,
        "remote_created_at": ctx.dt(raw.get("entryDateTime")),
        "remote_updated_at": ctx.dt(raw.get("lastModified")),
        "custom_fields": {"status": status, "owner_email": raw.get("userEmail"), "internal_id": raw.get("internalId"),
                          "customer": _text(raw.get("relation"))},
    }  # fmt: skip
    yield ctx.record("jobs", raw["uid"], fields)


def map_candidate(raw: Raw, ctx: MapContext) -> Records:
    person = dict_obj(raw.get("Person"))
    mail, phone = person.get("emailPrimary"), person.get("phoneMobile")
    last = " ".join(str(p) for p in (person.get("infix"), person.get("lastName")) if p) or None
    city, country = person.get("city"), person.get("country")
    fields = {
        "first_name": person.get("firstName"),
        "last_name": last,
        "email_addresses": [{"email_address": mail, "type": "PERSONAL"}] if mail else [],
        "phone_numbers": [{"phone_number": phone, "type": "MOBILE"}] if phone else [],
        "location": {"city": city, "country": country} if city or country else None,
        "source": _text(raw.get("source")),
        "remote_created_at": ctx.dt(raw.get("entryDateTime")),
        "remote_updated_at": ctx.dt(raw.get("lastModified")),
        "custom_fields": {"internal_id": raw.get("internalId"), "status_id": raw.get("statusId")},
    }
    yield ctx.record("candidates", raw["uid"], fields, {"tag_ids": []})


def levels(raw: Raw) -> list[tuple[int, Raw]]:
    return [(n, dict_obj(raw.get(f"ProcedureStatus{n}"))) for n in (1, 2, 3)]


def outcome(raw: Raw, ctx: MapContext) -> str:
    """The deepest level the tenant's map or the default names decides; codes and ``<level>_<uid>`` both work."""
    found = [(n, s) for n, s in levels(raw) if stage_id(n, s)]
    deepest_first = list(reversed(found))
    names = tuple(v for n, s in deepest_first for v in (s.get("code"), stage_id(n, s)) if v)
    known = {norm(k) for k in OUTCOMES.statuses}
    status = next((s.get("code") for _, s in deepest_first if s.get("code") and norm(s["code"]) in known),
                  found[0][1].get("code") if found else None)  # fmt: skip
    return ctx.outcome(OUTCOMES, status, names=names)


def map_procedure(raw: Raw, ctx: MapContext) -> Records:
    status = levels(raw)
    top = stage_id(1, status[0][1])
    fields = {
        "outcome": outcome(raw, ctx),
        "candidate_id": ctx.ref("candidates", raw.get("candidateUid")),
        "job_id": ctx.ref("jobs", raw.get("vacancyUid")),
        "current_stage_id": ctx.ref("application_stages", top),
        "remote_created_at": ctx.dt(raw.get("entryDateTime")),
        "remote_updated_at": ctx.dt(raw.get("lastModified")),
        "custom_fields": {f"status_level_{n}": s.get("code") for n, s in status if s},
    }
    yield ctx.record("applications", raw["uid"], fields)
