"""UKG Pro Recruiting (reference §5: developer.ukg.com excerpts [doc], Nango/Kombo clients [conn], Knit [3p]).

What the API imposes, and where it is encoded:

* Base URL ``https://{recruiting_host}/talent/recruiting/v2/{tenant_alias}/api`` (``api.BASE_URL``): host and
  tenant alias come from UKG out of band, so the Connect form asks for them (config), plus the identity server.
* Auth: OAuth2 client credentials at ``https://{identity_server}/signin/oauth2/t/{tenant_alias}/access_token``
  (``kit.OAuthClientCredentials`` fills the token URL from config like the base URL); the token is renewed
  before expiry and once on a 401. Scopes ``recruiting.domain.{opportunities,applications,candidates,offers}
  .read`` (+ ``applications.write``, ``application-import.create``, ``candidates.write`` for writes) [doc].
* Paging: bare JSON arrays; ``Link`` carries ``rel="next"`` (``after=<uuid>``) until the last page [conn]
  (``kit.LinkHeader``, the next URL followed as is). Rate limit unpublished: paced at 10/s, 429 honours
  ``Retry-After``.
* Incremental: ``updated_after`` on opportunities and applications [conn]. Candidates are read by id
  (``GET /candidates/{id}`` [doc]; no candidate list is documented) for the applications listed in the run:
  [gap] a change to a candidate alone is assumed to bump its applications' ``updated_at``; otherwise it shows at
  the next full sync. Offers have no documented filter: listed in full. **No deletion feed** [doc]: complete
  full listings mark deletions.
* Model: candidate 1-N applications. Notes are the candidate's ``comments`` (inside the candidate detail [doc];
  candidate-level, so no application id). Documents are reachable only via each application's ``links``
  (``rel="documents"`` [doc]) and download at ``/applications/{id}/documents/{docId}/download``; an attachment's
  remote id is ``<application id>/documents/<document id>``.
* Outcome (``mappers.OUTCOMES``): no public status list [gap]: the application ``status.name`` is the
  tenant's own, so the per-integration status map decides first (by name or id), then the shipped defaults
  (Hired -> HIRED; Rejected/Not Selected/Withdrawn/Declined -> DECLINED), else PENDING. [gap] An accepted offer
  is not read as a hire (offers are synced as their own model).
* Unverified shapes ([gap], no traffic recorded): opportunity ``status``/``employee_type``/``location``,
  application ``status{id,name}``/``opportunity{id}``, offer fields, comment ids, the document upload body.

Unavailable, with the reason users see in ``unavailable=`` below.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.ukgpro.actions import ACTIONS
from atsbridge.connectors.ukgpro.api import API
from atsbridge.connectors.ukgpro.mappers import OUTCOMES
from atsbridge.connectors.ukgpro.streams import STREAMS

_NOT_IN_API = "UKG Pro Recruiting's API has no endpoint for it"

CONNECTOR = kit.declare(
    tool="ukgpro",
    label="UKG Pro Recruiting",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={},
    unavailable={
        "users": _NOT_IN_API,
        "interviews": _NOT_IN_API,
        "scorecards": _NOT_IN_API,
        "tags": _NOT_IN_API,
        "roles": _NOT_IN_API,
        "application_stages": "no stage or workflow endpoint is documented: the application status is the "
        "tenant's own name, mapped to an outcome by the status map",
        "rejection_reasons": "no list endpoint: only the status name on each application",
        "move_application_to_stage": "no documented endpoint moves an application",
        "reject_application": "no documented endpoint changes an application's status",
        "add_candidate_tag": _NOT_IN_API,
        "remove_candidate_tag": _NOT_IN_API,
    },
    probe=kit.Probe(
        "/opportunities",
        {"per_page": 1},
        refused="this client ID and secret",
        forbidden="UKG accepted the client but denied access (403): ask UKG to grant the scopes "
        "recruiting.domain.opportunities.read and recruiting.domain.applications.read",
        not_found="UKG has no recruiting tenant at this host and alias (404): check the recruiting host and "
        "tenant alias",
    ),
    connect=kit.ConnectForm(
        instructions="UKG issues API clients offline: ask UKG support (or the UKG Identity team) for a client ID "
        "and secret for UKG Pro Recruiting with the recruiting.domain scopes for opportunities, applications, "
        "candidates and offers (read), plus applications.write and application-import.create for writes. Enter "
        "the recruiting host, tenant alias and identity server they name.",
        guide_url="https://developer.ukg.com/hcm/reference/createapplication",
        extra=(
            FormField(
                "recruiting_host",
                "Recruiting host",
                target="config",
                placeholder="service2.ultipro.com",
                help="the host of your UKG Pro Recruiting API (service2.ultipro.com, service3.ultipro.ca...).",
            ),
            FormField(
                "tenant_alias",
                "Tenant alias",
                target="config",
                help="your tenant's name, as in the browser bar when signed in to UKG Pro Recruiting.",
            ),
            FormField(
                "identity_server",
                "Identity server",
                target="config",
                placeholder="signin.ultipro.com",
                help="the UKG identity host of your tenant (signin.ultipro.com, signin.ukg.net...).",
            ),
            FormField(
                "application_source_id",
                "Applicant source ID",
                target="config",
                required=False,
                help="Settings > Candidate > Applicant Sources: the source assigned to this integration "
                "(used on created applications).",
            ),
        ),  # fmt: skip
    ),
    download=kit.Download("/applications/{id}/download", id_pattern=r"^[\w-]+/documents/[\w-]+$"),
)
