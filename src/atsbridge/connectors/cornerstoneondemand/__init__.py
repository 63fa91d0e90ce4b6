"""Cornerstone OnDemand Recruiting (CSOD): ``https://{corp}.csod.com/services/api`` [conn], REST + JSON.

* Host: the portal subdomain (``config.corp``: ``acme``, or ``acme-stg`` / ``acme-pil`` for the staging and
  pilot portals, which CSOD names ``{corp}{env}`` [conn]: one field covers both).
* Auth: OAuth2 client credentials posted as **camelCase JSON** to ``/services/api/oauth2/token``
  (``{clientId, clientSecret, grantType, scope}``, not a form) [conn] — ``kit.JsonClientCredentials``. The app
  is registered in Admin > Tools > Edge > API Management and bound to a service user; tokens live 300-86,400 s
  [doc]. The requested scopes (``api.SCOPES``) are an assumed set [conn naming, unverified].
* Paging: ``Page`` (from 1) / ``PageSize`` (100) -> ``{"data": [...]}``; a short page ends [conn]. Throttles
  are per endpoint [doc]: paced at 5/s, 429s waited out.
* Jobs: ``GET /Recruiting/JobRequisitionDetails``; deltas with ``lastModifiedSince``, which **ignores posting
  changes** [conn] (career-site edits reach us on the next full sync). Career sites become job postings.
* Candidates and applications: ``GET /Recruiting/JobApplicant`` requires ``CurrentStatus`` [conn], so a sync
  lists it once per applicant status. Statuses are workflow names each tenant configures: the list is
  ``config.applicant_statuses`` (comma-separated; default ``api.DEFAULT_STATUSES``, [3p]) and **must name
  every status in use** — an applicant in an unlisted status is invisible, and a full sync would mark it
  deleted. Deltas add ``StatusDate`` (a local date, read as "on or after" [gap]) one day before the cursor;
  an applicant edit without a status change waits for the next full sync. The applicant row's shape is
  unverified [gap] (see ``mappers``); candidate = ``UserId``, application = ``{ReqId}:{UserId}``.
* Stages are the configured statuses; the statuses that end as DECLINED are also the rejection reasons.
* Outcomes: ``mappers.OUTCOMES`` ("Hired" HIRED; "Closed", "Withdrawn"... DECLINED); the per-integration status
  map names each tenant's own.
* Deletions: no feed [conn]; found by full syncs' complete listings only.
* Writes: apply, move stage, reject (``actions``). Everything else is declared unavailable below.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.cornerstoneondemand.actions import ACTIONS
from atsbridge.connectors.cornerstoneondemand.api import API, REQUISITIONS
from atsbridge.connectors.cornerstoneondemand.mappers import OUTCOMES
from atsbridge.connectors.cornerstoneondemand.streams import STREAMS

_NO_API = "Cornerstone's Recruiting API has no endpoint for it"
_USERS = "Cornerstone users live in the separate Core/Employee API, which this Recruiting connector does not read"

CONNECTOR = kit.declare(
    tool="cornerstoneondemand",
    label="Cornerstone OnDemand",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    probe=kit.Probe(
        REQUISITIONS,
        {"Page": 1, "PageSize": 1},
        refused="this client ID and secret",
        forbidden="Cornerstone accepted the client but denied access (403): give the API app the Recruiting "
        "services (Job Requisition, Job Applicant, Candidate) in Edge > API Management",
        not_found="Cornerstone answered 404: check the portal subdomain (the part before .csod.com)",
    ),
    connect=kit.ConnectForm(
        instructions="In Cornerstone, open Admin > Tools > Edge > API Management, register an app with the "
        "Recruiting services bound to a service user, and copy its client ID and secret.",
        guide_url="https://csod.dev/guides/",
        extra=(
            FormField(
                "corp",
                "Portal subdomain",
                target="config",
                placeholder="acme",
                help="The part before .csod.com (acme-stg or acme-pil for staging and pilot portals).",
            ),
            FormField(
                "applicant_statuses",
                "Applicant statuses",
                target="config",
                required=False,
                placeholder="New Submission,In Review,Interview,Offer Letter,Hired,Closed",
                help="Every applicant status your portal uses, comma-separated: applicants are listed "
                "status by status.",
            ),
        ),  # fmt: skip
    ),
    unavailable={
        "users": _USERS,
        "roles": _USERS,
        **dict.fromkeys(("interviews", "offers", "notes", "scorecards", "tags", "attachments"), _NO_API),
        "add_application_note": _NO_API,
        "add_application_attachment": "Cornerstone takes files only with the application itself",
        "add_candidate_attachment": "Cornerstone takes files only with the application itself",
        "add_candidate_tag": _NO_API,
        "remove_candidate_tag": _NO_API,
    },
)
