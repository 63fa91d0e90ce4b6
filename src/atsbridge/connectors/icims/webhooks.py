"""iCIMS Integration Events, declared: what each event touches, and why only the URL authenticates it.

Registration is manual: Integration Events are switched on per customer, by iCIMS (or the customer's admin on
the Event Notifications page), who enters the endpoint URL and picks the events [doc]; there is no API to
register them. Events [doc §4.9, developer.icims.com "Integration Events"]: Application Complete, Job Edit,
Job Posting, Job Unposting, Onboard Portal Task, Status Flow Update. Each is a JSON ``POST`` naming the
records by id: ``{eventType, customerId, systemId, jobId, personId, userId, newStatus, oldStatus, links[]}``.

* Status Flow Update: ``eventType: "WorkFlowStatusChangeEvent"`` [doc], ``systemId`` the recruiting
  workflow, ``personId``/``jobId`` its person and job, ``newStatus``/``oldStatus`` status node ids, ``userId``
  the recruiter who moved it. Sent only for the trigger statuses the customer configured [doc], so a move to
  any other node is found by polling. Touches the workflows (and the status nodes read off them).
* Application Complete: ``eventType: "AssessmentEvent"`` [doc], ``systemId`` the new workflow and ``userId``
  **the candidate** (not a recruiter, unlike the event above) [doc]. A new application may come with a new
  person, so it touches people as well.
* Job Edit / Job Posting / Job Unposting: the ``eventType`` names are not in the stored docs [gap]; read here
  as any ``eventType`` mentioning ``job`` that is not a workflow event (``JobEditEvent``, ``JobPostingEvent``,
  ``JobUnpostingEvent`` expected). They touch ``jobs``.
* Onboard Portal Task: onboarding is not modelled by atsbridge, so it touches nothing. So does any other
  event type without a ``systemId``. An unknown event type carrying a ``systemId`` (a workflow) is read as a
  workflow change: an extra delta is harmless, a missed one is not.

Person edits and deletions send no event at all: they are found by polling (deletions only by a complete full
listing, as iCIMS has no deletion feed). An event only queues a delta of the streams it names, re-read from
the API; nothing in the body is stored.

Authentication [gap]: iCIMS says outbound notifications may use Basic, OAuth 2.0 (client credentials against
the partner's token URL) or HMAC [doc], but documents no HMAC header or message, so ``kit.PathTokenOnly``: the
unguessable token in the URL atsbridge issued is the proof (the URL is a secret). Should the HMAC scheme be
confirmed, ``verify=`` below is the only line to change. Delivery id: none documented, so ``None`` (a retry
queues one more, harmless, delta; ``systemId`` is the workflow, not the delivery, so deduplicating on it would
drop the next real move of the same application). Unverified too: iCIMS says deliveries are "GZIP'd JSON"
[doc]; if that means ``Content-Encoding: gzip`` on the request, the ingestion endpoint must inflate it first
(it reads the body as JSON today).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

WORKFLOWS = ("applicantworkflows", "statuses")
#: ``eventType`` -> the streams it changes ([doc] names; the job event names are [gap], see above).
TOUCHES: dict[str, tuple[str, ...]] = {
    "WorkFlowStatusChangeEvent": WORKFLOWS,
    "AssessmentEvent": (*WORKFLOWS, "people"),
    "JobEditEvent": ("jobs",),
    "JobPostingEvent": ("jobs",),
    "JobUnpostingEvent": ("jobs",),
    "OnboardPortalTaskEvent": (),
}


def _id(value: Any) -> str | None:
    """iCIMS ids travel as numbers or strings."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value) == "":
        return None
    return str(value)


def touches(event: Any) -> list[kit.Touch]:
    """The streams an event changes. A body that is not an object, or that names no ``eventType``, is refused
    as not understood (iCIMS expects a 400 for a malformed message [doc])."""
    if not isinstance(event, dict):
        raise ValueError("an iCIMS event is a JSON object")
    kind = event.get("eventType")
    if not isinstance(kind, str) or not kind:
        raise ValueError("an iCIMS event names its eventType")
    workflow, job = _id(event.get("systemId")), _id(event.get("jobId"))
    streams = TOUCHES.get(kind)
    if streams is None:
        streams = ("jobs",) if "job" in kind.lower() else WORKFLOWS if workflow else ()
    person = _id(event.get("userId") if kind == "AssessmentEvent" else event.get("personId"))
    ids = {"applicantworkflows": workflow, "jobs": job, "people": person}
    return [kit.Touch(stream, ids.get(stream)) for stream in streams]


WEBHOOKS = kit.Webhooks(
    verify=kit.PathTokenOnly(),
    events=touches,
    instructions="Ask iCIMS (your Customer Success Manager) to enable Integration Events for your customer id and "
    "to send them to this URL (keep it secret: it is the only proof of the sender). Ask for Status Flow Update "
    "on every status you want pushed, Application Complete, and Job Edit / Job Posting / Job Unposting. No "
    "endpoint credentials are needed; the secret is not used.",
    event_names=tuple(TOUCHES),
)
