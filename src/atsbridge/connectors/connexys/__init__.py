"""Connexys by Bullhorn: the Connexys Recruitment App, a Salesforce managed package (namespace ``cxsrec__``),
read and written through Salesforce REST (reference section 6).

* Auth (``api.py``): OAuth2 client credentials of a Connected App run as the integration user
  (``POST https://<instance>/services/oauth2/token``) [conn]; the customer gives the My Domain host (sandboxes
  ``*.sandbox.my.salesforce.com``), the consumer key and secret. Salesforce's token answer has no expiry: the
  kit renews it on the first 401 ``INVALID_SESSION_ID``.
* Reads (``streams.py``, ``kit.soql``): one SOQL query per object, ``nextRecordsUrl`` paging, ``SystemModstamp
  >=`` on delta runs; deletions from the recycle bin (``queryAll`` ``IsDeleted = true``, 15 days [3p]; older
  ones the full sync's deletion detection finds). Users (``User``), jobs (``cxsrec__cxsPosition__c``),
  candidates, applications (``cxsrec__cxsJob_application__c`` with its workflow status), stages and rejection
  reasons (the tenant's workflow statuses), notes (``Task`` about an application), interviews (``Event`` about
  an application), attachments (``ContentVersion`` published on a candidate, downloaded from ``VersionData``).
* Outcome (``mappers.py``): a placement for the candidate + position is HIRED [conn]; else the status map, then
  Dutch/English default names, then an inactive status is DECLINED.
* Rate limits: Salesforce counts API requests per org per 24 h and concurrent long requests; over them it
  answers **403** ``REQUEST_LIMIT_EXCEEDED``, which ``kit.soql.SoqlErrors`` retries like a 429.
* Writes (``actions.py``): create application (+candidate, +files; the CV parser's overwrite of identity
  fields is undone), move stage, reject (to a declining workflow status), note (Task), candidate attachment.

Unverified [gap]: the package's schema is not public. The object names of workflow statuses
(``cxsrec__cxsWorkflow_status__c``) and placements (``cxsrec__Placement__c`` with ``cxsrec__Candidate__c`` and
``cxsrec__Position__c``), the status order field ``cxsrec__Order__c`` and the master-detail cascade of
candidate deletion follow the package's naming pattern, not a document; no payload was recorded.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.connexys.actions import ACTIONS
from atsbridge.connectors.connexys.api import API, INSTANCE
from atsbridge.connectors.connexys.mappers import OUTCOMES
from atsbridge.connectors.connexys.streams import DELETIONS, STREAMS

_NO_TAGS = "the Connexys package has no documented tag object"
CONNECTOR = kit.declare(
    tool="connexys",
    label="Connexys by Bullhorn",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    probe=kit.Probe(
        "/query",
        {"q": "SELECT Id FROM cxsrec__cxsPosition__c LIMIT 1"},
        refused="this consumer key and secret (or the Connected App's client credentials flow is off)",
        forbidden="Salesforce refused the query (403): give the run-as user the Connexys objects and API access",
    ),
    connect=kit.ConnectForm(
        instructions="In Salesforce Setup create an integration user (Salesforce Platform license) and a "
        "Connected App with the client credentials flow run as that user; paste its consumer key and secret.",
        guide_url="https://help.salesforce.com/s/articleView?id=sf.connected_app_client_credentials_setup.htm",
        extra=(INSTANCE,),
    ),
    download=kit.Download("/sobjects/ContentVersion/{id}/VersionData", id_pattern=r"^068[A-Za-z0-9]{12,15}$"),
    unavailable={
        "offers": "Connexys has no documented offer object (placements are hires and drive the outcome)",
        "scorecards": "the Connexys package documents no evaluation object",
        "tags": _NO_TAGS,
        "add_candidate_tag": _NO_TAGS,
        "remove_candidate_tag": _NO_TAGS,
        "add_application_attachment": "Connexys keeps files on the candidate: use add_candidate_attachment",
        "roles": "Salesforce profiles are not recruiting roles",
    },
)
