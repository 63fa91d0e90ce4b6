"""BITE (BITE GmbH, Ulm): the REST API v1 at ``https://api.b-ite.io/v1`` (reference EU-2 §9).

**Evidence is thin, and every claim below carries its marker.** [conn]: the ``rrze-jobs`` WordPress plugin
(``Provider/BITE.php``) reads job postings: header ``BAPI-Token: <key>``, ``POST /jobpostings/search`` with a
filter body (``{"filter": {"standard": {"active": true}}}``) answering ``{"total", "entries": [{"id", ...}]}``,
then ``GET /jobpostings/{id}`` per posting, and errors as ``{"code": 4xx, "message"}``. [3p]: Kombo's and
unified.to's BITE pages (objects candidate, status, note, document, user; Kombo's notes below). The Swagger at
``api.b-ite.io/docs`` is not public readable material, so the candidate, status, user, note and document
endpoints, their field names, search paging and the write bodies are this connector's reading [gap], each kept
in one place (``api``, ``mappers``, ``actions``).

Modelling choices, and the vendor behaviour behind each:

* Jobs: **search, then GET by id** (the search answers ids [conn]): N+1 per run. The search sends an empty
  filter (not ``active: true``) because **deleted postings still appear** [3p]: candidates stay linked to
  them, so they are kept as CLOSED jobs (``active: false``) rather than dropped.
* Candidate = application: a BITE **candidate is one application** to one posting [3p]; both unified records
  share its id. Whether BITE links one person's several candidates is not known [gap]: none are merged.
* Stages: **global** statuses (every status on every posting [3p]; BITE "processes" can restrict them per
  candidate, kept as ``process_id``). A candidate may have **no status**: ``current_stage_id`` null [3p].
* Outcome (``mappers.OUTCOMES``): by status name through the per-integration status map, then usual German and
  English names ("Eingestellt", "Absage"...); statuses are customer-defined [3p], no enum is known.
* Incremental: **none known** [gap] and no deletion feed: every run re-lists (the engine's hashing keeps
  unchanged rows), complete full listings find deletions. No rate limit is published: 5 requests/s.
* Writes (``actions``): create application (+ files), note, document (application or candidate) [3p names,
  gap bodies], each create-once.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.bite.actions import ACTIONS
from atsbridge.connectors.bite.api import API
from atsbridge.connectors.bite.mappers import OUTCOMES
from atsbridge.connectors.bite.streams import STREAMS

_NOT_FOUND = "BITE's API documents no endpoint for it (neither its clients nor Kombo/unified.to name one)"
_NO_STATUS_WRITE = "no BITE endpoint to change a candidate's status is known (the API reference is not public)"

CONNECTOR = kit.declare(
    tool="bite",
    label="BITE",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # every filter is answered from the stored records (no vendor-side filter is used)
    filters={},
    unavailable={
        **dict.fromkeys(("interviews", "offers", "scorecards", "tags", "rejection_reasons", "roles"), _NOT_FOUND),
        "move_application_to_stage": _NO_STATUS_WRITE,
        "reject_application": _NO_STATUS_WRITE,
        **dict.fromkeys(("add_candidate_tag", "remove_candidate_tag"), "BITE has no candidate tags in its API"),
        **dict.fromkeys(("add_application_result_link", "add_candidate_result_link"), _NOT_FOUND),
        "import_tracked_application": _NOT_FOUND,
    },
    probe=kit.Probe(
        "/jobpostings/search",
        method="POST",
        json={"filter": {}, "offset": 0, "limit": 1},
        refused="this API key",
        forbidden="BITE accepted the API key but denied access (403): give the key access to job postings",
    ),
    connect=kit.ConnectForm(
        instructions="In BITE, have an administrator create an API key (BAPI token) with access to job postings "
        "and candidates, and paste it here.",
        guide_url="https://api.b-ite.io/docs/",  # named by Kombo [3p]
    ),
    download=kit.Download("/documents/{id}/content", id_pattern=r"^[\w-]{1,64}$"),
)
