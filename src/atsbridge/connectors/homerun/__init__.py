"""Homerun (NL), public API v2 (``https://api.homerun.co/v2``; reference §1, the vendor's OpenAPI 2.0.0).

What the API imposes, and where it is encoded:

* Auth: ``Authorization: Bearer <key>``; keys are scoped once, at creation (``api.API``). 401 unauthenticated,
  403 a missing scope, 402 "Your plan does not include public api access" (the Connect probe explains each).
  One global host: the key names the company, so the form asks for the key only.
* Paging: ``page`` (from 1) and ``perPage`` (1-100), a Laravel paginator body ``{data, meta{current_page,
  last_page, ...}}``; the listing ends at ``meta.last_page``.
* Rate: 60 requests a minute [doc], paced client-side; a 429 (``{code, error, message}``, no documented
  headers) backs off. No per-row detail calls are made: the listings carry what is mapped.
* Incremental: **none**. No list has an updated-since filter (only ``filter[hired_after]`` by day, vacancy and
  stage name) and applications carry no ``updated_at``; every run lists vacancies and applications in full,
  the engine's record hashing keeps unchanged records untouched, and complete full listings mark what
  vanished deleted (applications disappear after ``retention_period_ends_at`` or a ``DELETE``). No webhooks.
* Model: no candidate resource: the candidate is its application's ``personal_info`` and shares the
  application's remote id (one candidate per application; no cross-vacancy dedupe, since Homerun itself keeps
  none). Stages are per-vacancy names without ids: ``"<vacancy id>:<name>"``. Notes come inside each listed
  application (``notes[]`` in the documented list sample [doc-sample, unverified on a tenant]) without ids:
  ``"<application id>:<index>"``. Talent-pool applications (``vacancy_id`` null) have no job.
* Outcome (``mappers.OUTCOMES``): ``hired_at`` set -> HIRED, ``disqualified`` -> DECLINED (reason
  ``disqualification_reason.name``), else PENDING; stage and reason names are the customer's own, so the
  per-integration status map (by stage or reason name) is checked first.
* Writes (``actions.py``): create application (+ stage, files), move to stage, note, file.

Unavailable, with the reason users see in ``unavailable=`` below.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.homerun.actions import ACTIONS
from atsbridge.connectors.homerun.api import API
from atsbridge.connectors.homerun.mappers import OUTCOMES
from atsbridge.connectors.homerun.streams import STREAMS

_NOT_IN_API = "Homerun's public API v2 has no endpoint for it"

CONNECTOR = kit.declare(
    tool="homerun",
    label="Homerun",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # applications have no update time and vacancies no code: those filters have nothing to back them
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses"})},
    unavailable={
        "users": _NOT_IN_API,
        "interviews": _NOT_IN_API,
        "offers": _NOT_IN_API,
        "tags": _NOT_IN_API,
        "rejection_reasons": "only the per-application disqualification_reason name; no list endpoint",
        "scorecards": "only the aggregate rating and total_votes per application",
        "attachments": "file URLs only on each application's detail, valid for 5 minutes (one extra call per "
        "application at 60 requests a minute)",
        "reject_application": "the API cannot disqualify an application (no field, no endpoint)",
        "roles": _NOT_IN_API,
        "add_candidate_tag": _NOT_IN_API,
        "remove_candidate_tag": _NOT_IN_API,
    },
    probe=kit.Probe(
        "/vacancies",
        {"perPage": 1},
        refused="this API key",
        forbidden="Homerun accepted the API key but denied access (403): create a key with the vacancies:read and "
        "job-applications:read scopes",
    ),
    connect=kit.ConnectForm(
        instructions="In Homerun, open Settings > Integrations > API and create a key with the scopes "
        "vacancies:read, job-applications:read, job-applications:write, job-application-notes:write and "
        "job-application-files:write (scopes cannot be changed later). The plan must include API access.",
        guide_url="https://developers.homerun.co",
    ),
)
