"""Onlyfy (XING / New Work SE; formerly Prescreen), public v1 REST API (``https://api.prescreenapp.io/v1``;
reference EU-2 §2). The ReDoc reference (onlyfy.io/doc/v1) is not stored and no traffic was recorded: what is
built here is what the known clients do [conn] (a Ruby ActiveResource client, WordPress career plugins) and
Kombo's/Knit's summaries [3p]. Unverified readings are marked ``[gap]`` where they are made.

What the API imposes, and where it is encoded:

* Auth: header ``apikey: <key>`` (``api.API``); no OAuth, no acting user. The Connect probe reads ``/job``.
* Paths are singular (``/job``, ``/candidate``, ``/application``, ``/status_set``, ``/candidate_tag``, ``/user``).
* Paging: ``page_size`` [conn] and ``page`` [gap: the name is the likely one], lists wrapped as ``{"data": [...]}``
  [conn]; no total is known, so a short page ends a listing.
* Rate: none published; paced at 5 requests a second, 429s back off. Error bodies ``{"code", "message"}`` [gap].
* Incremental: **none verified** (no updated-since filter, no deletion feed): every run lists everything, the
  engine's hashing keeps unchanged records untouched, complete full listings mark what vanished deleted (Kombo
  also derives onlyfy deletions from a full diff [3p]).
* Model: candidate 1-N applications (``/candidate``, ``/application``, linked by ``candidate_id``/``job_id``).
  Stages are the statuses of the tenant's status sets (``/status_set``; a status id is a stage id, sets are shared
  pipelines, so stages name no job) [gap: the set's shape]. Tags: ``/candidate_tag`` and each candidate's tags.
* Outcome (``mappers.OUTCOMES``): by the name of ``current_job_application_status``; the names are the customer's,
  so the per-integration status map (by name or status id) decides, else a few obvious names, else PENDING. A
  DECLINED status's name is the rejection reason name.
* Writes (``actions.py``): create candidate + application in one ``POST /candidate`` with the CV as base64
  ``cv_file`` [conn], or ``POST /application`` for a known e-mail; application files (``recruiter_files``,
  base64); candidate tags by id list [gap: on PATCH]; import tracked application by ``onlyfy.application_id``.

Unavailable, with the reason users see, in ``unavailable=`` below.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.onlyfy.actions import ACTIONS
from atsbridge.connectors.onlyfy.api import API
from atsbridge.connectors.onlyfy.mappers import OUTCOMES
from atsbridge.connectors.onlyfy.streams import STREAMS

_NOT_FOUND = "no endpoint for it is documented in Onlyfy's public v1 API"
_NO_STATUS = "Onlyfy's public v1 API documents no status-change endpoint (status sets are readable only)"

CONNECTOR = kit.declare(
    tool="onlyfy",
    label="Onlyfy",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    unavailable={
        "interviews": _NOT_FOUND,
        "offers": _NOT_FOUND,
        "notes": _NOT_FOUND,
        "scorecards": "only per-application ratings, with no documented shape",
        "rejection_reasons": "Onlyfy has no rejection reasons: a rejection is a customer-named status",
        "attachments": "recruiter files are listed on an application, but no download URL or endpoint is documented",
        "roles": _NOT_FOUND,
        "move_application_to_stage": _NO_STATUS,
        "reject_application": _NO_STATUS,
        "add_application_note": _NOT_FOUND,
        "add_candidate_attachment": "only the candidate's CV is writable, and only when the candidate is created",
        "add_application_result_link": _NOT_FOUND,
        "add_candidate_result_link": _NOT_FOUND,
    },
    probe=kit.Probe(
        "/job",
        {"page_size": 1},
        refused="this API key",
        forbidden="Onlyfy accepted the API key but denied access (403): create a key with access to jobs, "
        "candidates and applications",
    ),
    connect=kit.ConnectForm(
        instructions="In onlyfy, open Settings > Integrations > API and create an API key with access to jobs, "
        "candidates, applications, status sets, users and candidate tags; paste it here.",
        guide_url="https://onlyfy.io/doc/v1",
    ),
)
