"""Connecting Recruitee: the company id (or subdomain) and a personal API token, checked by listing admins."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe


async def verify(info: IntegrationInfo) -> None:
    from atsbridge.connectors.recruitee import _client  # the connector module imports this one

    company = str(info.config.get("company_id") or "")
    how = Explain(
        label="Recruitee",
        refused=f"this API token for company '{company}'",
        forbidden=f"Recruitee accepted the token but denied access to company '{company}' (403)",
        not_found=f"No Recruitee company '{company}': check the company id",
    )
    await probe(_client(info), "/admins", how)


CONNECT = ConnectSpec(
    fields=(
        FormField("company_id", "Company ID", target="config", placeholder="89564",
                  help="The numeric id or subdomain shown in Settings > Apps and plugins > Personal API tokens."),
        FormField("token", "Personal API token", kind="secret"),
        FormField("base_url", "API host", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://api.recruitee.com"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://docs.recruitee.com/reference/getting-started",
    instructions="Create a personal API token in Recruitee and enter it with your company id.",
)
