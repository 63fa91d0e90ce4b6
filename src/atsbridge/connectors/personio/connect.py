"""Connecting Personio: API v2 client credentials (reads), plus the company id and Recruiting API token
that the one write (creating applications) needs; checked by listing one recruiting job, which also
proves the tenant has the recruiting module (404 without it)."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe

HOW = Explain(
    label="Personio",
    refused="this client ID and secret",
    forbidden="Personio accepted the credentials but denied access (403): enable the recruiting read scopes",
    not_found="Personio answered 404: the account does not seem to have the recruiting module",
)


async def verify(info: IntegrationInfo) -> None:
    from atsbridge.connectors.personio import _client  # the connector module imports this one

    await probe(_client(info), "/v2/recruiting/jobs", HOW, params={"limit": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("client_id", "Client ID", help="Settings > Integrations > API credentials (API v2)."),
        FormField("client_secret", "Client secret", kind="secret"),
        FormField("company_id", "Company ID", target="config", required=False,
                  help="Optional: needed to create applications (Recruiting API)."),
        FormField("recruiting_api_key", "Recruiting API token", kind="secret", required=False,
                  help="Optional: needed to create applications (Settings > Recruiting > API)."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://api.personio.de"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://developer.personio.de/docs/getting-started-with-the-personio-api",
    instructions="Create Personio API v2 credentials with the recruiting read scopes.",
)
