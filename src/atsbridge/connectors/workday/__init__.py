"""Workday Recruiting: SOAP Web Services (``Recruiting`` service), read with the kit's SOAP layer.

What the API imposes, and where it is encoded:

* Endpoint ``https://{host}/ccx/service/{tenant}/Recruiting/v45.2`` (host and tenant on the Connect form,
  ``api.API``). Auth: an integration system user (ISU) as a WS-Security ``UsernameToken`` (``user@tenant``,
  PasswordText) in every envelope, or an OAuth API client's refresh token (``/ccx/oauth2/{tenant}/token``,
  Basic client auth; a bearer token per request) [conn Nango]: ``kit.soap.WsSecurity``.
* Faults come as HTTP 500 ``soapenv:Fault``; ``kit.soap.SoapErrors`` classifies them by faultcode
  (authentication -> 401 and the integration turns INVALID, validation -> 400, server -> retried).
* Paging: ``Response_Filter{Page, Count=100}`` until ``Response_Results/Total_Pages``, ``As_Of_Entry_DateTime``
  pinned to the listing's start. Rate: unpublished (~10/s per tenant observed [3p]): paced at 5/s, one call in
  flight; a 429 or a throttling fault backs off.
* Incremental: ``Get_Candidates`` and ``Get_Job_Requisitions`` take ``Transaction_Log_Criteria_Data``
  ``{Updated_From, Updated_Through}`` [doc]: a delta lists what changed since the last run. No deletion feed
  (none exists): deletions are found only by complete full listings (the engine's breaker applies).
* Models: jobs (job requisitions), candidates and their job applications (one ``Get_Candidates`` row),
  application stages (one global pipeline: Workday's delivered recruiting stages [3p] in order, then any
  other ``Recruiting_Stage_ID`` the applications are in; the Recruiting service lists no stages [gap]), users
  (active workers from ``Get_Workers``, Human_Resources service). Outcome
  (``mappers.OUTCOMES``): a disposition or a withdrawal declines, ``Ready_for_Hire`` with a worker made from
  the candidate is hired; dispositions are tenant-configured, so the integration's status map (by disposition
  id or name, or stage id) overrides.
* Security domains missing on the ISU's group make Workday drop elements silently (no 403): the Connect check
  (``verify``) reads one candidate, one requisition and one worker and names the domain whose elements are
  missing.
* Keys: ``Candidate_ID``, ``Job_Application_ID``, ``Job_Requisition_ID``, ``Employee_ID`` (each reference's
  WID when the typed id is absent); never ``Descriptor`` texts.
* Writes: ``actions.py``. Passthrough (``soap``): envelopes sent without a ``wsse:Security`` header get the
  ISU's token from the client's auth.

Not served (``UNAVAILABLE``): offers are only in customer-built RaaS reports; interviews and feedback
(``Get_Interviews``) and attachments (base64 inline, ``Get_Candidate_Attachments``) have no recorded or
field-by-field documented shape and were left out of this first release; dispositions (rejection reasons) are
listed by no read we have a shape for, so rejecting by a unified reason id cannot be resolved.
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.base import ConnectSpec
from atsbridge.connectors.workday import mappers as m
from atsbridge.connectors.workday.actions import ACTIONS
from atsbridge.connectors.workday.api import API, HOST, TENANT
from atsbridge.connectors.workday.streams import STREAMS
from atsbridge.connectors.workday.verify import verify

UNAVAILABLE = {
    "offers": "Workday exposes offers only through customer-built RaaS reports",
    "interviews": "Get_Interviews has no recorded or documented shape here: not built yet",
    "attachments": "Get_Candidate_Attachments (base64 inline): not built yet",
    "rejection_reasons": "dispositions are tenant-configured and no documented read lists them",
    "tags": "candidate tags are names on the candidate (custom_fields.tags); no tag listing",
    "add_application_note": "Workday's Recruiting web service has no note operation",
    "reject_application": "needs a tenant disposition id no read lists; use move with Disposition_Step_Reference",
    "add_candidate_tag": "tags are written by replacing the candidate (Put_Candidate), not safe blind",
    "remove_candidate_tag": "tags are written by replacing the candidate (Put_Candidate), not safe blind",
}

_CONNECTOR = kit.declare(
    tool="workday",
    label="Workday",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    unavailable=UNAVAILABLE,
    probe=kit.Probe("/Recruiting"),  # replaced below: SOAP needs a POSTed envelope and a domain check
    connect=kit.ConnectForm(
        instructions="Create an integration system user (or register an API client for integrations) in a "
        "security group with Get access to Job Requisition Data and Candidate Data (Job Application, Personal "
        "Information), and Put access to create candidates and move them.",
        guide_url="https://doc.workday.com/admin-guide/en-us/integrations/integration-security.html",
        extra=(HOST, TENANT),
    ),
)
_spec = _CONNECTOR.connect or ConnectSpec((), verify)
CONNECTOR = dataclasses.replace(
    _CONNECTOR, connect=ConnectSpec(_spec.fields, verify, _spec.guide_url, _spec.instructions)
)
