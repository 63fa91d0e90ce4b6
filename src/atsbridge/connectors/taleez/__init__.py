"""Taleez (FR): the public REST API ``https://api.taleez.com/0`` (OpenAPI 0.4.0 [doc mirror]; newer fields [conn]).

* Auth: the company's **secret key** in ``X-taleez-api-secret`` (Settings > API & Webhooks) [doc]. 100
  requests/minute [doc]: paced at that. Pages are **0-based** (``page``, ``pageSize``); the body is
  ``{page, pageSize, listSize, list, ...}`` and a short page ends the listing.
* Incremental: no updated-since filter anywhere [doc][conn] and no deletion feed. Every sync lists jobs,
  candidates and recruiters in full, each job's questions (``/jobs/{id}/questions``) and each listed
  candidate's applications (``/candidates/{id}/applications``: no cross-candidate listing, so N+1). Changes
  are found by comparing, deletions by the engine's deletion detection after a complete listing (never after
  a failed one). At 100 requests/minute a sync of N candidates and J jobs takes about (N + J) / 100 minutes.
* Outcomes (``OUTCOMES`` in ``mappers``): ``rejected: true`` is DECLINED; HIRED only by the free-text step name
  ``currentStepName`` (each customer names its steps: the per-integration ``status_map`` maps them; the
  default knows "Embauché"/"Recruté"/"Hired"); else PENDING.
* Writes: ``create_application`` (``POST /jobs/{id}/applications``, create-once by mail, see ``actions``).
* Unavailable: stages (only a step name on each application, no list), interviews (``/events`` schema
  unpublished [gap]), offers, notes, scorecards, tags, rejection reasons, attachments
  (``/candidates/{id}/documents`` is in the newer API only, schema unseen [conn]), and every write but
  applying (the API cannot move, reject, note or tag [doc]).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.taleez import mappers as m
from atsbridge.connectors.taleez.actions import ACTIONS
from atsbridge.connectors.taleez.api import API, CANDIDATES

STREAMS = (
    kit.stream("recruiters", "users", m.map_recruiter, kit.Listed("/recruiters")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobs", {"withDetails": "true"}),
               steps=[kit.Detail("/jobs/{id}/questions", into="_questions")]),
    kit.stream("candidates", "candidates", m.map_candidate, kit.Listed("/candidates"),
               publishes=[kit.Publish(CANDIDATES, lambda raw: {"id": str(raw["id"])})]),
    kit.stream("applications", "applications", m.map_application,
               kit.FanOut(CANDIDATES, {"applications": "/candidates/{key}/applications"}, records_path=None,
                          pager=kit.Single())),
)  # fmt: skip

_NO_API = "Taleez's public API does not expose it"
_NO_WRITE = "Taleez's API cannot do this (no stage moves, rejections, notes or tags through the API)"

CONNECTOR = kit.declare(
    tool="taleez",
    label="Taleez",
    api=API,
    streams=STREAMS,
    outcomes=m.OUTCOMES,
    writes=ACTIONS,
    probe=kit.Probe(
        "/recruiters",
        refused="this secret key",
        forbidden="Taleez refused the key (403): use the secret key, not the public one",
    ),
    connect=kit.ConnectForm(
        instructions="In Taleez, open Settings > API & Webhooks and copy the secret key.",
        guide_url="https://api.taleez.com/swagger-ui/index.html",
    ),
    unavailable={
        "application_stages": "Taleez has no stage list: each application only names its current step",
        "interviews": "Taleez's /events schema is not published",
        **dict.fromkeys(
            ("offers", "notes", "scorecards", "tags", "rejection_reasons", "attachments", "roles"), _NO_API
        ),
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
)
