"""Greenhouse's webhooks, declared: what each event touches, and how a delivery is verified.

Configured by hand in Greenhouse (Configure > Dev Center > Web Hooks: name, endpoint URL, secret key) [doc];
each delivery carries ``Signature: sha256 <hex HMAC-SHA256(secret, raw body)>`` over the raw bytes (unicode is
escaped before signing, so never re-serialise) and a ``Greenhouse-Event-ID`` that is the same on each of up to
seven retries [doc]. The body is ``{"action": "<event>", "payload": {...}}``; the ids inside the payload vary
by event, so an event queues a delta of the streams it names rather than a fetch by id.

Deletions are the exception: a delta cannot see them, so ``delete_candidate`` and ``delete_application`` name
their record (``payload.candidate.id``, or ``payload.person.id``; ``payload.application.id``) as deleted, and
the run checks it by id at Greenhouse before marking anything deleted. Those payload keys are from memory of
Greenhouse's web hook reference, not a recording [unverified]; an event without the id still queues its delta.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: event ``action`` -> the streams it changes (deletions show on the next complete listing).
TOUCHES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("new_candidate_application", "new_prospect_application", "application_updated",
                     "delete_application", "candidate_stage_change", "reject_candidate", "unreject_candidate",
                     "hire_candidate", "unhire_candidate"), ("applications", "candidates")),
    **dict.fromkeys(("update_candidate", "delete_candidate", "merge_candidate", "candidate_anonymized"),
                    ("candidates", "applications")),
    **dict.fromkeys(("offer_created", "offer_approved", "offer_updated", "offer_deleted"), ("offers",)),
    "interview_deleted": ("interviews",),
    "scorecard_deleted": ("scorecards",),
    **dict.fromkeys(("job_created", "job_updated", "job_approved", "job_deleted", "job_post_created",
                     "job_post_updated", "job_post_deleted"), ("jobs",)),
    "job_interview_stage_deleted": ("application_stages",),
}  # fmt: skip


#: deletion ``action`` -> (the stream of the deleted record, the payload keys that may hold it).
DELETIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "delete_candidate": ("candidates", ("candidate", "person")),
    "delete_application": ("applications", ("application",)),
}


def touches(event: Any) -> list[kit.Touch]:
    """The streams an event changes (a deletion also names its record); a ping (or an event we do not follow)
    touches nothing."""
    if not isinstance(event, dict):
        raise ValueError("a Greenhouse event is a JSON object")
    action = str(event.get("action"))
    stream, keys = DELETIONS.get(action, ("", ()))
    gone = next((found for key in keys if (found := kit.id_at(event, "payload", key, "id"))), None)
    return kit.with_deletion(TOUCHES.get(action, ()), stream, gone)


WEBHOOKS = kit.Webhooks(
    verify=kit.HmacBody("Signature", prefix="sha256 "),
    events=touches,
    delivery_id=kit.header_id("Greenhouse-Event-ID"),
    registration="manual",
    instructions="In Greenhouse: Configure > Dev Center > Web Hooks > Create a new web hook. Paste the URL as the "
    "endpoint and the secret as the secret key; create one web hook per event you want pushed (at least "
    "Candidate or Prospect Application, Candidate Stage Change, Candidate Hired, Candidate Rejected, "
    "Candidate Updated, Job Updated).",
    event_names=tuple(TOUCHES),
)
