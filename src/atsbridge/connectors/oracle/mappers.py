"""Oracle Recruiting Cloud records -> unified records. Pure functions: no network, no database.

**No Oracle payload was ever recorded**: the field names are the documented ones (reference §3.6:
``recruitingJobRequisitions``, ``recruitingJobApplications``; [doc]/[conn]). ``recruitingCandidates``' own
fields are a [gap] in the reference (only its children are named): the mapper reads the Fusion person names
``PersonId, CandidateNumber, FirstName, LastName, Email, PhoneNumber`` — the most defensible reading, kept
in :data:`CANDIDATE_FIELDS` so a live tenant's names are a one-line change.

Ids (``300000049043637``) exceed JavaScript's safe integers: every id is kept as a string.
A stage is one **state within a phase** (``recruitingUIJobApplicationPhasesStates`` with its ``States``
child): remote id ``"<PhaseId>:<StateId>"``, so an application's stage is known without a lookup. Phases and
states belong to a Candidate Selection Process; the catalogue is global, so stages carry no job.
An application carries its phase and state ids and names but no codes: the source attaches the catalogue's
codes under ``_stage`` (``{"phase_code", "state_code"}``, or None when the state is not in the catalogue).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = Mapping[str, Any]

#: [gap] field names of ``recruitingCandidates`` (see the module docstring).
CANDIDATE_FIELDS = {"id": "PersonId", "number": "CandidateNumber", "first": "FirstName", "last": "LastName",
                    "email": "Email", "phone": "PhoneNumber"}  # fmt: skip

#: State codes first (REJECTED_EMPLOYER / WITHDRAWN_BY_CANDIDATE -> DECLINED, [3p] codes), then the phase:
#: the HR phase is reached only after an accepted offer, so it reads as HIRED (the reference: "HR phase +
#: accepted offer"; a processed hire has no separate flag on the application [gap]). States are customer
#: configurable: the integration's ``status_map`` (by state name or code) overrides both.
OUTCOMES = OutcomeRule(
    statuses={"REJECTED_EMPLOYER": "DECLINED", "WITHDRAWN_BY_CANDIDATE": "DECLINED", "HIRED": "HIRED"},
    stages={"HR": "HIRED"},
)


#: The state codes that are a rejection by the employer: the rejection reasons (a rejection moves there).
REJECTING = frozenset({"REJECTED_EMPLOYER"})


def _id(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def stage_remote_id(phase_id: Any, state_id: Any) -> str:
    return f"{phase_id}:{state_id}"


def map_phase(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """A phase row with its ``States`` child (``expand=States``): one stage per state, in phase order."""
    for index, state in enumerate(raw.get("States") or []):
        fields = {
            "name": f"{raw.get('PhaseName')}: {state.get('StateName')}",
            "index": int(raw.get("PhaseOrder") or 0) * 100 + index,
            "status": "ACTIVE",
            "job_id": None,
            "custom_fields": {"phase_id": _id(raw.get("PhaseId")), "phase_code": raw.get("PhaseCode"),
                              "state_id": _id(state.get("StateId")), "state_code": state.get("StateCode")},
        }  # fmt: skip
        remote_id = stage_remote_id(raw.get("PhaseId"), state.get("StateId"))
        yield ctx.record("application_stages", remote_id, fields)
        if str(state.get("StateCode") or "").upper() in REJECTING:
            yield ctx.record("rejection_reasons", remote_id, {"name": state.get("StateName")})


def map_job(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    openings = raw.get("NumberOfOpenings")
    fields = {
        "name": raw.get("Title"),
        "job_code": raw.get("RequisitionNumber"),
        "status": None,  # [gap] the requisition phase/state codes that mean open or closed are undocumented
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("LastUpdateDate")),
        "custom_fields": {"phase_id": _id(raw.get("PhaseId")), "state_id": _id(raw.get("StateId")),
                          "recruiting_type": raw.get("RecruitingType"), "openings": openings,
                          "unlimited_openings": raw.get("UnlimitedOpenings"),
                          "hiring_manager_id": _id(raw.get("HiringManagerId")),
                          "recruiter_id": _id(raw.get("RecruiterId")),
                          "primary_location_id": _id(raw.get("PrimaryLocationId"))},
    }  # fmt: skip
    yield ctx.record("jobs", str(raw["RequisitionId"]), fields, {})


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    f = CANDIDATE_FIELDS
    email, phone = raw.get(f["email"]), raw.get(f["phone"])
    fields = {
        "first_name": raw.get(f["first"]),
        "last_name": raw.get(f["last"]),
        "email_addresses": [{"email_address": email, "type": None}] if email else [],
        "phone_numbers": [{"phone_number": phone, "type": None}] if phone else [],
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("LastUpdateDate")),
        "custom_fields": {"candidate_number": raw.get(f["number"])},
    }
    yield ctx.record("candidates", str(raw[f["id"]]), fields, {"tag_ids": []})


def outcome(raw: Raw, ctx: MapContext | None = None) -> str:
    """``DisqualifiedFlag`` wins; then the integration's map, the state code, the phase code."""
    if str(raw.get("DisqualifiedFlag") or "").upper() in ("Y", "TRUE"):
        return "DECLINED"
    codes = raw.get("_stage") or {}
    state, phase = codes.get("state_code"), codes.get("phase_code")
    names = (raw.get("StateName"), raw.get("PhaseName"))
    if ctx is not None:
        return ctx.outcome(OUTCOMES, state, stage=phase, names=names)
    return OUTCOMES.decide(state, stage=phase, names=names)


