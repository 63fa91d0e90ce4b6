"""Sage HR's streams as data. No list has an updated-since filter and no deletion feed exists [doc]: every run
lists employees, positions and each position's applicants in full (positions x applicants, one listing per
position), the engine's hashing keeps unchanged records untouched, and complete listings find deletions."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.sagehr import mappers as m
from atsbridge.connectors.sagehr.api import POSITIONS, STAGES, fold_stage, position_context

STREAMS = (
    kit.stream("employees", "users", m.map_employee, kit.Listed("/employees")),
    # the list without ``status`` is read as every status (draft ... cancelled) [gap: the default is undocumented]
    kit.stream("positions", "jobs", m.map_position, kit.Listed("/recruitment/positions"),
               steps=[kit.Detail("/recruitment/positions/{id}", into="_detail", data_path="data")],
               publishes=[kit.Publish(POSITIONS, position_context)]),
    kit.stream("applicants", ("candidates", "applications"), m.map_applicant,
               kit.FanOut(POSITIONS, {"applicants": "/recruitment/positions/{key}/applicants"},
                          parent_into="_position"),
               publishes=[kit.Publish(STAGES, fold=fold_stage)]),
    kit.stream("stages", "application_stages", m.map_stage, kit.Derived(STAGES, lambda _key, stage: [stage])),
)  # fmt: skip
