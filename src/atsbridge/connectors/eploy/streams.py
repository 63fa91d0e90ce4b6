"""Eploy's streams as data: every list is a search (``POST /{entity}/search``, paging and filters in the JSON
body), narrowed on a delta run to ``<Entity>.ModificationDate GreaterThan`` the last sync [conn].

No deletion feed exists (none found in the API [gap]): complete full listings mark what vanished deleted.
Workflow stages are learnt from the applications' ``Workflow.Stage`` blocks: the ``workflows`` module's
answer shape is not public [gap], the applications name every stage they use."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.eploy import mappers as m
from atsbridge.connectors.eploy.api import STAGES, changed_since, ref_id, search

Raw = dict[str, Any]

APPLICATION_BLOCKS = ("ApplicationId", "ApplicationDate", "ApplicationType", "InfluenceToApply", "Workflow",
                      "Placement", "Candidate", "Vacancy", "CreationDate", "ModificationDate")  # fmt: skip
VACANCY_BLOCKS = ("VacancyId", "Title", "Reference", "Description", "VacancyStatus", "Location", "Company",
                  "Department", "Salary", "CreationDate", "ModificationDate")  # fmt: skip
CANDIDATE_BLOCKS = ("CandidateId", "FirstName", "Surname", "EmailAddress", "MobileTelephone", "HomeTelephone",
                    "Address", "Source", "CreationDate", "ModificationDate")  # fmt: skip
USER_BLOCKS = ("UserId", "FirstName", "Surname", "EmailAddress", "Active")
ACTION_BLOCKS = ("ActionId", "ActionType", "Candidate", "Application", "Vacancy", "User", "Notes", "ActionDate",
                 "Duration", "CreationDate", "ModificationDate")  # fmt: skip


def _searched(entity: str, plural: str, blocks: tuple[str, ...]) -> kit.Listed:
    return kit.Listed(f"/{plural}/search", method="POST", body=search(*blocks), since=changed_since(entity))


def _stage(table: dict[Any, Any], row: Raw) -> None:
    stage = (row.get("Workflow") or {}).get("Stage") if isinstance(row.get("Workflow"), dict) else None
    key = ref_id(stage)
    if key is not None and isinstance(stage, dict):
        table[key] = {"Id": key, "Description": stage.get("Description")}


STREAMS = (
    kit.stream("users", "users", m.map_user, _searched("User", "users", USER_BLOCKS)),
    kit.stream("vacancies", "jobs", m.map_vacancy, _searched("Vacancy", "vacancies", VACANCY_BLOCKS)),
    kit.stream("candidates", "candidates", m.map_candidate, _searched("Candidate", "candidates", CANDIDATE_BLOCKS)),
    kit.stream("applications", "applications", m.map_application,
               _searched("Application", "applications", APPLICATION_BLOCKS),
               publishes=[kit.Publish(STAGES, fold=_stage)]),
    kit.stream("stages", "application_stages", m.map_stage, kit.Derived(STAGES, lambda _key, stage: [stage])),
    kit.stream("actions", ("notes", "interviews"), m.map_action, _searched("Action", "actions", ACTION_BLOCKS)),
)  # fmt: skip

DELETIONS: tuple[kit.DeletionFeed, ...] = ()
