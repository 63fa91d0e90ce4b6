"""Connecting Ashby: an API key (Basic auth), checked by listing one job."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe

HOW = Explain(label="Ashby", refused="this API key", refused_when=("invalid_api_key",),
              forbidden="Ashby accepted the API key but denied access (403): enable the Jobs and Candidates read "
                        "permissions of the key")  # fmt: skip


async def verify(info: IntegrationInfo) -> None:
    from atsbridge.connectors.ashby import _client  # the connector module imports this one

    await probe(_client(info), "/job.list", HOW, method="POST", json={"limit": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("api_key", "API key", kind="secret", help="Admin > Integrations > API Keys."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder="https://api.ashbyhq.com"),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://developers.ashbyhq.com/reference/authentication",
    instructions="Create an Ashby API key with read access to jobs, candidates and applications.",
)
