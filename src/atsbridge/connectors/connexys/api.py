"""Connexys by Bullhorn = the ``cxsrec__`` managed package on Salesforce: Salesforce REST at the org's
My Domain host, OAuth2 client credentials of a Connected App, SOQL listings (``kit.soql``)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

VERSION = "v60.0"
INSTANCE = FormField("instance_host", "Salesforce instance host", target="config",
                     placeholder="acme.my.salesforce.com",
                     help="Your org's My Domain host (sandboxes: acme--uat.sandbox.my.salesforce.com), "
                     "without https:// or a path.")  # fmt: skip

API = kit.VendorApi(
    base_url=f"https://{{instance_host}}/services/data/{VERSION}",
    auth=kit.OAuthClientCredentials(
        "https://{instance_host}/services/oauth2/token",
        kit.Text("client_id", "Consumer key", help="Setup > App Manager > your Connected App > Consumer key."),
        kit.Secret("client_secret", "Consumer secret", help="Shown next to the consumer key."),
    ),
    pager=kit.soql.NextRecords(),
    records_path=kit.soql.RECORDS,
    # Salesforce limits requests per 24 h per org and concurrent long requests [3p], no per-second budget:
    # a polite 10/s with 4 in flight; REQUEST_LIMIT_EXCEEDED (403) backs off like a 429.
    rate=kit.RatePolicy(10, 1.0, concurrency=4),
    errors=kit.soql.SoqlErrors(),
    headers=(kit.soql.batch_size(2000), ("Accept", "application/json")),
    passthrough="api",
)

POSITION, CANDIDATE, APPLICATION = "cxsrec__cxsPosition__c", "cxsrec__cxsCandidate__c", "cxsrec__cxsJob_application__c"
#: The workflow status and placement object names are not published [gap]: the package's naming pattern.
WORKFLOW, PLACEMENT = "cxsrec__cxsWorkflow_status__c", "cxsrec__Placement__c"
#: "<candidate id>:<position id>" -> placement row, for the HIRED outcome.
PLACEMENTS: kit.Lookup[dict[str, Any]] = kit.Lookup("placements")


def placement_key(candidate: object, position: object) -> str:
    return f"{candidate}:{position}"


#: application id -> candidate id (every application, for the notes about them).
APPLICATION_CANDIDATES: kit.Lookup[Any] = kit.Lookup("application_candidates")
