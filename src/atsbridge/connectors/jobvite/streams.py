"""Jobvite's streams as data: requisitions (with the users they embed) and candidate rows (candidate +
application), the workflow states derived from the applications."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.jobvite import mappers as m
from atsbridge.connectors.jobvite.api import CANDIDATES, REQUISITIONS, STAGES, USERS

Raw = dict[str, Any]


def day_before(ts: datetime) -> str:
    """``datestart`` is a date (``dateFormat=yyyy-MM-dd``) compared with the last-updated day in the tenant's
    time zone (unstated; Jobvite is Pacific-based): starting a day early never misses a change, and the rows
    re-read from that day map to the same records (nothing is rewritten)."""
    return (ts - timedelta(days=1)).strftime("%Y-%m-%d")


#: ``datestart`` (+ ``dateFormat``) filters ``/candidate`` by last-updated date [conn kippnorcal, doc v1].
UPDATED_SINCE = kit.Since("datestart", day_before, extra={"dateFormat": "yyyy-MM-dd"})


def _users(table: dict[Any, Raw], job: Raw) -> None:
    for user in m.users_of(job):
        if kit.text(user.get("userId")):
            table[str(user["userId"])] = dict(user)


def _state(table: dict[Any, str], row: Raw) -> None:
    app = row.get("application")
    key = m.state_key(app) if isinstance(app, dict) else None
    if key is not None and isinstance(app, dict):
        table[key] = kit.text(app.get("workflowState")) or key


STREAMS = (
    kit.stream(
        "jobs", "jobs", m.map_job,
        kit.Listed("/job", pager=REQUISITIONS, records_path="requisitions"),
        publishes=[kit.Publish(USERS, fold=_users)],
    ),
    kit.stream("users", "users", m.map_user, kit.Derived(USERS, lambda _key, user: [user])),
    kit.stream(
        "candidates", ("candidates", "applications"), m.map_row,
        kit.Listed("/candidate", since=UPDATED_SINCE, pager=CANDIDATES, records_path="candidates"),
        publishes=[kit.Publish(STAGES, fold=_state)],
    ),
    kit.stream(
        "workflow_states", "application_stages", m.map_stage,
        kit.Derived(STAGES, lambda key, name: [{"_state_id": key, "_state_name": name}]),
    ),
)  # fmt: skip
