"""Breezy HR: the v3 REST API under ``https://api.breezy.hr/v3/company/{company_id}``.

What the API imposes, and where it is encoded:

* Auth: ``Authorization: <token>`` with **no** ``Bearer`` [doc][conn]: a personal access token
  (``breezy_pat_...``), or a session token from ``POST /v3/signin`` ``{email, password}`` when no token is
  given (``api.TokenOrSignIn``; a 401 signs in again once). The company id is config (Connect form); it
  fills the base URL. Missing/invalid tokens answer ``{"error": {"type": "missingAccessToken" |
  "invalidAccessToken", "message"}}`` (400/401): both mean "credentials refused".
* Paging: candidates ``page``/``page_size`` (at most 50 [3p]), a bare array until a short page [doc][inferred];
  positions and pipelines are full arrays. Rate limit: 100 requests per 60 s per token [3p: an API gateway's
  notes, not Breezy's docs], paced client-side; a 429 waits until ``X-RateLimit-Reset`` [conn] (the HTTP
  client reads that header). No daily cap is documented.
* Incremental: no updated-since filter; a delta lists each position's candidates newest change first
  (``sort=updated_date``) and stops at the last sync (``streams.read_candidates``). Deletions: no feed: full
  syncs find them.
* Webhooks (``webhooks.py``): registered through ``/webhook_endpoints``; ``X-Hook-Signature`` is the hex
  HMAC-SHA256 of the body with the endpoint's ``whsec_`` secret [doc]; candidate events queue a delta of the
  candidates stream, position events of the positions stream.
* Model: position -> job (its pipeline's stages -> the job's stages); a Breezy candidate exists per position,
  so it is split into a candidate (``_id``) and its one application (``"<position>:<candidate>"``). The same
  person in two positions is two candidates (Breezy's own model; dedupe by email is left to the caller).
  Tags are candidate strings; rejection reasons are the one ``disqualified`` stage (no reasons API seen).
* Outcome: stage id ``hired`` -> HIRED, ``disqualified`` -> DECLINED, else PENDING [doc]; custom stage names
  can be mapped per integration (``status_map``).
* Writes (``actions.py``): create an application (a candidate on a position), move stage, reject (the
  ``disqualified`` stage; no reason is sent), add a note (the discussion stream [doc]). Not declared:
  attachments, tags, result links (uploads and tag edits are known only as [3p] action names, no shapes).
* Not served: users (only ``/v3/user``, the token's owner [3p]), interviews, offers, scorecards
  (``overall_score`` only, as an application custom field), questionnaires, notes (the stream listing's item
  shape is undocumented) and other documents: their endpoints are known only by name [3p], without shapes.
* Attachments: the candidate's ``resume`` (listed with it: no extra request), downloaded from
  ``GET /position/{pid}/candidate/{cid}/resume`` with the API's auth [3p: the path is unverified].
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.breezyhr import mappers as m
from atsbridge.connectors.breezyhr.actions import ACTIONS
from atsbridge.connectors.breezyhr.api import API
from atsbridge.connectors.breezyhr.streams import STREAMS
from atsbridge.connectors.breezyhr.webhooks import WEBHOOKS

CONNECTOR = kit.declare(
    tool="breezyhr",
    label="Breezy HR",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    webhooks=WEBHOOKS,
    # positions have no post URL or visibility in the documented fields
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses", "job_codes", "employment_types"})},
    probe=kit.Probe(
        "/pipelines",
        refused="this API token (or email and password)",
        forbidden="Breezy HR accepted the credentials but denied access (403): is the user a member of this company?",
        not_found="Breezy HR answered 404: check the company ID",
        refused_when=("invalidAccessToken", "missingAccessToken"),
    ),
    download=kit.Download("/position/{id}", id_pattern=r"^[\w-]{1,64}/candidate/[\w-]{1,64}/resume$"),
    connect=kit.ConnectForm(
        instructions="Create a personal access token in Breezy HR (My Settings > API Keys), or sign in with a "
        "user's email and password. The company ID is in GET /v3/companies (the _id) or the app's URL.",
        guide_url="https://developer.breezy.hr/docs/authentication",
        extra=(
            FormField(
                "company_id", "Company ID", target="config", help="The Breezy HR company's _id (12-24 hex characters)."
            ),
        ),  # fmt: skip
    ),
)
