"""Connecting BambooHR: the company domain and an API key, checked by reading the applicant statuses
(which also proves the key may use the applicant-tracking API)."""

from __future__ import annotations

from atsbridge.connectors.bamboohr.api import client
from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe


async def verify(info: IntegrationInfo) -> None:
    domain = str(info.config.get("company_domain") or "")
    how = Explain(
        label="BambooHR",
        refused=f"this API key for company domain '{domain}'",
        forbidden="BambooHR accepted the API key but denied access to applicant tracking (403): use a key of a "
        "user with hiring access",
        not_found=f"No BambooHR company at domain '{domain}'",
    )
    await probe(client(info), "/applicant_tracking/statuses", how)


CONNECT = ConnectSpec(
    fields=(
        FormField("company_domain", "Company domain", target="config", placeholder="acme",
                  help="The part before .bamboohr.com in your BambooHR address."),
        FormField("api_key", "API key", kind="secret", help="Your profile menu > API Keys."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://api.bamboohr.com/api/gateway.php/acme/v1"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://documentation.bamboohr.com/docs/getting-started",
    instructions="Create a BambooHR API key for a user with access to hiring, and enter your company domain.",
)
