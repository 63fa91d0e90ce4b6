"""Connecting Workable: the account subdomain plus an access token, checked by listing one member."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe


async def verify(info: IntegrationInfo) -> None:
    from atsbridge.connectors.workable import _client  # the connector module imports this one

    subdomain = str(info.config.get("subdomain") or "")
    how = Explain(
        label="Workable",
        refused="this access token",
        forbidden="Workable accepted the token but denied access (403): give it the r_jobs and r_candidates scopes",
        not_found=f"No Workable account at subdomain '{subdomain}'",
    )
    await probe(_client(info), "/members", how, params={"limit": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("subdomain", "Account subdomain", target="config", placeholder="acme",
                  help="The part before .workable.com in your Workable address."),
        FormField("token", "Access token", kind="secret", help="Settings > Integrations > Apps > Generate API token."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://acme.workable.com/spi/v3"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://workable.readme.io/reference/generate-an-access-token",
    instructions="Generate a Workable API access token and enter it with your account's subdomain.",
)
