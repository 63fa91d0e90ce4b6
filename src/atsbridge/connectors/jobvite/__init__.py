"""Jobvite: the v2 REST API (``https://api.jobvite.com/api/v2``) for candidates, applications and jobs.

Jobvite publishes no v2 documentation (its help centre is customer-gated): everything here comes from a
working open-source v2 client (``kippnorcal/jobvite``, [conn]), Nango's provider notes and a third-party
compilation of the archived v1 PDF and live probes ([3p]); see reference §1. What the API imposes, and where:

* Auth: a static key pair from Jobvite support, sent as headers ``x-jvi-api`` / ``x-jvi-sc`` [conn]
  (``api.KeyPair``). No OAuth, no expiry; the key pair scopes the company (one host for every tenant).
* **Errors arrive with HTTP 200**: ``{"status": {"code": 401, "messages": ["Invalid api/secret..."]}}``
  [rec probe]. ``api._KeyPairAuth`` sets the answer's status from the body code before the client looks at
  it (so a throttle is retried as a 429, a bad key marks the integration INVALID, a 409 on create is
  "already applied"), and ``api.JobviteErrors`` (``kit.ErrorShape`` on the body path ``status.code``)
  checks every listed page. Passthrough answers carry that status too (the body is Jobvite's, unchanged).
* Paging: ``start`` (0-based) + ``count`` (at most 500), stop on a short page [conn];
  ``{"total", "candidates": [...]}`` and ``{"total", "requisitions": [...]}``.
* Rate: 15 requests/minute and 850/hour per key pair, daily caps per endpoint (GET candidate 20,000,
  requisition 500, reset at midnight Pacific) [3p, unverified; no rate headers]. Paced at the strictest,
  14/min (840/h), one request at a time: a full sync of N applications costs ceil(N/500)+ceil(jobs/500)
  requests, far under the daily caps.
* Incremental: ``datestart`` (+ ``dateFormat=yyyy-MM-dd``) filters ``/candidate`` by last-updated date
  [conn]; sent from the day before the last sync (the filter is day-granular). ``/job`` has no known date
  filter: requisitions are listed in full on every run (few rows, one or two requests). **No deletion feed
  and no deleted flag**: deletions are found by the engine on complete full listings (a failed or partial
  listing never marks anything deleted).
* Model: a ``/candidate`` row is one application (``candidate.application{}``), split into the candidate
  (``eId``, deduplicated across rows) and its application; requisitions are jobs; users are the hiring
  managers and recruiters embedded in requisitions (there is no user API); stages are the tenant's workflow
  states, one global pipeline, known only from the applications in them (``/api/v2/workflow`` exists but
  its shape is unknown [3p]), so a state with no application is not listed.
* Outcome: ``application.workflowState`` names are tenant-configured: ``mappers.OUTCOMES`` ("Hired",
  "Offer Accepted" -> HIRED; "Rejected", "Declined", "Withdrawn" -> DECLINED) plus the integration's
  ``status_map`` (by state name or eId); other states are HIRED with a ``hireDate``, DECLINED with a
  ``disposition`` (the rejection reason), else PENDING.
* Not served: interviews (``/interview`` shape unknown), offers (``/offerLetter`` unknown), notes,
  scorecards, tags (no endpoint), attachments (the resume is inline text only, no file), rejection reasons
  (a free-text ``disposition``, kept on the application).
* Writes: ``create_application`` only (``actions.py``). Moving or rejecting an application is documented
  only for the retired v1 API and the v2 ``PUT /candidate`` payload is unknown; notes, tags and files have
  no endpoint: those actions are not declared (``INTEGRATION.ACTION_NOT_AVAILABLE``).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.jobvite import mappers as m
from atsbridge.connectors.jobvite.actions import ACTIONS
from atsbridge.connectors.jobvite.api import API
from atsbridge.connectors.jobvite.streams import STREAMS

CONNECTOR = kit.declare(
    tool="jobvite",
    label="Jobvite",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    probe=kit.Probe(
        "/candidate",
        {"start": 0, "count": 1},
        refused="this API key and secret",
        forbidden="Jobvite accepted the key pair but denied access (403): ask Jobvite support to enable the API",
        not_found="Jobvite answered 404: check the API base URL",
        refused_when=("invalid api/secret",),
    ),
    connect=kit.ConnectForm(
        instructions="Ask Jobvite support (Customer Success) for an API key and secret for the v2 API; "
        "reading requisitions needs the Jobs API feature on the account.",
    ),
)