def map_application(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    result = outcome(raw, ctx)
    phase, state = raw.get("PhaseId"), raw.get("StateId")
    fields = {
        "outcome": result,
        "rejection_reason_name": raw.get("StateName") if result == "DECLINED" else None,
        "current_stage_id": ctx.ref("application_stages", stage_remote_id(phase, state)) if phase else None,
        "job_id": ctx.ref("jobs", _id(raw.get("RequisitionId"))),
        "candidate_id": ctx.ref("candidates", _id(raw.get("CandidatePersonId"))),
        "remote_created_at": ctx.dt(raw.get("JobApplicationDate") or raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("LastUpdateDate")),
        "custom_fields": {"requisition_number": raw.get("RequisitionNumber"), "internal": raw.get("InternalFlag"),
                          "confirmed": raw.get("ConfirmedFlag"), "process_id": _id(raw.get("ProcessId")),
                          "public_state": raw.get("PublicStateName"), "site_number": raw.get("SiteNumber")},
    }  # fmt: skip
    yield ctx.record("applications", str(raw["JobApplicationId"]), fields)


#: [gap] ``recruitingJobOffers``' state codes: the offer phase's states as the reference lists them
#: (``OFFER_APPROVED``) plus Fusion's usual names for the others; anything else keeps no status.
OFFER_STATUS = {"DRAFT": "DRAFT", "PENDING_APPROVAL": "DRAFT", "OFFER_APPROVED": "APPROVED", "APPROVED": "APPROVED",
                "EXTENDED": "SENT", "ACCEPTED": "ACCEPTED", "DECLINED_BY_CANDIDATE": "DECLINED",
                "WITHDRAWN": "ABANDONED", "RESCINDED": "ABANDONED"}  # fmt: skip


def map_offer(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    """``recruitingJobOffers`` [doc resource; fields [gap]: ``OfferId, JobApplicationId, StateCode, StateName,
    PlannedStartDate, CreationDate, LastUpdateDate``, the most defensible reading of an ADF offer row]."""
    fields = {
        "status": OFFER_STATUS.get(str(raw.get("StateCode") or "").upper()),
        "employment_start_date": ctx.dt(raw.get("PlannedStartDate")),
        "application_id": ctx.ref("applications", _id(raw.get("JobApplicationId"))),
        "remote_created_at": ctx.dt(raw.get("CreationDate")),
        "remote_updated_at": ctx.dt(raw.get("LastUpdateDate")),
        "custom_fields": {"state_code": raw.get("StateCode"), "state_name": raw.get("StateName")},
    }
    yield ctx.record("offers", str(raw["OfferId"]), fields)
