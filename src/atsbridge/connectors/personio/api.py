"""Personio's v2 API, declared once: OAuth2 client credentials, ``_meta.links.next.href`` cursor paging."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.connectors.kit.auth import credential

BASE_URL = "https://api.personio.de"
RECRUITING = "/v2/recruiting"


@dataclass(frozen=True)
class FormClientCredentials(kit.OAuthClientCredentials):
    """Personio reads the client from the token request's *form* (``client_id``/``client_secret``), and its
    token URL lives on the API host, so a custom ``base_url`` moves it too (unless ``token_url`` is set)."""

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        client_id, secret = credential(info, self.client_id), credential(info, self.client_secret)
        return OAuth2(
            token_url=str(info.config.get("token_url") or f"{base_url.rstrip('/')}/v2/auth/token"),
            client_id=client_id,
            client_secret=secret,
            extra={"client_id": client_id, "client_secret": secret},
            transport=transport,
        )


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=FormClientCredentials(
        f"{BASE_URL}/v2/auth/token",
        kit.Text("client_id", "Client ID", help="Settings > Integrations > API credentials (API v2)."),
        kit.Secret("client_secret", "Client secret"),
    ),
    pager=kit.NextUrl(path="_meta.links.next.href", size_param="limit", page_size=200),
    records_path="_data",
    # v2 read limits are unpublished: a modest default pace, raised or lowered per integration
    rate=kit.RatePolicy(5, 1.0),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="recruitingV2",
)

#: category id -> its stages (a job's pipeline is its category's).
CATEGORIES: kit.Lookup[list[dict[str, object]]] = kit.Lookup("categories")
