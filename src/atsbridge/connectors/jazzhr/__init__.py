"""JazzHR (formerly The Resumator): the REST API at ``api.resumatorapi.com/v1`` with the account's API key.

Modelling choices and vendor quirks (reference §2; every REST shape is the .NET SDK's [conn], none recorded):

* Candidate = applicant (``/applicants``: a list row, then ``/applicants/{id}`` for email, links, comments and
  categories); application = ``/applicants2jobs`` row (``projob_...``: one applicant on one job); job =
  ``/jobs``; user = ``/users``; tag = category (``/categories``, held per applicant in the detail's
  ``categories``); note = a comment of the applicant detail (what ``POST /notes`` creates).
* Incremental: no listing filters by update time (only ``from_apply_date`` and ``from_open_date``, creation
  days), so every run lists everything in full; the engine stores only records whose mapped hash changed, and
  marks as deleted what a complete listing no longer returns (no deletion feed exists). The applicant details
  make a run cost about ``applicants * 1.01 + other rows / 100`` requests at 100/minute [3p]: a 5,000-applicant
  account takes about an hour per run, so schedule syncs accordingly.
* Outcome: HIRED when the applicant/job pair is in ``/hires``; otherwise the workflow step's name
  (``applicant_progress`` of the detail's job entry) through ``OUTCOMES`` ("Hired" -> HIRED, "Not Hired" ->
  DECLINED, else PENDING); workflow steps are each customer's own, so the integration's status map names the
  others (by step name or ``workflow_step_id``).
* Paging: ``/page/{n}`` path segments (100 per page, stop at a short page); a listing of one row is the bare
  object (``kit.PathPage``); nested lists of one likewise (``kit.as_list``).
* Unavailable: application stages (no workflow listing is documented [gap]; the step id and name are kept in
  the application's custom fields), interviews, offers, rejection reasons, scorecards, attachments (the resume
  link needs a browser session [conn]), moving or rejecting applications, attachments, removing tags.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.jazzhr.actions import ACTIONS
from atsbridge.connectors.jazzhr.api import API
from atsbridge.connectors.jazzhr.mappers import OUTCOMES
from atsbridge.connectors.jazzhr.streams import STREAMS

CONNECTOR = kit.declare(
    tool="jazzhr",
    label="JazzHR",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # no stages, so no stage filter; jobs have no post URL or visibility
    filters={},
    probe=kit.Probe("/users", refused="this API key"),
    connect=kit.ConnectForm(
        instructions="In JazzHR, open Settings > Integrations and copy the API key (a Super Admin can see it).",
        guide_url=None,
        extra=(
            FormField(
                "user_id",
                "Note author (user id)",
                target="config",
                required=False,
                help="Optional: the JazzHR user notes are written as (default: the first admin).",
            ),
        ),  # fmt: skip
    ),
)
