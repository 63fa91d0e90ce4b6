"""HRworks (HR WORKS GmbH), API v2 applicant management (``https://api.hrworks.de/v2``; reference §5, the
vendor's OpenAPI 2.10 as its generated TypeScript SDK documents it — no traffic recorded).

What the API imposes, and where it is encoded:

* Auth: a key pair (access key + secret access key) created by an HR WORKS administrator with the
  applicant-management permissions; ``POST /v2/authentication`` answers ``{"token"}`` (a JWT) sent as Bearer. Its
  lifetime is not documented: the session logs in again on a 401 (``api.API``).
* Paging: ``page`` only, **fixed at 50** a page, the next page named in the ``Link`` header (``kit.LinkHeader``
  with no size parameter). List bodies wrap rows as ``{"posts"}``, ``{"applicants"}``, ``{"jobApplications"}``.
* Rate: no published limit; paced at 5 requests a second, 429s backed off.
* Incremental: **none** — no change filter or timestamp on any applicant-management list, no deletion feed:
  every run lists in full, hashing keeps unchanged records untouched, complete listings find deletions.
* Model: job = post (by ``uuid``; the numeric id is deprecated), its ``postOffers`` = job postings; candidate =
  applicant (by ``uuid``, stable even when hired into an employee); application = job application (``id``).
  Stages = the fixed ``JobApplicationStatus`` enum (applied, inProgress, documentCreation, employed,
  notEmployed, movedToTalentPool), the same for every post: a static list, no request.
* Outcome (``mappers.OUTCOMES``): employed -> HIRED, notEmployed / movedToTalentPool -> DECLINED, else PENDING;
  the integration's status map (by status id or the tenant's ``status`` label) first.
* Writes (``actions.py``): create application (+ files) and upload an attachment — **asynchronous** jobs polled to
  their end (``kit.AsyncJob``), create-once across a stall between the POST and the poll.

Unverified (generated SDK only, no recording): the list wrapper of ``/applicants``; the ``Link`` header's exact
form; the job result's location of the new id; ``postId`` taking the post uuid; ``applicationDocuments`` holding
file names; the error body (``ApiError {errorCode, type, errorMessage}``); webhooks (models exist, not used).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.hrworks.actions import ACTIONS
from atsbridge.connectors.hrworks.api import API, POSTS
from atsbridge.connectors.hrworks.mappers import OUTCOMES
from atsbridge.connectors.hrworks.streams import STREAMS

_NOT_IN_API = "HRworks' API v2 has no applicant-management endpoint for it"
_NO_WRITE = "HRworks' API v2 can only create job applications and upload their files"

CONNECTOR = kit.declare(
    tool="hrworks",
    label="HRworks",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # posts carry no creation or update time: only these job filters have data behind them
    filters={"jobs": frozenset({"name_contains", "job_codes", "statuses", "employment_types"})},
    unavailable={
        "users": "HRworks' persons API lists HR employees, not recruiting users; applicant management has no users",
        "interviews": _NOT_IN_API,
        "offers": _NOT_IN_API,
        "notes": _NOT_IN_API,
        "scorecards": _NOT_IN_API,
        "tags": _NOT_IN_API,
        "rejection_reasons": "HRworks has no rejection reasons: a job application only has a status",
        "attachments": "job applications name their documents (applicationDocuments) but the API cannot read a file",
        "roles": _NOT_IN_API,
        **dict.fromkeys(
            (
                "move_application_to_stage",
                "reject_application",
                "add_application_note",
                "add_candidate_tag",
                "remove_candidate_tag",
            ),
            _NO_WRITE,
        ),
    },  # fmt: skip
    probe=kit.Probe(
        POSTS,
        refused="this key pair",
        forbidden="HR WORKS accepted the key pair but denied access (403): give the key pair the applicant "
        "management permissions",
    ),
    connect=kit.ConnectForm(
        instructions="In HR WORKS, open Administrator > Basics > Integrations > HR WORKS-API and create a new key "
        "pair with read and write permissions for applicant management. Copy the access key and the secret access "
        "key (shown once).",
        guide_url="https://developers.hrworks.de",
    ),
)
