"""Connecting SmartRecruiters: an API token (``X-SmartToken``), checked by listing one job."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe
from atsbridge.connectors.smartrecruiters.api import BASE_URL, client

HOW = Explain(label="SmartRecruiters", refused="this API token",
              forbidden="SmartRecruiters accepted the token but denied access (403): give it the jobs and "
                        "candidates read scopes")  # fmt: skip


async def verify(info: IntegrationInfo) -> None:
    await probe(client(info), "/jobs", HOW, params={"limit": 1})


CONNECT = ConnectSpec(
    fields=(
        FormField("token", "API token", kind="secret", help="Settings > Admin > Apps and integrations > API."),
        FormField("company_identifier", "Company identifier", target="config", required=False, placeholder="AcmeInc",
                  help="Optional: your career-site identifier, to read public job postings."),
        FormField("base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                  placeholder=BASE_URL),
    ),  # fmt: skip
    verify=verify,
    guide_url="https://developers.smartrecruiters.com/docs/partner-api-access",
    instructions="Create a SmartRecruiters API token with read access to jobs and candidates.",
)
