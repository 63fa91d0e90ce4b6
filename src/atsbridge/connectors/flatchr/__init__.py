"""Flatchr (FR): the REST API ``https://api.flatchr.io/company/{companyId}`` plus the public careers host
``https://careers.flatchr.io`` (reference §6: developers.flatchr.io [doc], HrFlow's client [conn]).

* Auth: ``Authorization: Bearer <API key>`` [doc] (``?token=`` also works; not used). The API key and the
  **company id** ("company key", e.g. ``rV41QG9eKXdK6Xev``) are both on Advanced settings > Advanced > API; the
  company id is part of every path, so it fills the base URL.
* Reads: vacancies (``GET /vacancies?fields=address,tags``, every status) -> jobs; pipeline columns
  (``GET /columns``) -> company-wide application stages; the applicant search (``POST /search/applicants``
  with an empty filter) -> candidates and applications. Lists are full arrays, never paged [doc][conn].
  Jobs come from the authenticated vacancies list, not the careers feed (``/company/{slug}.json``): that feed
  shows only active, published listings, so closed vacancies (whose applicants stay) would vanish.
* The two-id trap: vacancies have a hash ``id`` (what write paths take) and an integer ``vacancy_id`` (what the
  search names), and the search names columns by **title**: both are resolved through lookups
  (``api.VACANCIES``, ``api.COLUMNS``). See ``mappers`` for the remote ids chosen.
* Incremental: none. The search's only dates (``start``/``end``, MM/DD/YY) bound the application date, not
  changes, so every run lists in full; hashing keeps unchanged rows untouched and complete listings find the
  deletions (archiving removes an applicant). Webhooks exist but are configured in the UI, unsigned [doc].
* Outcome (``mappers.OUTCOMES``): ``hired: true`` -> HIRED; else by column name (customer-defined, so the
  per-integration status map decides; the default knows "Refusé"/"Refused"...) -> DECLINED; else PENDING.
* Writes: ``actions`` (apply on the careers host, move to a column, reject = refused column or archive).
* Unverified [conn/3p only, no tenant seen]: the search row and column shapes, the empty search body listing
  everyone, the vacancy ``status`` integers (1 = published is the only one recorded), the careers host name
  (``careers.`` per HrFlow, ``career.`` per Kombo: ``config["careers_url"]`` overrides), the apply answer, the
  archive ``DELETE``, error bodies and rate limits (none published; 1 request/s on CV links [3p]).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.flatchr.actions import ACTIONS
from atsbridge.connectors.flatchr.api import API
from atsbridge.connectors.flatchr.mappers import OUTCOMES
from atsbridge.connectors.flatchr.streams import STREAMS

_NO_API = "Flatchr's API has no endpoint for it"

CONNECTOR = kit.declare(
    tool="flatchr",
    label="Flatchr",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    unavailable={
        **dict.fromkeys(("interviews", "offers", "scorecards", "tags", "roles"), _NO_API),
        "users": "Flatchr documents no endpoint listing the company's members",
        "notes": "Flatchr documents no endpoint reading comments",
        "attachments": "CV keys (aws.key) appear only in the answer of a column move, a write: reading them "
        "would move every applicant",
        "add_application_note": "Flatchr's 'create a comment' endpoint is not publicly documented (path and body "
        "unknown)",
        "add_application_attachment": "Flatchr's API documents no file upload",
        "add_candidate_attachment": "Flatchr's API documents no file upload",
        "add_candidate_tag": _NO_API,
        "remove_candidate_tag": _NO_API,
    },
    probe=kit.Probe(
        "/columns",
        refused="this API key",
        forbidden="Flatchr accepted the API key but denied access (403): check the company id",
        not_found="Flatchr does not know this company id (404): copy it from Advanced settings > Advanced > API",
    ),
    connect=kit.ConnectForm(
        instructions="In Flatchr, open Advanced settings > Advanced > API: copy the API key and the company id "
        "(company key) shown on the same page.",
        guide_url="https://developers.flatchr.io",
        extra=(
            FormField(
                "company_id",
                "Company ID",
                help="Advanced settings > Advanced > API: the company key (e.g. rV41QG9eKXdK6Xev).",
                target="config",
            ),
        ),  # fmt: skip
    ),
)
