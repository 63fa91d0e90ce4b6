"""What the sync lists: status sets (a lookup), requisitions with their statuses, applications, candidates."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.successfactors import mappers as m
from atsbridge.connectors.successfactors.api import STATUS_SETS, TAGS

odata = kit.odata
CHANGED = odata.since("lastModifiedDateTime", "gt")
STATUSES = "/JobApplicationStatus"
REQUISITIONS = "/JobRequisition"
APPLICATIONS = "/JobApplication"
CANDIDATES = "/Candidate"
#: Requisition locale rows hold the titles; the application's status row names its stage.
JOB_PARAMS = odata.params(expand=("jobReqLocale",))
#: Comments come with their application (a to-many navigation of ``JobApplication`` [doc]).
APP_LIST_PARAMS = odata.params(expand=("jobAppStatus", "jobApplicationComments"))


def _tags(table: dict[str, Any], row: dict[str, Any]) -> None:
    table.update({str(t["tagId"]): t.get("label") for t in odata.results(row.get("tags")) if t.get("tagId")})


def _fold(table: dict[str, Any], row: dict[str, Any]) -> None:
    table.setdefault(str(row.get("appStatusSetId")), []).append(row)


STREAMS = (
    kit.lookup_only("status_sets", kit.Listed(STATUSES), [kit.Publish(STATUS_SETS, fold=_fold)]),
    kit.stream("statuses", "rejection_reasons", m.map_rejection_reasons,
               kit.Derived(STATUS_SETS, lambda _, statuses: list(statuses))),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job, kit.Listed(REQUISITIONS, JOB_PARAMS, since=CHANGED),
               steps=[kit.Attach(STATUS_SETS, lambda job: job.get("statusSetId"), into="_statuses")]),
    kit.stream("users", "users", m.map_user, kit.Listed("/User", since=CHANGED)),
    kit.stream("applications", ("applications", "notes"), m.map_application_and_notes,
               kit.Listed(APPLICATIONS, APP_LIST_PARAMS, since=CHANGED)),
    kit.stream("candidates", "candidates", m.map_candidate,
               kit.Listed(CANDIDATES, odata.params(expand=("tags",)), since=CHANGED),
               publishes=[kit.Publish(TAGS, fold=_tags)]),
    # tags have no listing of their own here: those the candidates listed in this run carry (a full run: all)
    kit.stream("tags", "tags", m.map_tag, kit.Derived(TAGS, lambda tag_id, label: [{"tagId": tag_id, "label": label}])),
    # no lastModifiedDateTime is documented on these two: listed in full
    kit.stream("interviews", "interviews", m.map_interview, kit.Listed("/JobApplicationInterview")),
    kit.stream("offers", "offers", m.map_offer, kit.Listed("/JobOffer")),
)  # fmt: skip
