"""Connecting Lever: an API key (Basic auth), checked by listing one user."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe
from atsbridge.connectors.lever.api import BASE_URL, make_client

HOW = Explain(
    label="Lever",
    refused="this API key",
    forbidden="Lever accepted the API key but denied access (403): give the key read access to users",
)


async def verify(info: IntegrationInfo) -> None:
    await probe(make_client(info), "/users", HOW, params={"limit": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("api_key", "API key", kind="secret", help="Settings > Integrations and API > API credentials."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder=BASE_URL),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://hire.lever.co/developer/documentation#authentication",
    instructions="Generate a Lever API key with read and write access for atsbridge.",
)
