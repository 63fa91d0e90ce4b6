"""Zoho Recruit: the REST v2 API (``https://recruit.zoho.{region}/recruit/v2``) on the customer's data centre.

What the API imposes, and where it is encoded:

* **Data centre**: ``com``, ``eu``, ``in``, ``com.au``, ``jp`` or ``com.cn`` (the Connect form's ``region``
  select): it fills the API host and the Zoho Accounts host the tokens come from; a token of one data centre
  is refused by the others [doc].
* **Auth**: OAuth2 refresh-token grant at ``accounts.zoho.{region}/oauth/v2/token`` (client id and secret of
  the customer's Zoho API console, the refresh token of an ``access_type=offline`` consent), header
  ``Authorization: Zoho-oauthtoken <token>`` [doc]; access tokens last about an hour [3p]; refresh tokens do
  not rotate. Zoho Accounts refuses a bad refresh token with HTTP 200 ``{"error": "invalid_code"}``: read as
  the 401 it means (``api.ZohoToken``).
* **Paging**: ``page`` + ``per_page`` (200, the maximum) while ``info.more_records`` [doc]; listings are sorted
  by ``Created_Time`` ascending so edits and inserts during a listing never shift unread rows.
* **Limits**: API credits per rolling 24 hours by edition (5,000 to 1,000,000; most calls 1 credit, the
  deleted-records call 2) plus a per-org concurrency cap [doc]. A daily credit budget cannot be paced per
  second: the connector spends few credits instead (200-row pages, ``If-Modified-Since`` deltas that cost one
  credit per module when nothing changed, no per-row calls) and paces at 2 requests/s with 2 in flight
  (``requests_per_second`` overrides it). When the credits run out Zoho answers 429 and the sync fails after
  its backoff, to be retried by the scheduler [3p: the exact answer of an exhausted budget is unverified].
* **Incremental**: the ``If-Modified-Since`` request header (ISO 8601) on the module listings [doc on the
  deleted-records call; 3p on Get Records]; ``api.ZohoTransport`` moves the kit's ``Since`` into that header and
  reads Zoho's bodiless 204/304 as empty pages. Users, tags and the status picklist are listed in full.
* **Deletions**: ``GET /{Candidates,Applications,Job_Openings}/deleted?type=all`` (with ``If-Modified-Since``
  on deltas) as deletion feeds [doc]; full syncs also find deletions by listing.
* **Models**: users (``/users?type=AllUsers``), tags (``/settings/tags?module=Candidates``), jobs
  (``Job_Openings``), candidates (``Candidates``), applications (the ``Applications`` module of current orgs)
  and application stages: Recruit has no per-job pipelines; its org-wide, customer-defined status picklist
  (``Application_Status`` in ``/settings/fields?module=Applications``) is the pipeline.
* **Outcome**: by status name, ``mappers.OUTCOMES`` (Zoho's stock ``Hired``/``Offer-Accepted`` → HIRED,
  ``Rejected``/``Offer-Declined``/... → DECLINED [3p]); statuses are customer-defined, so each integration's
  ``status_map`` maps its own. Rejection reasons are the DECLINED statuses (reject = set that status).

Unavailable, and why: notes and attachments are related lists read per record (``/Candidates/{id}/Notes``,
``.../Attachments``): one credit per candidate per sync would exhaust a small edition's daily credits, so they
are not synced (notes can be written). Interviews and offers are listable modules whose fields are unverified
[3p]: left out of this version. Scorecards (the Reviews module is unverified), screening questions (no API for
application forms), and orgs without the Applications module (associations only under job openings) are not
supported. ``approved=true`` is Zoho's default, so records awaiting approval are not listed [doc].
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.zohorecruit import mappers as m
from atsbridge.connectors.zohorecruit.actions import ACTIONS
from atsbridge.connectors.zohorecruit.api import API, REGIONS
from atsbridge.connectors.zohorecruit.streams import DELETIONS, STREAMS

REGION = FormField("region", "Data centre", kind="select", target="config", options=REGIONS, default="com",
                   help="Where your Zoho account lives: the domain you sign in at (zoho.com, zoho.eu, ...).")

CONNECTOR = kit.declare(
    tool="zohorecruit",
    label="Zoho Recruit",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    probe=kit.Probe(
        "/users",
        {"type": "CurrentUser"},
        refused="this client and refresh token (check the data centre too)",
        forbidden="Zoho Recruit accepted the token but denied access (403): grant ZohoRecruit.modules.all "
        "and ZohoRecruit.users.READ",
    ),
    connect=kit.ConnectForm(
        instructions="Create a server-based client in the Zoho API Console of your data centre, authorize it "
        "with access_type=offline for ZohoRecruit.modules.all and ZohoRecruit.users.READ, and paste the "
        "client id, secret and refresh token.",
        guide_url="https://www.zoho.com/recruit/developer-guide/apiv2/oauth-overview.html",
        extra=(REGION,),
    ),
)
