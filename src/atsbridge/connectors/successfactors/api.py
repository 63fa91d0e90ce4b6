"""SAP SuccessFactors' OData v2 API, declared once: the SAML bearer grant (Basic as a legacy fallback),
``d.__next`` server-side paging, OData error bodies, a polite pace."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

BASE_URL = "https://{api_server}/odata/v2"
#: The assertion's issuer and audience SuccessFactors expects [conn Nango].
AUDIENCE = "www.successfactors.com"

API_SERVER = FormField("api_server", "API server host", target="config", placeholder="api4.successfactors.com",
                       help="Your data centre's API host (SAP KBA 2215682), without https:// or a path.")  # fmt: skip
COMPANY_ID = kit.Text("company_id", "Company ID", help="Shown under your profile > Show version information.")
CLIENT_ID = kit.Text(
    "client_id",
    "API key (OAuth client)",
    help="Admin Center > Manage OAuth2 Client Applications: the registered client's API key.",
)
USER_ID = kit.Text("user_id", "API user ID",
                   help="The user the integration acts as; it needs the Recruiting OData permissions.")  # fmt: skip
PRIVATE_KEY = FormField("private_key", "Private key (PEM)", kind="secret", required=False,
                        help="The private key of the X.509 certificate registered with the OAuth client.")  # fmt: skip
PASSWORD = FormField("password", "Password (legacy Basic auth)", kind="secret", required=False,
                     help="Only for tenants still allowing Basic auth (user@companyId), which SAP is retiring: "
                     "leave empty when a private key is given.")  # fmt: skip

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.SamlBearer(
        "/oauth/token",
        form=(("company_id", COMPANY_ID), ("client_id", CLIENT_ID)),
        user=USER_ID,
        private_key=PRIVATE_KEY,
        audience=AUDIENCE,
        fallback=PASSWORD,
        user_template="{user_id}@{company_id}",
    ),
    pager=kit.odata.ODataNext(page_size=500),
    records_path=kit.odata.RESULTS,
    # SAP announced, then postponed, a limit (KBA 3159263) and asks integrations to poll gently (KBA 2735876):
    # a budget of 4 requests per second, a 429/503 waits its Retry-After (the kit's backoff).
    rate=kit.RatePolicy(4, 1.0, concurrency=2),
    errors=kit.odata.ODataErrors(),
    timeout_seconds=60.0,
    # without it every answer carries "successfactors-sourcetype is missing" [rec]
    headers=(("Accept", "application/json"), ("successfactors-sourcetype", "atsbridge")),
    passthrough="odata-v2",
)

#: tag id -> label, from the candidates listed in this run (``tags`` is a navigation of ``Candidate``).
TAGS: kit.Lookup[str] = kit.Lookup("tags")
#: status set id -> its statuses (``JobApplicationStatus`` rows), in listing order.
STATUS_SETS: kit.Lookup[list[dict[str, object]]] = kit.Lookup("status_sets")
