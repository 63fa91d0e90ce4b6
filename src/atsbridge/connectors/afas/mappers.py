"""AFAS GetConnector rows -> unified records. Pure functions: no network, no database.

Rows carry the field ids of the customer's GetConnectors (``api.CONNECTORS``): vacancies (``VacancyId`` =
``VcSn``), applicants (``ApplicantId`` = ``EmId``, ``PersonId`` = ``BcCo``) and applications (``Status`` =
``StSo``, ``LastAction`` = ``ViAt``). Every date-time is Amsterdam local time ending in ``Z``
(``api.local_time``). Booleans arrive as strings (``"0"``, ``"1"``, ``"true"``) [doc].

The pipeline is AFAS's fixed "last action" list (``ViAt`` [doc]): one global set of stages. Rejection reasons
are its two rejecting actions (10, 11).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.afas.api import local_time
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.kit.values import any_text as text
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: ``ViAt`` codes and their Profit labels [doc]; 10 and 11 reject, 6 is the hire.
ACTIONS = {"0": "Ontvangen", "1": "Uitnodiging 1e gesprek", "2": "Uitnodiging 2e gesprek",
           "3": "Uitnodiging 3e gesprek", "4": "Medische keuring", "5": "Test", "6": "Aanstelling",
           "10": "Definitief afgewezen", "11": "Afgewezen, in portefeuille"}  # fmt: skip
REJECTIONS = ("10", "11")
#: ``StSo`` codes and their Profit labels [doc].
STATUSES = {"1": "Open", "2": "Aangenomen", "3": "Afgewezen"}
#: ``StSo`` 1 Open / 2 Aangenomen / 3 Afgewezen [doc]; then the last action. A tenant's status map names a
#: status or action by its label (the row's own ``StatusLabel`` first, then Profit's), ``ViAt <code>`` or the
#: ``StSo`` code; the status before the action.
OUTCOMES = OutcomeRule(statuses={"2": "HIRED", "3": "DECLINED"},
                       stages={"6": "HIRED", "10": "DECLINED", "11": "DECLINED"})  # fmt: skip


def flag(value: object) -> bool:
    """AFAS string booleans: ``"1"``, ``"true"``, ``True``."""
    return str(value).strip().lower() in ("1", "true", "-1")


def code(value: object) -> str | None:
    """``"02"``, ``2``, ``"2"`` -> ``"2"`` (codes arrive as strings or numbers)."""
    raw = text(value)
    return str(int(raw)) if raw is not None and raw.isdigit() else raw


def stage_rows() -> list[dict[str, Any]]:
    return [{"code": c, "name": n} for c, n in ACTIONS.items() if c not in REJECTIONS]


def reason_rows() -> list[dict[str, Any]]:
    return [{"code": c, "name": ACTIONS[c]} for c in REJECTIONS]


def map_stage(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("application_stages", raw["code"], {"name": raw["name"], "index": int(raw["code"]),
                                                         "status": "ACTIVE", "job_id": None})  # fmt: skip


def map_reason(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("rejection_reasons", raw["code"], {"name": raw["name"]})


def map_vacancy(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    fields = {
        "name": text(raw.get("Title")),
        "department": text(raw.get("Department")),
        "location": {"raw": text(raw.get("Location"))} if text(raw.get("Location")) else None,
        "status": "CLOSED" if flag(raw.get("Closed")) else "OPEN",
        "remote_created_at": local_time(raw.get("CreatedAt")),
        "remote_updated_at": local_time(raw.get("ModifiedAt")),
    }
    yield ctx.record("jobs", str(raw["VacancyId"]), fields)


def map_applicant(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    email, phone = text(raw.get("Email")), text(raw.get("Phone"))
    fields = {
        "first_name": text(raw.get("FirstName")),
        "last_name": text(raw.get("LastName")),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "remote_created_at": local_time(raw.get("CreatedAt")),
        "remote_updated_at": local_time(raw.get("ModifiedAt")),
        "custom_fields": {"person_id": text(raw.get("PersonId"))},
    }
    yield ctx.record("candidates", str(raw["ApplicantId"]), fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext) -> str:
    status, action = code(raw.get("Status")), code(raw.get("LastAction"))
    names = (raw.get("StatusLabel"), STATUSES.get(status or ""), ACTIONS.get(action or ""), f"ViAt {action}")
    return ctx.outcome(OUTCOMES, status, stage=action, names=names)


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    action, result = code(raw.get("LastAction")), outcome(raw, ctx)
    rejected = result == "DECLINED" and action in REJECTIONS
    fields = {
        "outcome": result,
        "rejection_reason_name": ACTIONS[action] if rejected and action else None,
        "current_stage_id": ctx.ref("application_stages", action) if action in ACTIONS and not rejected else None,
        "job_id": ctx.ref("jobs", text(raw.get("VacancyId"))),
        "candidate_id": ctx.ref("candidates", text(raw.get("ApplicantId"))),
        "remote_created_at": local_time(raw.get("ApplicationDate")),
        "remote_updated_at": local_time(raw.get("ModifiedAt")),
        "custom_fields": {"employer_id": text(raw.get("EmployerId")), "status": code(raw.get("Status"))},
    }
    yield ctx.record("applications", str(raw["ApplicationId"]), fields)
