"""CEGID Talentsoft Recruiting, **FrontOffice API v2** (``talentsoft``): the API a Front Office careers portal
calls on a candidate's behalf (reference §3; Kombo's ``talentsoft`` connector). Its sibling
``talentsoftcustomer`` (Customer API v1, back-office data) shares ``common``.

* Host and auth: each Front Office has its own host (``config.host``; base ``https://<host>/api/v2``); the
  client ID/secret are generated per Front Office in the Recruiting Back Office [doc]; token at
  ``https://<host>/api/token`` (see ``common``). ``Accept-Language: en-US`` picks the answer language [doc].
* Jobs: ``GET /offersummaries`` (``{data: [...]}``, ``count`` [conn], ``start`` [gap]) then one
  ``GET /offers/getoffer?reference=..&metadata=true`` per offer [conn]; the FrontOffice shows published offers
  only, so every job is OPEN/PUBLIC and an unpublished one disappears (marked deleted by the full listing).
* **Candidates and applications: only those this client created.** The FrontOffice API cannot list
  back-office applications [doc/3p: "only able to read applications that were created by" the integration];
  ``GET /applications`` [gap: path unverified] answers this client's own applications, each with its
  ``applicant``. A candidate is an applicant with at least one such application. Use ``talentsoftcustomer``
  for the whole back office.
* Stages: the FrontOffice has no status referential; stages are the application statuses seen on those
  applications (``{clientCode, label}``), so only "stages previously encountered" exist.
* Outcome: ``common.OUTCOMES`` on the status label (tenant-defined: the per-integration status map first).
* Incremental: none documented [gap]; every sync lists in full (hashing keeps unchanged records), deletions
  show on complete listings. No deletion feed, no webhooks on this API.
* Writes: ``create_application`` (and ``create_candidate``) with ``remote_fields.talentsoft``; see ``actions``.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.talentsoft import common
from atsbridge.connectors.talentsoft.actions import ACTIONS
from atsbridge.connectors.talentsoft.api import API
from atsbridge.connectors.talentsoft.mappers import OUTCOMES
from atsbridge.connectors.talentsoft.streams import STREAMS

_CANDIDATE_API = "the FrontOffice API is the candidate's view of a careers portal: it has no endpoint for {}"
_NO_WRITE = "the FrontOffice API only applies to offers: it cannot {} (use talentsoftcustomer for back-office data)"

CONNECTOR = kit.declare(
    tool="talentsoft",
    label="CEGID TalentSoft FrontOffice",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    probe=kit.Probe(
        "/offersummaries",
        {"start": 0, "count": 1},
        refused="this client ID and secret",
        forbidden="Talentsoft accepted the client but denied access (403): check the client is enabled for "
        "this Front Office",
        not_found="no FrontOffice API answered on this host: give the Front Office portal's host",
    ),
    connect=kit.ConnectForm(
        instructions="In the Talentsoft Recruiting Back Office, generate a client ID and secret for your Front "
        "Office, and give the Front Office host (e.g. acme-careers.talent-soft.com). Only applications "
        "created through this connection can be read back.",
        guide_url="https://developers.cegid.com/docreference/BusinessUnits/Recruiting-developer-portal/"
        "frontoffice/documentation.html",
        extra=(
            FormField(
                "host",
                "Front Office host",
                target="config",
                help="The Front Office portal's host name, without https://",
            ),
        ),  # fmt: skip
    ),
    unavailable=common.unavailable(
        _CANDIDATE_API,
        (
            "recruiters or users",
            "interviews",
            "job offers made to candidates",
            "notes",
            "evaluations",
            "tags",
            "rejection reasons",
            "reading documents back",
            "roles",
        ),
        _NO_WRITE,
        ("move applications", "reject applications", "add notes", "tag candidates", "untag candidates"),
    ),  # fmt: skip
)
