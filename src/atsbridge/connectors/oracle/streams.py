"""Oracle's streams: the phase/state catalogue, requisitions, candidates and job applications.

Requisitions, candidates, applications and offers are filtered by ``q=LastUpdateDate>'…'`` on a delta run ([3p]
syntax); the catalogue is small and read in full. Every listing is ordered by its primary key so offset
paging is stable, and sent with ``onlyData=true`` (no per-row ``links``).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.oracle import mappers as m
from atsbridge.connectors.oracle.api import LISTING, STAGES, UPDATED_SINCE

Raw = dict[str, Any]


def _listed(path: str, key: str, **extra: str) -> kit.Listed:
    return kit.Listed(path, {**LISTING, "orderBy": key, **extra}, since=UPDATED_SINCE)


def _codes(table: dict[str, dict[str, object]], phase: Raw) -> None:
    for state in phase.get("States") or []:
        table[m.stage_remote_id(phase.get("PhaseId"), state.get("StateId"))] = {
            "phase_code": phase.get("PhaseCode"), "state_code": state.get("StateCode")}  # fmt: skip


def _stage_key(app: Raw) -> str:
    return m.stage_remote_id(app.get("PhaseId"), app.get("StateId"))


STREAMS = (
    kit.stream("phases", ("application_stages", "rejection_reasons"), m.map_phase,
               kit.Listed("/recruitingUIJobApplicationPhasesStates",
                          {**LISTING, "orderBy": "PhaseOrder", "expand": "States"}),
               publishes=[kit.Publish(STAGES, fold=_codes)]),
    kit.stream("requisitions", "jobs", m.map_job, _listed("/recruitingJobRequisitions", "RequisitionId")),
    kit.stream("applications", "applications", m.map_application,
               _listed("/recruitingJobApplications", "JobApplicationId"),
               steps=[kit.Attach(STAGES, _stage_key, into="_stage")]),
    kit.stream("candidates", "candidates", m.map_candidate, _listed("/recruitingCandidates", "PersonId")),
    kit.stream("offers", "offers", m.map_offer, _listed("/recruitingJobOffers", "OfferId")),
)  # fmt: skip
