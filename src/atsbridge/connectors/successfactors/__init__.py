"""SAP SuccessFactors Recruiting Management (RCM) over OData v2 (reference §2).

What the API imposes, and where it is encoded:

* Auth (``api.py``): OAuth2 SAML bearer. atsbridge builds the SAML assertion (issuer and audience
  ``www.successfactors.com``, NameID the API user, recipient the token URL), signs it RSA-SHA256 with the
  customer's private key and posts it with ``company_id`` and ``client_id`` to ``https://{api_server}/oauth/token``
  (``kit.SamlBearer``). HTTP Basic ``user@companyId`` is kept only as a legacy option (SAP is retiring it
  [3p]): it is used when no private key is given and a password is.
* The Connect check lists one row of each entity the sync reads and names the permission behind the first
  refusal (RCM OData and field permissions), instead of a generic 403.
* OData v2 (``kit.odata``): ``{"d": {"results"}}``, server-side paging (``paging=snapshot``,
  ``customPageSize``, the ``d.__next`` URL), ``/Date(ms)/`` values, OData error bodies whose message is passed on,
  ``upsert``'s per-row errors sent with HTTP 200.
* Incremental: ``$filter=lastModifiedDateTime gt datetime'...'`` on requisitions, applications and candidates
  (status sets are read in full). **No deletion feed**: purged rows simply vanish, so deletions are found only
  by a complete full listing (the engine's deletion detection, behind its breaker); ``deleted`` requisitions
  are ARCHIVED jobs, anonymized candidates and applications stay as they are listed.
* Budget: SAP announced a limit, then postponed it (KBA 3159263), and asks for gentle polling: 4 requests per
  second, two in flight; 429 and 503 wait their ``Retry-After`` (the kit's backoff).
* Statuses are customer-defined per requisition template (status sets): ``mappers.OUTCOMES`` is the default,
  each integration's ``status_map`` (status names or ids) overrides it.
* Served: jobs, application_stages (each requisition's status set), candidates, applications, users,
  notes (``jobApplicationComments``, read with their application: [gap] whether a comment moves the
  application's ``lastModifiedDateTime`` is unknown, so a comment made in SuccessFactors alone may wait for
  the next full sync), interviews (``JobApplicationInterview``) and offers (``JobOffer``, no status is
  documented), the last two listed in full (no change date documented). Writes:
  create_application, move_application_to_stage, reject_application, add_application_note, result links (as
  comments), import_tracked_application (``actions.py``).

Webhooks in (``webhooks.py``): no native webhooks; Integration Center *Intelligent Services* triggers set up
by hand POST an admin-built JSON body, unsigned (``kit.PathTokenOnly``: the issued URL is the secret), about
15 minutes late; an application event queues a delta of ``applications``, a candidate-profile event of
``candidates`` and ``applications``.

Not served, each for its reason (``unavailable`` below): scorecards exist in the API (feasibility
matrix) but are not mapped by this first version; tags are read (the candidates' ``tags`` navigation, so a
delta run serves the tags of the candidates it listed) but not written; attachments' shape is only [3p].
Rejection reasons are the declining statuses of the status sets (the default rule or the integration's map):
rejecting moves the application there.
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe
from atsbridge.connectors.successfactors import mappers as m
from atsbridge.connectors.successfactors.actions import ACTIONS
from atsbridge.connectors.successfactors.api import API, API_SERVER
from atsbridge.connectors.successfactors.streams import STREAMS
from atsbridge.connectors.successfactors.webhooks import WEBHOOKS

LABEL = "SAP SuccessFactors"
REFUSED = "this company ID, API key, user ID and private key (or the token request)"
#: Entity read by the sync -> the role permission SuccessFactors needs for it.
PERMISSIONS = (
    ("JobRequisition", "Recruiting Permissions > Job Requisition Data Model fields and the OData API Job "
                       "Requisition export permission"),
    ("JobApplication", "Recruiting Permissions > Job Application OData API permission and the application "
                       "template field permissions"),
    ("Candidate", "Recruiting Permissions > Candidate OData API permission and the candidate profile field "
                  "permissions"),
    ("JobApplicationStatus", "Recruiting Permissions > Job Application Status OData API permission"),
)  # fmt: skip

_CONNECTOR = kit.declare(
    tool="successfactors",
    label=LABEL,
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses", "job_codes"})},
    webhooks=WEBHOOKS,
    probe=kit.Probe("/JobApplication", {"$top": 1, "$format": "json"}, refused=REFUSED),
    connect=kit.ConnectForm(
        instructions="Register an OAuth2 client application (Admin Center > Manage OAuth2 Client Applications) "
        "with an X.509 certificate, and give the API user the Recruiting OData API permissions.",
        guide_url="https://help.sap.com/docs/SAP_SUCCESSFACTORS_PLATFORM",
        extra=(API_SERVER,),
    ),
    unavailable={
        "add_candidate_tag": "[gap] the CandidateTags entity's fields are not documented to us",
        "remove_candidate_tag": "[gap] the CandidateTags entity's fields are not documented to us",
        "scorecards": "not mapped yet (InterviewOverallAssessment exists)",
        "attachments": "the resume/coverLetter navigations are documented only third-hand",
        "add_application_attachment": "the resume/coverLetter navigations are documented only third-hand",
        "add_candidate_attachment": "the resume/coverLetter navigations are documented only third-hand",
    },
)


async def verify(info: IntegrationInfo) -> None:
    """Each entity the sync reads, one row: the first refusal names its permission."""
    for entity, permission in PERMISSIONS:
        forbidden = f"{LABEL} denied access to {entity} (403): grant the API user {permission}"
        not_found = f"{LABEL} answered 404 for {entity}: check the API server host"
        how = Explain(LABEL, REFUSED, forbidden=forbidden, not_found=not_found)
        await probe(API.client(info), f"/{entity}", how, params={"$top": 1, "$format": "json"})


assert _CONNECTOR.connect is not None  # kit.declare always derives one
CONNECTOR = dataclasses.replace(_CONNECTOR, connect=dataclasses.replace(_CONNECTOR.connect, verify=verify))
