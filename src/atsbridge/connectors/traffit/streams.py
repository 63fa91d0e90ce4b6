"""TRAFFIT's streams as data. Every listing is sorted by id (``X-Request-Sort``) and paged in headers.

Incremental strategy: employees (candidates, the bulk of the data) carry ``updated_at`` and are filtered with
``X-Request-Filter: {"updated_at": {">=" ...}}`` [3p]. Applications have no listing of their own: they are the
rows of ``/recruitments/{id}/employees`` [3p], so every run lists every recruitment (a few pages; the fan-out
needs all of them, so a delta filter on recruitments would save nothing) and each recruitment's employees and
rejections; record hashing keeps unchanged rows untouched. No deletion feed exists [3p]: full syncs find what
vanished. Notes and files are listed per employee, in a delta for the employees that changed only.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.traffit import mappers as m
from atsbridge.connectors.traffit.api import (
    BY_ID,
    EMPLOYEES,
    FILTER,
    RECRUITMENTS,
    REJECTIONS,
    STATES,
    application_id,
)
from atsbridge.connectors.traffit.api import since_filter as _since_filter

UPDATED_SINCE = kit.Since(FILTER, _since_filter)
Raw = dict[str, Any]


def _recruitment(raw: Raw) -> Raw:
    return {"id": raw["id"], "workflow_id": raw.get("workflow_id")}


def _employee(raw: Raw) -> Raw:
    return {"id": raw["id"]}


def _pair(raw: Raw) -> str | None:
    """``"<recruitment id>:<employee id>"`` of a row listed under a recruitment (a rejection or an application)."""
    recruitment = (raw.get("_recruitment") or {}).get("id") or raw.get("recruitment_id")
    return application_id(recruitment, m.ref_id(raw, "employee_id", "employee"))


def _rejection(raw: Raw) -> Raw:
    return {"reason": raw.get("reason"), "created_at": raw.get("created_at"), "id": raw.get("id")}


def _states(table: dict[Any, str], raw: Raw) -> None:
    for state in raw.get("states") or []:
        if isinstance(state, dict) and state.get("id") is not None:
            table[str(state["id"])] = str(state.get("name") or "")


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users", BY_ID)),
    kit.stream("workflows", "application_stages", m.map_workflow, kit.Listed("/workflows", BY_ID),
               publishes=[kit.Publish(STATES, fold=_states)]),
    kit.stream("recruitments", "jobs", m.map_recruitment, kit.Listed("/recruitments", BY_ID),
               publishes=[kit.Publish(RECRUITMENTS, _recruitment)]),
    kit.stream("employees", "candidates", m.map_employee, kit.Listed("/employees", BY_ID, since=UPDATED_SINCE),
               publishes=[kit.Publish(EMPLOYEES, _employee)]),
    kit.lookup_only("rejections", kit.FanOut(RECRUITMENTS, {"rejections": "/recruitments/{key}/rejections"},
                                             parent_into="_recruitment"),
                    publishes=[kit.Publish(REJECTIONS, _rejection, key=_pair)]),
    kit.stream("recruitment_employees", "applications", m.map_application,
               kit.FanOut(RECRUITMENTS, {"employees": "/recruitments/{key}/employees"}, parent_into="_recruitment"),
               steps=[kit.Attach(REJECTIONS, _pair, into="_rejection"),
                      kit.Attach(STATES, m.state_id, into="_state")]),
    kit.stream("notes", "notes", m.map_note,
               kit.FanOut(EMPLOYEES, {"notes": "/employees/{key}/notes"}, parent_into="_employee")),
    kit.stream("files", "attachments", m.map_file,
               kit.FanOut(EMPLOYEES, {"files": "/employees/{key}/files"}, parent_into="_employee")),
)  # fmt: skip
