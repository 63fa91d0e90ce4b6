"""Connecting Teamtailor: an API key and the stack it lives on (EU or North America), checked by listing
one user. A key on the wrong stack answers 401 like a bad key, so the message names both."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe

HOW = Explain(
    label="Teamtailor",
    refused="this API key for the selected region (check both)",
    forbidden="Teamtailor accepted the API key but denied access (403): use an Admin key with read access",
)


async def verify(info: IntegrationInfo) -> None:
    from atsbridge.connectors.teamtailor import _client  # the connector module imports this one

    await probe(_client(info), "/users", HOW, params={"page[size]": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("api_key", "API key", kind="secret", help="Settings > Integrations > API keys (Admin, read+write)."),
        FormField("region", "Region", kind="select", target="config", default="eu",
                  options=(("eu", "Europe (api.teamtailor.com)"), ("na", "North America (api.na.teamtailor.com)"))),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://api.teamtailor.com/v1"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://docs.teamtailor.com/#authentication",
    instructions="Create a Teamtailor API key and choose the region your account is hosted in.",
)
