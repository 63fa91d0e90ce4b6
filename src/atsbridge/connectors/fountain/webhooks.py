"""Fountain's webhooks, declared: what a delivery touches, and why nothing in it can be verified.

Configured by hand in Fountain (Company Settings > Webhooks > Add Webhook: name, payload URL, trigger) [doc];
there is no API to register them. Triggers [doc]: a **stage transition** (the applicant lands on the opening's
first stages, approved, rejected, on-hold, all, or selected stages: a new applicant lands on a first stage, so
creations are covered) and a **background-check status** change (Checkr, Onfido). Post-hire "worker" events
exist too; atsbridge does not model post-hire data, so they touch nothing. Edits of an applicant's data,
notes and deletions send no webhook: those are found by polling (deletions only by a complete full listing).

Body [doc]: the applicant as API v2 serves it, nested under ``"applicant"`` (all its data except secure
documents and fields). The body names no trigger, so any applicant body means "this applicant changed": a
delta of ``applicants`` (the stream both candidates and applications come from). The body is never trusted
as data; the delta re-reads the vendor's API.

Verification: Fountain documents **no signature** and no delivery id, so ``kit.PathTokenOnly``: the
unguessable token in the URL atsbridge issued is the only proof (that URL is a secret). Unverified: Fountain's
support pages mention an optional "Authorization Header" (a bearer token the admin may set on a webhook); how it
is sent is not documented, so it is not checked (a verifier for it would replace ``verify=`` below). Fountain
retries a failed delivery twice [doc]; without a delivery id a retry queues one more delta, which is harmless.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: Fountain's webhook triggers (documentation: the body does not name them).
TRIGGERS = ("stage_transition", "background_check_status")


def touches(event: Any) -> list[kit.Touch]:
    """An applicant body touches ``applicants`` (that applicant); any other object (post-hire worker events,
    a test ping) touches nothing. A body that is not an object, or an applicant without an id, is refused."""
    if not isinstance(event, dict):
        raise ValueError("a Fountain webhook body is a JSON object")
    if "applicant" not in event:
        return []
    applicant = event["applicant"]
    if not isinstance(applicant, dict) or not isinstance(applicant.get("id"), str) or not applicant["id"]:
        raise ValueError("a Fountain applicant webhook carries the applicant's id")
    return [kit.Touch("applicants", applicant["id"])]


WEBHOOKS = kit.Webhooks(
    verify=kit.PathTokenOnly(),
    events=touches,
    instructions="In Fountain: Company Settings > Webhooks > Add Webhook. Paste the URL as the payload URL (keep it "
    "secret: Fountain signs nothing, so the URL is the only proof) and choose the trigger Stage Transition > All "
    "Stages; optionally add a second webhook for Background Check status. The secret is not used.",
    event_names=TRIGGERS,
)
