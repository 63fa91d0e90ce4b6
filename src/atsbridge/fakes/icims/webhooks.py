"""The Integration Events the fake iCIMS pushes (enabled by hand, as iCIMS does per customer: ``POST
/__fake/webhooks``; iCIMS has no API for them).

A status move sends Status Flow Update (``WorkFlowStatusChangeEvent``: ``newStatus``, ``oldStatus``,
``customerId``, ``jobId``, ``userId`` the recruiter, ``personId``, ``links``, ``systemId`` the workflow) [doc];
the fake sends it for every node (a real tenant sends it only for its configured trigger statuses). A new
application sends Application Complete (``AssessmentEvent``: ``returnUrl``, ``customerId``, ``userId`` the
candidate, ``links``, ``systemId``) [doc]. Person edits and deletions send nothing (iCIMS has no event for
them). Nothing is signed and no delivery id is sent (none documented), so deliveries carry only
``Content-Type``; bodies are plain JSON (the documented gzip is not reproduced).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change

#: The platform user the fake's status moves are made by (``userId`` of a Status Flow Update).
RECRUITER = "1001"


@dataclass(frozen=True)
class WorkflowEvent(Change):
    """A workflow change with what its Integration Event names (set under the state's lock; sent after)."""

    customer: str = ""
    job: str = ""
    person: str = ""
    old_status: str | None = None
    new_status: str | None = None


def _links(host: str, event: WorkflowEvent) -> list[dict[str, str]]:
    return [
        {"rel": "job", "title": "Job Profile", "url": f"{host}/jobs/{event.job}"},
        {"rel": "person", "title": "Person Profile", "url": f"{host}/people/{event.person}"},
        {"rel": "applicantWorkflow", "title": "Applicant Workflow",
         "url": f"{host}/applicantworkflows/{event.remote_id}"},
    ]  # fmt: skip


def body(change: Change) -> dict[str, Any] | None:
    if not isinstance(change, WorkflowEvent):
        return None
    host = f"https://api.icims.com/customers/{change.customer}"
    if change.kind == "created":
        return {"returnUrl": f"https://careers-acme.icims.com/jobs/{change.job}/login?return=1",
                "customerId": change.customer, "userId": change.person, "links": _links(host, change),
                "eventType": "AssessmentEvent", "systemId": change.remote_id}  # fmt: skip
    return {"newStatus": change.new_status, "oldStatus": change.old_status, "customerId": change.customer,
            "jobId": change.job, "userId": RECRUITER, "personId": change.person, "links": _links(host, change),
            "eventType": "WorkFlowStatusChangeEvent", "systemId": change.remote_id}  # fmt: skip


WEBHOOKS = WebhookStyle(body, lambda _raw, _secret: {})
