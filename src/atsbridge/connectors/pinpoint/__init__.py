"""Pinpoint (JSON:API, ``https://{subdomain}.pinpointhq.com/api/v1``): an API key in ``X-API-KEY`` [doc].

What the API imposes, and where it is encoded:

* Per-tenant host: the Connect form asks for the subdomain (``config.subdomain``, filled into the base URL by
  the kit) and the API key (Settings > Integrations). No acting user.
* JSON:API everywhere: ``page[number]``/``page[size]`` with the next page's URL in ``links.next`` (``api.API``;
  [conn-unverified] in the reference, modelled so); relationships carry linkage only for what a request
  ``include=``s, and the related resources arrive in ``included``: ``kit.JsonApiSource`` resolves them into
  ``_linked`` (jobs include their ``stages``; applications their candidate, job, stage and rejection reason).
* Rate limits and daily caps: none published [gap]. We pace at 5 requests/s with 2 in flight
  (``config.requests_per_second`` overrides) and ride out 429s with ``Retry-After`` like every connector.
* Incremental: no updated-since filter is documented (the stored docs name ``filter[...]`` params only for
  job visibility), so every run lists users, rejection reasons, jobs (+stages), candidates and applications
  in full: a delta run costs as much as a full one, but rows that did not change hash the same and write
  nothing, so the unified ``changed_at`` moves only for real changes. Deletions: no feed and no tombstones;
  the engine marks records deleted only after a complete listing that lacks them (never after a failed one).
* Confidential jobs: ``/applications`` leaves out applications of confidential jobs unless
  ``filter[job_visibility]`` names ``confidential`` [doc]; ``config.job_visibility`` (the Connect form's
  optional field, e.g. ``public,internal,confidential``) is sent with every applications request.
* Anonymized-screening jobs conceal candidate data in the API as in the UI [doc]: those rows map with empty
  names/emails rather than failing.

Modelling choices (``mappers``):

* Stages are per job (``job_id`` set), ordered by ``position``; an application's outcome comes from its
  stage's ``stage_type`` (``hired`` -> HIRED, ``rejected``/``withdrawn`` -> DECLINED, else PENDING) with the
  integration's ``status_map`` checked first against the stage's name and id (customers name their stages).
  The stage-type enum is [3p]/[gap] (the reference says "confirm enum"). The rejection reason's name is the
  application's ``rejection_reason`` when DECLINED.
* Application tags (``{tag, context}``) are kept in ``custom_fields.tags``: Pinpoint has no tag resources or
  ids, and its tags belong to applications, not candidates.

Not served, and why: interviews, offers and scorecards (resources named only by third parties, shapes
unknown [3p]; a unified-API vendor lists Pinpoint interviews with title, start, end and application); notes
(``/comments`` is written, its listing is undocumented); attachments (only on an application's detail via
``extra_fields[applications]=attachments`` with expiring URLs [doc]: one extra request per application on
every run, left out of this first version); screening answers (``structured_section_responses.answers``, per
application only). Rejection reasons are read from ``/rejection_reasons`` on the strength of a third-party
resource list [3p].

Writes (``actions``): create application, move stage, application notes (comments), candidate tags (on each
of the candidate's applications). Reject and attachments after creation are not in the API.

Webhooks in (``webhooks``): registered by hand in Pinpoint; unsigned as far as documented, so the issued URL's
path token is the only proof; an event queues a delta of the streams its resource touches.
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.pinpoint import mappers as m
from atsbridge.connectors.pinpoint.actions import ACTIONS
from atsbridge.connectors.pinpoint.api import API, PinpointSource
from atsbridge.connectors.pinpoint.streams import STREAMS
from atsbridge.connectors.pinpoint.webhooks import WEBHOOKS

__all__ = ["CONNECTOR"]

_DECLARED = kit.declare(
    tool="pinpoint",
    label="Pinpoint",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    webhooks=WEBHOOKS,
    # jobs have no job code
    filters={
        "jobs": frozenset(
            {"name_contains", "remote_created_after", "statuses", "post_url", "employment_types", "visibilities"}
        )
    },
    probe=kit.Probe(
        "/jobs",
        {"page[size]": 1},
        refused="this API key",
        forbidden="Pinpoint accepted the API key but denied access (403)",
        not_found="Pinpoint answered 404: check the subdomain (the part before .pinpointhq.com)",
    ),
    connect=kit.ConnectForm(
        instructions="Copy the API key from Pinpoint (Settings > Integrations) and your Pinpoint subdomain.",
        guide_url="https://developers.pinpointhq.com/docs/authentication",
        extra=(
            FormField(
                "subdomain",
                "Subdomain",
                target="config",
                placeholder="acme",
                help="The part before .pinpointhq.com in your Pinpoint address.",
            ),
            FormField(
                "job_visibility",
                "Job visibility",
                target="config",
                required=False,
                placeholder="public,internal,confidential",
                help="Optional: include confidential jobs' applications by naming confidential here.",
            ),
            FormField(
                "tag_context",
                "Tag context",
                target="config",
                required=False,
                placeholder="general",
                help="Optional: the context Pinpoint files candidate tags under (default general).",
            ),
        ),  # fmt: skip
    ),
)
CONNECTOR = dataclasses.replace(_DECLARED, open=kit.jsonapi_opener(API, STREAMS, source=PinpointSource))
