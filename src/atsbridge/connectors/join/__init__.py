"""JOIN (join.com, DE/CH), API v2 (``https://api.join.com/v2``; reference §2). **Thinly documented**: the
public reference was only partly readable and no payload was ever recorded; every [3p]/[gap] below is to be
verified on a (free) JOIN account before relying on it.

What the API imposes, and where it is encoded:

* Auth: ``Authorization: <token>``, the **raw** token, no scheme [doc] (``api.API``); the token acts as its
  user. A ``Bearer``-prefixed token is refused.
* Paging: ``page`` (from 1) and ``pageSize`` (at most 50 [3p]); bodies are bare arrays, a short page ends the
  listing [conn]. ``GET /jobs`` without parameters answers 422 [3p]: the pager always sends both.
* Rate: no published numbers [3p]; JOIN's ``x-ratelimit-*`` headers drive the pacing once seen, 429 backs off.
* Incremental: ``updatedAtGte`` on ``/applications`` [3p]; jobs (few) are listed in full. No deletion feed:
  complete full listings find deletions.
* Model: jobs; applications with their embedded candidate (``candidateId``: one candidate may apply to several
  jobs). The application read schema is not public [gap]: see ``mappers``.
* Outcome: application status values are undocumented [gap]; ``hired``/``rejected``/``withdrawn`` by default,
  the per-integration status map for everything a customer names.
* Writes: ``create_application`` only (``actions.py``).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.join.actions import ACTIONS
from atsbridge.connectors.join.api import API
from atsbridge.connectors.join.mappers import OUTCOMES
from atsbridge.connectors.join.streams import STREAMS

_NOT_IN_API = "no such endpoint in JOIN's public API v2"

CONNECTOR = kit.declare(
    tool="join",
    label="JOIN",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses"})},
    unavailable={
        "users": "JOIN has no user list (users appear only as job contacts)",
        "application_stages": "JOIN's pipeline stages are not in its public API",
        "interviews": _NOT_IN_API,
        "offers": _NOT_IN_API,
        "scorecards": _NOT_IN_API,
        "tags": _NOT_IN_API,
        "rejection_reasons": _NOT_IN_API,
        "notes": "notes can be written (POST /candidates/{id}/notes) but not read",
        "attachments": "the application schema naming attachment URLs is not public",
        "move_application_to_stage": "stage moves are not in JOIN's public API",
        "reject_application": "rejections are not in JOIN's public API",
        "add_application_note": "JOIN notes cannot be listed, so a retried note write could not be made create-once",
        "add_candidate_tag": _NOT_IN_API,
        "remove_candidate_tag": _NOT_IN_API,
    },
    probe=kit.Probe("/jobs", {"page": 1, "pageSize": 1}, refused="this API token (send it as is, without Bearer)"),
    connect=kit.ConnectForm(
        instructions="In JOIN, open User settings > API credentials and generate a token (it is shown once). "
        "Writes are made as that token's user.",
        guide_url="https://docs.join.com/reference/getting-started",
    ),
)
