"""What the sync lists: status sets (a lookup), requisitions with their statuses, applications, candidates."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.successfactors import mappers as m
from atsbridge.connectors.successfactors.api import STATUS_SETS

odata = kit.odata
CHANGED = odata.since("lastModifiedDateTime", "gt")
STATUSES = "/JobApplicationStatus"
REQUISITIONS = "/JobRequisition"
APPLICATIONS = "/JobApplication"
CANDIDATES = "/Candidate"
#: Requisition locale rows hold the titles; the application's status row names its stage.
JOB_PARAMS = odata.params(expand=("jobReqLocale",))
APP_PARAMS = odata.params(expand=("jobAppStatus",))


def _fold(table: dict[str, Any], row: dict[str, Any]) -> None:
    table.setdefault(str(row.get("appStatusSetId")), []).append(row)


STREAMS = (
    kit.lookup_only("status_sets", kit.Listed(STATUSES), [kit.Publish(STATUS_SETS, fold=_fold)]),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job, kit.Listed(REQUISITIONS, JOB_PARAMS, since=CHANGED),
               steps=[kit.Attach(STATUS_SETS, lambda job: job.get("statusSetId"), into="_statuses")]),
    kit.stream("applications", "applications", m.map_application,
               kit.Listed(APPLICATIONS, APP_PARAMS, since=CHANGED)),
    kit.stream("candidates", "candidates", m.map_candidate, kit.Listed(CANDIDATES, since=CHANGED)),
)  # fmt: skip
