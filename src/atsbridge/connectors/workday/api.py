"""Workday's Web Services, declared once: the tenant's host and name in config, an ISU's WS-Security
``UsernameToken`` (or an OAuth API client's refresh token), SOAP faults classified by the kit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

VERSION = "v45.2"  # the version of the samples the shapes follow; config ``base_url`` may point elsewhere
RECRUITING = f"/Recruiting/{VERSION}"
HUMAN_RESOURCES = f"/Human_Resources/{VERSION}"
BSVC = "urn:com.workday/bsvc"
B = kit.soap.Builder(BSVC, "bsvc")
TOKEN_URL = "https://{host}/ccx/oauth2/{tenant}/token"


def oauth_token_url(base_url: str) -> str:
    """``https://h/ccx/service/t`` -> ``https://h/ccx/oauth2/t/token`` [conn Nango]."""
    head, _, tenant = base_url.rstrip("/").rpartition("/ccx/service/")
    return f"{head}/ccx/oauth2/{tenant.split('/')[0]}/token"


AUTH = kit.soap.WsSecurity(
    kit.Text("isu_username", "Integration system user", help="The ISU's user name; @tenant is added."),
    kit.Secret("isu_password", "ISU password"),
    alternative=kit.RefreshToken(
        TOKEN_URL,
        kit.Text("client_id", "API client ID", help="Or: Register API Client for Integrations (instead of an ISU)."),
        kit.Secret("client_secret", "API client secret"),
        kit.Secret("refresh_token", "Refresh token", help="Maintain Refresh Tokens for Integrations."),
    ),
    token_url=oauth_token_url,
    username_template="{username}@{tenant}",
)

API = kit.VendorApi(
    base_url="https://{host}/ccx/service/{tenant}",
    auth=AUTH,
    # unpublished; about 10 calls/s per tenant is observed [3p]: half of it, one call in flight
    rate=kit.RatePolicy(5, 1.0, concurrency=1),
    errors=kit.soap.SoapErrors(),
    timeout_seconds=120.0,
    passthrough="soap",
)

HOST = FormField("host", "Workday host", target="config", placeholder="wd5-services1.myworkday.com",
                 help="The host of your tenant's Web Services endpoint (Public Web Services report).")  # fmt: skip
TENANT = FormField("tenant", "Tenant", target="config", placeholder="acme", help="The tenant name in its URLs.")


def wd_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


def response_filter(page: int, as_of: datetime, count: int = 100) -> ET.Element:
    """Page ``page`` of ``count`` as the data stood at ``as_of`` (pinned for every page of one listing)."""
    return B("Response_Filter", B("As_Of_Entry_DateTime", text=wd_time(as_of)), B("Page", text=str(page)),
             B("Count", text=str(count)))  # fmt: skip


def updated_between(since: datetime | None, until: datetime) -> ET.Element | None:
    """``Transaction_Log_Criteria_Data``: only records with a transaction in [since, until]."""
    if since is None:
        return None
    dates = B("Transaction_Date_Range_Data", B("Updated_From", text=wd_time(since)),
              B("Updated_Through", text=wd_time(until)))  # fmt: skip
    return B("Transaction_Log_Criteria_Data", dates)
