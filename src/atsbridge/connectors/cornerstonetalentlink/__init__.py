"""Cornerstone TalentLink (ex-Lumesse): the REST proxy ``https://apiproxy.shared.lumessetalentlink.com/tlk/rest``.

Sources: HrFlow's TalentLink connector [conn], Kombo's TalentLink (beta) notes [conn]; the vendor's own
documentation is not public (doc quality "poor"). No payload was recorded: see ``mappers`` for the shapes.

* Auth: headers ``username`` = ``Company:user:BO`` and ``password``, plus ``?api_key=`` [conn]. The Connect
  form asks for company, user, password and API key (as Kombo's does) and builds the user name.
* Reads are GraphQL-like queries in the ``query`` URL parameter
  (``{ candidates(first: 100, after: 0, sortBy: id, orderBy: ASC, where: {update_ge: <ms>}) {id, ...} }``)
  answered with ``stream=true`` as **NDJSON chunks** ``{"data": {"candidates": [...]}}``: the kit's
  ``NdjsonPages`` parses them chunk by chunk, advances ``after`` by the rows received and stops on an empty
  page (the stream has no end marker, so a short page cannot be told from a cut one).
* Incremental: candidates and applications by ``update_ge`` (epoch ms) [conn; on applications by analogy,
  unverified]; adverts listed in full. No deletion feed: deletions show on complete listings only.
* Models: jobs (the opening behind each published advert), candidates (+ their tags and attachments),
  applications, application stages (the customer-defined application ``status`` values seen).
* Outcome: ``status`` / ``completionReason`` / ``archived`` through ``OUTCOMES`` and the integration's
  status map (values are per tenant [gap]).
* Write: ``create_application`` (and ``create_candidate``): ``POST /candidate`` with ``openingId``, read back
  until the asynchronous application shows [unverified: see ``actions``].
* Unverified [gap]: rate limits (not published; paced at 5/s, 429 backs off), error bodies (read as
  ``{"errors": [...]}``), the nested shapes named in ``mappers``, the application ``id_eq``/``update_ge`` and
  candidate ``id_eq``/``email_eq`` filters (the candidate ones are in HrFlow's filter list).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.cornerstonetalentlink.actions import ACTIONS
from atsbridge.connectors.cornerstonetalentlink.api import API
from atsbridge.connectors.cornerstonetalentlink.download import download
from atsbridge.connectors.cornerstonetalentlink.mappers import OUTCOMES
from atsbridge.connectors.cornerstonetalentlink.streams import DELETIONS, STREAMS

_NO_API = "TalentLink's REST API has no endpoint for it"
_NO_WRITE = "TalentLink's REST API only creates candidates (no stage moves, rejections, notes, tags or files)"

CONNECTOR = kit.declare(
    tool="cornerstonetalentlink",
    label="Cornerstone TalentLink",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={},
    probe=kit.Probe(
        "/publishedadvert",
        {"query": "{ publishedAdverts(first: 1, after: 0, sortBy: id, orderBy: ASC) {id} }", "stream": "true"},
        refused="this company, user, password or API key",
        forbidden="TalentLink refused the user (403): give it the Webservices, Basic access, Functional manager "
        "and Standard Recruiter roles",
    ),
    connect=kit.ConnectForm(
        instructions="Ask Cornerstone for a TalentLink API key, and use an API user with the Webservices, Basic "
        "access, Functional manager and Standard Recruiter roles.",
        guide_url=None,
    ),
    download=download,
    unavailable={
        "users": "TalentLink's REST API exposes no users",
        "interviews": _NO_API,
        "offers": _NO_API,
        "scorecards": _NO_API,
        "notes": "TalentLink has no notes endpoint: only one free-text memo per application (in custom_fields)",
        "rejection_reasons": "TalentLink has no reason list: only a free-text completionReason per application",
        "roles": "TalentLink's REST API exposes no users or roles",
        **dict.fromkeys(
            (
                "move_application_to_stage",
                "reject_application",
                "add_application_note",
                "add_candidate_tag",
                "remove_candidate_tag",
                "add_application_attachment",
                "add_candidate_attachment",
                "add_application_result_link",
                "add_candidate_result_link",
            ),
            _NO_WRITE,
        ),
    },  # fmt: skip
)
