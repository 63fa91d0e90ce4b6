"""CEGID Talentsoft Recruiting, **Customer API v1** (``talentsoftcustomer``): the back office's data (reference
§3; Kombo's ``talentsoftcustomer``). Shares auth, outcome rule and mappers with ``talentsoft`` (``common``).

* Host and auth: ``https://<customer>.talent-soft.com/api`` (``config.customer``); the client ID/secret is an
  API key created on an employee account (Administration > Employees > "Add API key") [doc]; token at
  ``/api/token`` on the same host. TEST and PROD need separate keys [doc].
* Stages: the ``applicationevents`` referential (ids are client codes; permission "ReferencesAdministration:
  Use") [doc], listed in full each run, in referential order.
* Jobs, candidates, applications: the exports (``/exports/v1/vacancies|candidates|applications``) [gap: the
  doc names the exports root for "exporting and indexing"; resource paths and fields are unverified], paged
  with ``offset``/``limit`` [doc] and read as deltas with ``modifiedSince`` [gap: the indexing guide says
  partners fetch what was added or modified since their last call]. Unlike the FrontOffice, every back-office
  application is visible.
* Outcome: the application's ``applicationEvent`` label through the integration's status map, then
  ``common.OUTCOMES`` (statuses are tenant-defined).
* Deletions: no feed documented; full syncs (after a complete listing) mark what vanished deleted.
* Webhooks: the API has ``/v1/system/...`` "for webhooks and event payloads" [doc], events and signature not
  found: not used.
* Writes: ``create_application`` (and ``create_candidate``), see ``actions``.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.talentsoft import common
from atsbridge.connectors.talentsoftcustomer.actions import ACTIONS
from atsbridge.connectors.talentsoftcustomer.api import API
from atsbridge.connectors.talentsoftcustomer.mappers import OUTCOMES
from atsbridge.connectors.talentsoftcustomer.streams import STREAMS

_NOT_FOUND = "no endpoint for {} in the Customer API's published material"
_NO_WRITE = "the Customer API documents no endpoint to {}"

CONNECTOR = kit.declare(
    tool="talentsoftcustomer",
    label="CEGID TalentSoft Customer",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    probe=kit.Probe(
        "/v1/referentials/applicationevents",
        {"offset": 0, "limit": 1},
        refused="this client ID and secret",
        forbidden="Talentsoft accepted the key but denied access (403): give the API user the "
        "'ReferencesAdministration: Use' permission and access to the exports",
        not_found="no Customer API answered on this host: check the customer name",
    ),
    connect=kit.ConnectForm(
        instructions="In Talentsoft Recruiting, open Administration > Employees, pick the API user and 'Add API "
        "key'; give the client ID, the secret and your site name (the part before .talent-soft.com).",
        guide_url="https://inte-developers.cegid.com/docreference/BusinessUnits/Recruiting-developer-portal/"
        "customer/spec.html",
        extra=(
            FormField(
                "customer",
                "Customer site",
                target="config",
                help="The part before .talent-soft.com, e.g. acme for acme.talent-soft.com",
            ),
        ),  # fmt: skip
    ),
    unavailable=common.unavailable(
        _NOT_FOUND,
        (
            "users",
            "interviews",
            "job offers",
            "notes",
            "evaluations",
            "tags",
            "rejection reasons",
            "documents",
            "roles",
        ),
        _NO_WRITE,
        (
            "change an application's status",
            "reject an application",
            "add a note",
            "tag a candidate",
            "untag a candidate",
        ),
    ),  # fmt: skip
)
