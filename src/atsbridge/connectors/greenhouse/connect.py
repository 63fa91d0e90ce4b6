"""Connecting Greenhouse: a Harvest v3 OAuth client (ID and secret), checked by listing one user."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.greenhouse.client import BASE_URL, TOKEN_URL, make_client
from atsbridge.connectors.http.probe import Explain, probe

HOW = Explain(
    label="Greenhouse",
    refused="this client ID and secret",
    forbidden="Greenhouse accepted the client but denied access (403): grant it the Harvest read permissions",
)


async def verify(info: IntegrationInfo) -> None:
    await probe(make_client(info), "/users", HOW, params={"per_page": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("client_id", "Client ID", help="Configure > Dev Center > API Credentials > Harvest v3 (OAuth)."),
        FormField("client_secret", "Client secret", kind="secret"),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder=BASE_URL),
        FormField("token_url", "Token URL", kind="url", target="config", required=False, advanced=True,
                  placeholder=TOKEN_URL),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://developers.greenhouse.io/harvest.html#authentication",
    instructions="Create Harvest v3 API credentials (OAuth client credentials) for atsbridge and paste them here.",
)
