"""A login by ``GET`` with the credentials in the query string, answered with the bare token as the body
(JobDiva's ``/apiv2/authenticate?clientid=&username=&password=``), sent back as ``Bearer <token>``.

:class:`SessionLogin` POSTs JSON and reads the token from a JSON path; this is the same session (one shared
login, logged in again once on a 401) with the other request and answer shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.auth import _SessionAuth, credential

#: Longest answer taken as a token (an HTML error page is not one).
MAX_TOKEN = 8192


class _QueryLoginAuth(_SessionAuth):
    def __init__(
        self, login: QueryLogin, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None
    ):
        super().__init__(login, info, base_url, transport)  # type: ignore[arg-type]
        self.query_login = login

    async def _fetch(self) -> str:
        login = self.query_login
        params = {name: credential(self.info, f) for name, f in login.params.items()}
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            response = await client.get(self.url, params=params)
        text = response.text[:MAX_TOKEN].strip()
        refused = [m for m in login.refused_when if m.lower() in text.lower()]
        if response.status_code in (400, 401, 403) or (response.status_code >= 400 and refused):
            said = f": {refused[0]}" if refused else ""
            raise RemoteError(
                "INTEGRATION.AUTHENTICATION_INVALID",
                f"the ATS refused the login (HTTP {response.status_code}, taken as 401{said})",
                status=401,
            )
        if response.status_code >= 400:
            raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"login failed ({response.status_code})", retryable=True)
        token = text.strip('"')
        if not token or len(text) >= MAX_TOKEN or any(c.isspace() or c in "<{" for c in token):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the login answer is not a bare token")
        return token


@dataclass(frozen=True)
class QueryLogin:
    """``GET path?<name>=<field>...`` under the API base; the answer body is the token (quotes stripped). A
    400/401/403, or an error whose body names one of ``refused_when``, means the credentials were refused."""

    path: str
    params: dict[str, FormField]
    header: str = "Authorization"
    template: str = "Bearer {}"
    refused_when: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(self.params.values())

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _QueryLoginAuth(self, info, base_url, transport)
