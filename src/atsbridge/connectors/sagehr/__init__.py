"""Sage HR (formerly CakeHR), the Recruitment module of its REST API (``https://{subdomain}.sage.hr/api``;
reference §10: Sage HR's API description as generated into an SDK [doc-derived], Nango and Kombo [conn]).

What the API imposes, and where it is encoded:

* Auth: ``X-Auth-Token: <api key>`` [doc]; an admin enables API access (Settings > Integrations > API) and every
  user then has a key (re-enabling regenerates them all). Per-tenant host: the Connect form asks for the
  subdomain (``config.subdomain``, filled into the base URL) and the key. The Connect check reads
  ``/employees`` (Nango's verification call [conn]).
* Paging: ``page`` (from 1) and ``per_page`` (max 100), ``{data, meta{current_page, next_page, total_pages,
  ...}}`` [doc-derived]. No rate limit is documented [gap]: paced at 5/s, a 429 backs off.
* Errors: ``{error_code, errors: [...]}`` (404/422 [doc-derived]); the kit classifies by status.
* Incremental: **none**. No date filter on any recruitment list and no deletion feed or webhooks [doc]; every
  run lists employees, positions (+ one detail each, for the hiring team) and each position's applicants
  (positions x applicants: no cross-position listing); the engine's hashing keeps unchanged records untouched
  and complete listings mark what vanished deleted.
* Model: an applicant belongs to one position and there is no person above it, so the candidate is the
  applicant (same remote id). Stages have no list endpoint: application stages are the ``stage{id, title}``
  seen on this run's applicants, keyed ``"<position>:<stage id>"`` (a stage nobody sits in is invisible, and
  pipeline order is unknown) [gap]. Users are employees (``/employees``), the people on hiring teams.
* Outcome (``mappers.OUTCOMES``): ``hired_date`` -> HIRED, ``disqualified_date`` -> DECLINED, else PENDING;
  the integration's status map is checked first, by stage title (customers name their stages).
* Writes (``actions``): create application (applicant on a position, with one file).

Unverified [gap]: whether the position list without ``status`` includes every status (read so); the role
names of hiring team members; whether stage ids are unique across positions (hence the composite key); rate
limits and the 401/429 bodies.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.sagehr.actions import ACTIONS
from atsbridge.connectors.sagehr.api import API
from atsbridge.connectors.sagehr.mappers import OUTCOMES
from atsbridge.connectors.sagehr.streams import STREAMS

_NOT_IN_API = "Sage HR's recruitment API has no endpoint for it"
_NO_WRITE = "Sage HR's recruitment API can only create applicants (no stage, reject, note, file or tag endpoint)"

CONNECTOR = kit.declare(
    tool="sagehr",
    label="Sage HR",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # positions and applicants carry no update time: nothing backs updated_after on the vendor's side
    filters={},
    unavailable={
        **dict.fromkeys(("interviews", "offers", "notes", "scorecards", "tags", "roles"), _NOT_IN_API),
        "rejection_reasons": "Sage HR records only a disqualified date, with no reason and no reason list",
        "attachments": "Sage HR's API takes an applicant's file on creation but has no endpoint to list or download it",
        **dict.fromkeys(
            (
                "move_application_to_stage",
                "reject_application",
                "add_application_note",
                "add_application_attachment",
                "add_candidate_attachment",
                "add_application_result_link",
                "add_candidate_result_link",
                "add_candidate_tag",
                "remove_candidate_tag",
                "import_tracked_application",
            ),
            _NO_WRITE,
        ),
    },
    probe=kit.Probe(
        "/employees",
        {"per_page": 1},
        refused="this API key",
        forbidden="Sage HR accepted the key but denied access (403): API access must be enabled by an admin",
        not_found="Sage HR answered 404: check the subdomain (the part before .sage.hr)",
    ),
    connect=kit.ConnectForm(
        instructions="In Sage HR, an admin enables API access (Settings > Integrations > API); then copy your "
        "API key and your company's subdomain (the part before .sage.hr).",
        guide_url="https://developer.sage.com/hr/",
        extra=(
            FormField(
                "subdomain",
                "Subdomain",
                target="config",
                placeholder="acme",
                help="The part before .sage.hr in your Sage HR address.",
            ),
        ),  # fmt: skip
    ),
)
