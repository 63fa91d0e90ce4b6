"""iCIMS Talent Cloud: the REST profile API (jobs, people, applicant workflows) read by Search, then by id.

What the API imposes, and where it is encoded:

* Base URL ``https://{api_host}/customers/{customer_id}``: the customer id and the region's host (US
  ``api.icims.com``, EU ``api-eu.icims.com`` [doc §4.1]) are Connect form fields (``api.API``).
* Auth: HTTP Basic as the integration user iCIMS issues (only iCIMS issues credentials; Search needs the
  Integration User group [doc]). iCIMS also offers OAuth2 client credentials and HMAC [doc]; Basic is the one
  proven in recorded client code [rec] and needs no token host ([3p] ``login.icims.com``). Swapping in
  ``kit.OAuthClientCredentials`` is a one-line change in ``api.py``.
* Reads: ``POST /search/{profile}`` answers ids only (at most 1000, sorted by id; the next search asks for
  ``<entity>.id >`` the last one [3p]), then ``GET /{profile}/{id}?fields=...`` per hit (N+1): the kit's
  ``SearchThenFetch`` (``streams.py``). Only valued fields come back [rec].
* Incremental: ``<entity>.updateddate >=`` the last sync on every search [doc] (literal date format [gap]:
  ``api.search_date``; the bound goes back 15 minutes, as search data may be that stale [doc]). No deletion
  feed: deletions are found after a complete full listing only.
* Quota: a **daily** request quota (``x-ratelimit-limit/remaining``, ``x-ratelimit-reset`` = seconds to
  00:00 UTC [rec]). It is a budget: before each batch the read checks that the batch fits what is left of the
  day minus a reserve (``config.quota_reserve``, default 500, kept for writes and the Connect check). When it
  would not, the run stops cleanly with ``REMOTE.RATE_LIMIT_EXCEEDED`` before spending the rest; the sync
  position does not advance, so the next scheduled run after the reset resumes from the same point.
* Outcomes: a workflow's ``status`` is a node of the customer's own workflow (``C…`` ids customer-defined):
  ``mappers.OUTCOMES`` knows iCIMS' standard names only, the integration's ``status_map`` (by node id or name)
  decides the rest. Stages are the status nodes seen on workflows (tenant-wide, ``job_id`` null).
* Writes: ``actions.py`` (create person + applicant workflow, status change, result links on the workflow
  with ``remote_fields.icims.assessment_package_id``).
* Webhooks in: iCIMS Integration Events (Status Flow Update, Application Complete, job events), enabled per
  customer by iCIMS, authenticated by the URL's path token only (``webhooks.py``).

Not served, and why (``unavailable`` below): users (iCIMS users are person profiles; the field that tells a
user from a candidate is tenant configuration [gap]), interviews, offers (partner Offer API), notes,
scorecards, tags, rejection reasons (no endpoints [gap]); attachments (Binary Files API: binary fields per
tenant [gap]).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.icims import mappers as m
from atsbridge.connectors.icims.actions import ACTIONS
from atsbridge.connectors.icims.api import API, HOSTS
from atsbridge.connectors.icims.streams import STREAMS
from atsbridge.connectors.icims.webhooks import WEBHOOKS

_NO_ENDPOINT = "iCIMS has no documented endpoint for it"

CONNECTOR = kit.declare(
    tool="icims",
    label="iCIMS",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    webhooks=WEBHOOKS,
    probe=kit.Probe(
        "/search/jobs",
        method="POST",
        json={"filters": [], "operator": "&"},
        refused="this API username and password (or customer id)",
        forbidden="iCIMS accepted the credentials but denied the Search API (403): add the API user to the "
        "Integration User group",
        not_found="iCIMS answered 404: check the customer id and the region",
    ),
    connect=kit.ConnectForm(
        instructions="Ask iCIMS (your Customer Success Manager) for API credentials of an integration user in "
        "the Integration User group, and enter your customer id and region.",
        guide_url="https://developer-community.icims.com/applications/rest-api/authentication",
        extra=(
            FormField("customer_id", "Customer ID", target="config", help="Your numeric iCIMS customer id."),
            FormField("api_host", "Region", kind="select", target="config", options=HOSTS, default=HOSTS[0][0]),
        ),
    ),
    unavailable={
        "users": "iCIMS users are person profiles told apart by tenant-configured fields (undocumented)",
        "interviews": _NO_ENDPOINT,
        "offers": "only through iCIMS' partner Offer API",
        "tags": _NO_ENDPOINT,
        "notes": _NO_ENDPOINT,
        "scorecards": _NO_ENDPOINT,
        "roles": _NO_ENDPOINT,
        "rejection_reasons": "rejections are customer-defined workflow status nodes (see application stages)",
        "attachments": "files are tenant-specific binary fields of the Binary Files API",
        "add_application_note": _NO_ENDPOINT,
        "reject_application": "a rejection is one of the customer's own status nodes: use move_application_to_stage",
        "add_application_attachment": "files are tenant-specific binary fields of the Binary Files API",
        "add_candidate_attachment": "files are tenant-specific binary fields of the Binary Files API",
        "add_candidate_tag": _NO_ENDPOINT,
        "remove_candidate_tag": _NO_ENDPOINT,
    },
)
