"""Carerix's two APIs, declared once: GraphQL reads (Keycloak client credentials) and REST/XML writes (Basic).

* Reads: ``POST https://api.carerix.io/graphql/v1/graphql`` with a bearer token from the tenant's own Keycloak
  realm, ``https://id-sN.carerix.io/auth/realms/{realm}/protocol/openid-connect/token`` (host and realm differ
  per customer, so both are asked on the Connect form and fill the token URL) [conn]. The rich ``cr*`` schema
  needs the scope ``urn:cx/cx5Wrapper:data:manage`` [conn].
* Writes: the legacy REST API ``https://api.carerix.com/{Entity}`` with XML bodies and HTTP Basic (the customer
  name and an API token, as Carerix's own REST client logs in [conn]). GraphQL mutations are unconfirmed.
* No rate limit is documented [gap]: 10 requests a second, 4 in flight; a 429 backs off.
"""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.api import fill_base_url

Raw = dict[str, Any]
GRAPHQL = "/graphql"
REST_URL = "https://api.carerix.com"
TOKEN_URL = "https://{identity_host}.carerix.io/auth/realms/{realm}/protocol/openid-connect/token"
SCOPE = "urn:cx/cx5Wrapper:data:manage"


@dataclasses.dataclass(frozen=True)
class RealmClientCredentials(kit.OAuthClientCredentials):
    """Client credentials against the tenant's realm: the token URL is filled from the integration's
    ``identity_host`` and ``realm`` (slug-checked like a base URL; ``config["token_url"]`` still wins)."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        filled = dataclasses.replace(self, token_url=fill_base_url(self.token_url, info.config))
        return kit.OAuthClientCredentials.build(filled, info, base_url, transport)


API = kit.VendorApi(
    base_url="https://api.carerix.io/graphql/v1",
    auth=RealmClientCredentials(
        TOKEN_URL,
        kit.Text("client_id", "Client ID", help="Carerix > Settings > API clients: the id ending in .apps.carerix.io"),
        kit.Secret("client_secret", "Client secret", help="Shown once when the API client is created."),
        scope=SCOPE,
    ),
    errors=kit.graphql.ERRORS,
    rate=kit.RatePolicy(10, 1.0, concurrency=4),  # undocumented [gap]
    timeout_seconds=60.0,
    passthrough="graphql",
)

#: The Connect form besides the GraphQL client: the realm's host and name, and the REST login for writes.
FORM = (
    FormField("identity_host", "Identity server", target="config", placeholder="id-s2",
              help="The host of your Carerix login server, e.g. id-s2 in https://id-s2.carerix.io"),
    FormField("realm", "Realm", target="config", placeholder="acme",
              help="Your Carerix realm (the name in .../auth/realms/<realm>/...)"),
    FormField("rest_user", "REST API customer name", target="credentials", required=False,
              help="For writes: the customer (application) name of the Carerix REST API"),
    FormField("rest_token", "REST API token", kind="secret", target="credentials", required=False,
              help="For writes: the REST API token (Carerix > Settings > REST API)"),
    FormField("rest_url", "REST API base URL", kind="url", target="config", required=False, advanced=True,
              placeholder=REST_URL),
)  # fmt: skip
REST_AUTH = kit.Basic(FORM[2], FORM[3])


def rest(source: kit.KitSource) -> HttpClient:
    """The REST/XML client (writes), made once per source and closed with it."""
    info = source.info
    if info is None:  # writes always run with the integration's info
        raise RuntimeError("Carerix writes need the integration's config and credentials")
    base = str(info.config.get("rest_url") or REST_URL)
    auth = REST_AUTH.build(info, base, None)
    headers = {"Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml"}
    return source.sibling("rest", lambda: HttpClient(base_url=base, auth=auth, headers=headers,
                                                     timeout=source.client.timeout)).client  # fmt: skip


def ref(value: Any) -> str | None:
    """``toEmployee{_id}`` -> the id (None when the relation is empty)."""
    rid = value.get("_id") if isinstance(value, dict) else None
    return str(rid) if rid not in (None, "") else None


#: What each GraphQL page query selects (``_id`` and the two dates are added): the streams list with it, and
#: the writes re-read a written record with it, so write-through maps the same fields as a sync.
SELECTIONS = {
    "crUserPage": "userID firstName lastName emailAddress isActive",
    "crDataNodePage": "dataNodeID value code type isActive",
    "crVacancyPage": "vacancyID jobTitle introduction workLocation hoursPerWeek minSalary maxSalary isClosed "
    "toContractTypeNode { _id value } toStatusNode { _id value } toOwner { _id }",
    "crEmployeePage": "employeeID firstName lastName emailAddress mobileNumber homeCity toSourceNode { _id value }",
    "crMatchPage": "matchID toEmployee { _id } toVacancy { _id } toPublication { _id } toStatusNode { _id value } "
    "statusInfo { value code displayName } additionalInfo",
    "crNotePage": "subject notes toMatch { _id } toEmployee { _id } toUser { _id }",
    "crAttachmentPage": "label fileName filePath contentType toEmployee { _id } toMatch { _id } "
    "toTypeNode { _id value }",
}


def selection(field: str) -> str:
    return f"_id {SELECTIONS[field]} creationDate modificationDate"


_FILE = "query File($_id: ID!) { crAttachment(_id: $_id) { _id fileName contentType content } }"


async def download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """An attachment's bytes: ``crAttachment(_id){content}`` is base64 inside the GraphQL answer [conn]."""
    if not remote_id.isdigit():  # client input: never sent unless it is a Carerix id
        return None
    client = API.client(info)
    try:
        data = await kit.graphql.execute(client, GRAPHQL, _FILE, {"_id": remote_id})
    finally:
        await client.aclose()
    found = data.get("crAttachment")
    if not isinstance(found, dict) or not isinstance(found.get("content"), str):
        return None
    try:
        content = base64.b64decode(found["content"], validate=True)
    except ValueError:
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", "Carerix sent a file that is not base64", retryable=True
        ) from None
    kind = str(found.get("contentType") or "application/octet-stream")
    return content, str(found.get("fileName") or remote_id), kind
