"""SuccessFactors' webhooks, declared: what a delivery touches, and why nothing in it can be verified.

SuccessFactors Recruiting has **no native webhooks** (reference §2.9). What it has is Integration Center
triggers of type *Intelligent Services*: an admin picks an event (e.g. **Update of Job Application Status**),
a REST destination and the format JSON, and chooses the body's fields with the field selector [doc/3p]. The
deliveries arrive about 15 minutes after the change [3p Gem]. So the body is whatever the admin built; the
instructions below ask for the shape SAP's partners document (Cronofy [3p])::

    {"job_application": {"application_id": 4541, "candidate_id": 4148, "job_application_status_id": 352}}

for the application events, and ``{"candidate": {"candidate_id": 4148}}`` for candidate-profile events.
``camelCase`` keys as OData names them (``applicationId``, ``candidateId``, ``jobApplication``) are taken
too, since the labels are the admin's choice. A list of such objects (a batched trigger) touches their union.

Touches: an application event -> ``applications`` (its notes come with it). A candidate-profile event ->
``candidates`` **and** ``applications``: a career-site application sends only the new-profile event [3p Gem:
"external candidate applies" sends no application event], and ``JobApplication`` rows carry copies of the
candidate's name and e-mail. A body of neither shape is refused (its refusal shows in ``sync-health``, so a
misconfigured trigger is visible, not silently ignored). The body is never trusted as data: the delta re-reads
the OData API. Purges send nothing; they are found by a complete full listing, as without webhooks.

Verification: Intelligent Services deliveries are **not signed** and carry no delivery id (reference §2.9:
"No signature"), so ``kit.PathTokenOnly``: the unguessable token in the URL atsbridge issued is the only proof
(that URL is a secret). The REST destination can add Basic or OAuth credentials; atsbridge does not check
them (a verifier for them would replace ``verify=`` below). Unverified: the exact event names (only "Update of
Job Application Status" is documented to us, by Cronofy) and whether a retry is sent; without a delivery id a
retry queues one more delta, which is harmless.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: Intelligent Services events the instructions name (documentation: the body does not name its event).
EVENTS = ("Update of Job Application Status", "Update of Job Application", "Update of Candidate Profile")
APPLICATION_KEYS = ("job_application", "jobApplication", "JobApplication")
CANDIDATE_KEYS = ("candidate", "Candidate")


def _id(record: Any, *keys: str) -> str | None:
    if not isinstance(record, dict):
        raise ValueError("a SuccessFactors webhook record is a JSON object")
    for key in keys:
        value = record.get(key)
        if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def _touches_of(event: dict[str, Any]) -> list[kit.Touch]:
    for key in APPLICATION_KEYS:
        if key in event:
            return [kit.Touch("applications", _id(event[key], "application_id", "applicationId"))]
    for key in CANDIDATE_KEYS:
        if key in event:
            cid = _id(event[key], "candidate_id", "candidateId")
            return [kit.Touch("candidates", cid), kit.Touch("applications")]
    raise ValueError("a SuccessFactors webhook names a job_application or a candidate")


def touches(event: Any) -> list[kit.Touch]:
    """The streams an Intelligent Services delivery changes (see the module docstring for the shapes)."""
    events = event if isinstance(event, list) else [event]
    if not events or not all(isinstance(e, dict) for e in events):
        raise ValueError("a SuccessFactors webhook body is a JSON object (or a list of them)")
    found: list[kit.Touch] = []
    for one in events:
        found += [t for t in _touches_of(one) if t not in found]
    return found


WEBHOOKS = kit.Webhooks(
    verify=kit.PathTokenOnly(),
    events=touches,
    instructions="In SuccessFactors: Admin Center > Integration Center > Create > Intelligent Services, source "
    "SuccessFactors, destination REST, format JSON. Pick the event Update of Job Application Status (and, for "
    "profile changes, a candidate event); with the field selector build "
    '{"job_application": {"application_id", "candidate_id", "job_application_status_id"}} (for a candidate '
    'event: {"candidate": {"candidate_id"}}); as the destination, POST to the URL (keep it secret: SuccessFactors '
    "signs nothing, so the URL is the only proof). The secret is not used.",
    event_names=EVENTS,
)
