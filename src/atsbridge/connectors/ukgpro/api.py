"""UKG Pro Recruiting's REST API (v2), declared once: the tenant's recruiting host and alias in the base URL,
OAuth2 client credentials at the tenant's identity server, bare-array pages with ``Link: rel="next"``
(``after=<uuid>``) cursors, and the lookups the streams share (reference §5)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]

#: ``{recruiting_host}`` (``service2.ultipro.com``, ``service3.ultipro.ca`` [conn]) and ``{tenant_alias}``:
#: both issued by UKG out of band; Connect form fields (config).
BASE_URL = "https://{recruiting_host}/talent/recruiting/v2/{tenant_alias}/api"
#: ``{identity_server}``: ``signin.ultipro.com`` or ``signin.ukg.net`` [conn]; ``config.token_url`` overrides.
TOKEN_URL = "https://{identity_server}/signin/oauth2/t/{tenant_alias}/access_token"


API = kit.VendorApi(
    base_url=BASE_URL,
    # the token URL names the identity server and tenant alias: filled from config like the base URL
    auth=kit.OAuthClientCredentials(
        TOKEN_URL,
        kit.Text("client_id", "Client ID", help="the identity client UKG registered for this integration."),
        kit.Secret("client_secret", "Client secret", help="the client secret UKG issued with the client ID."),
    ),
    # a bare JSON array; ``Link: <...?after=<uuid>>; rel="next"`` until absent [conn]. The next URL carries
    # the filters and page size itself, so it is followed as is.
    pager=kit.LinkHeader(size_param="per_page", page_size=100, cursor_only=True),
    records_path=None,
    # not published [doc]: a modest pace; a 429 honours Retry-After
    rate=kit.RatePolicy(10, 1.0, concurrency=4),
    errors=kit.ErrorShape(),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="recruting",  # sic: the contract's passthrough key is ``ukgpro/recruting``
)

#: Applications listed in this run -> ``{id, candidate_id}``: the parents of the documents fan-out.
APPLICATIONS: kit.Lookup[Raw] = kit.Lookup("applications")
#: Candidates named by the applications listed in this run -> ``{}``: each is read by id.
CANDIDATES: kit.Lookup[Raw] = kit.Lookup("candidates")


def candidate_id(raw: Raw) -> str | None:
    cand = raw.get("candidate")
    cid = cand.get("id") if isinstance(cand, dict) else None
    return str(cid) if cid else None


def application_context(raw: Raw) -> Raw:
    return {"id": raw["id"], "candidate_id": candidate_id(raw)}


def publish_candidate(table: dict[str, Raw], raw: Raw) -> None:
    cid = candidate_id(raw)
    if cid:
        table[cid] = {}
