"""The Harvest v3 client of one integration, and the source the sync engine and write actions share.

v3 knows the acting user only through the OAuth token: ``sub`` in the client-credentials request names a
Greenhouse user (empty: the integration's service account). v1's ``On-Behalf-Of`` header, which Kombo
exposes as ``remote_fields.greenhouse.post_headers["On-Behalf-Of"]``, therefore becomes a second token
with that ``sub``: :meth:`GreenhouseSource.acting_as`.
"""

from __future__ import annotations

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource

BASE_URL = "https://harvest.greenhouse.io/v3"
TOKEN_URL = "https://auth.greenhouse.io/token"
#: Seconds per vendor request; ``config["timeout_seconds"]`` overrides it (tests use a short one).
TIMEOUT = 30.0


def default_sub(info: IntegrationInfo) -> str | None:
    value = info.config.get("sub")
    return str(value) if value else None


def make_client(info: IntegrationInfo, sub: str | None = None) -> HttpClient:
    """Never raises on bad config: missing credentials surface as the token endpoint's 401 in the run."""
    cfg, creds = info.config, info.credentials
    acting = sub or default_sub(info)
    auth = OAuth2(
        token_url=cfg.get("token_url", TOKEN_URL),
        client_id=str(creds.get("client_id", "")),
        client_secret=str(creds.get("client_secret", "")),
        extra={"sub": acting} if acting else {},  # acting user; empty = service account
    )
    return HttpClient(
        base_url=cfg.get("base_url", BASE_URL),
        auth=auth,
        rate_limit=RateLimit(50, 10.0),
        timeout=float(cfg.get("timeout_seconds") or TIMEOUT),
    )


class GreenhouseSource(HttpSource):
    """An :class:`HttpSource` that remembers its integration, so a write can act as another user."""

    def __init__(self, info: IntegrationInfo, client: HttpClient | None = None):
        super().__init__(client or make_client(info))
        self.info = info
        self._acting: dict[str, GreenhouseSource] = {}

    def acting_as(self, user: str | None) -> GreenhouseSource:
        """This source, or one whose token names ``user`` as the acting user (closed with this one)."""
        if not user or user == default_sub(self.info):
            return self
        if user not in self._acting:
            self._acting[user] = GreenhouseSource(self.info, make_client(self.info, user))
        return self._acting[user]

    async def aclose(self) -> None:
        for other in self._acting.values():
            await other.aclose()
        await super().aclose()
