"""``kit.JsonClientCredentials``: client credentials posted as a renamed JSON body under the API base (the token
URL follows a per-tenant host), renewed on a 401, refused credentials flagged; and the fake kit's counterpart."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.fakes.kit.auth import JsonClientCredentials

AUTH = kit.JsonClientCredentials(
    "/oauth2/token", kit.Text("client_id", "Client ID"), kit.Secret("client_secret", "Secret"), scope="a:read b:read"
)
API = kit.VendorApi(base_url="https://{corp}.vendor.test/api", auth=AUTH)


class Vendor:
    def __init__(self) -> None:
        self.tokens: list[dict[str, Any]] = []
        self.valid = "t1"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/oauth2/token":
            assert "authorization" not in request.headers and request.headers["content-type"] == "application/json"
            body = json.loads(request.content)
            self.tokens.append(body)
            if body.get("clientSecret") != "s3cret":
                return httpx.Response(401, json={"error": "invalid_client"})
            return httpx.Response(200, json={"access_token": self.valid, "expires_in": 3600, "token_type": "Bearer"})
        if request.headers.get("authorization") != f"Bearer {self.valid}":
            return httpx.Response(401, json={"error": "expired"})
        return httpx.Response(200, json={"data": [{"host": request.url.host}]})


def _get(vendor: Vendor, secret: str = "s3cret") -> Any:
    info = IntegrationInfo("i", "x", {"corp": "acme"}, {"client_id": "cid", "client_secret": secret})

    async def run() -> Any:
        client = API.client(info, httpx.MockTransport(vendor))
        try:
            first = (await client.request("GET", "/things")).json()
            vendor.valid = "t2"  # the token dies: one renewal, then the request again
            second = (await client.request("GET", "/things")).json()
            return first, second
        finally:
            await client.aclose()

    return asyncio.run(run())


def test_token_request_is_renamed_json_under_the_tenant_host_and_renewed_once_on_401() -> None:
    vendor = Vendor()
    first, second = _get(vendor)
    assert first == second == {"data": [{"host": "acme.vendor.test"}]}
    assert vendor.tokens[0] == {"clientId": "cid", "clientSecret": "s3cret", "grantType": "client_credentials",
                                "scope": "a:read b:read"}  # fmt: skip
    assert len(vendor.tokens) == 2
    assert [f.key for f in AUTH.fields] == ["client_id", "client_secret"]
    assert [f.key for f in AUTH.advanced_fields] == ["token_url"]


def test_refused_client_is_an_authentication_error() -> None:
    with pytest.raises(RemoteError) as info:
        _get(Vendor(), secret="wrong")
    assert info.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and info.value.status == 401


def test_the_fake_reads_json_only_and_grants_fixed_tokens() -> None:
    auth = JsonClientCredentials("id", "secret", path="/oauth2/token", ttl=60)
    auth.grant("probe")

    async def whoami(request: Request) -> JSONResponse:
        return JSONResponse({"ok": auth.check(request) is not None})

    app = Starlette(routes=[*auth.routes(), Route("/me", whoami)])
    c = TestClient(app)
    assert c.post("/oauth2/token", data={"grant_type": "client_credentials"}, auth=("id", "secret")).status_code == 400
    assert c.post("/oauth2/token", json={"clientId": "id", "clientSecret": "no", "grantType": "client_credentials"}
                  ).status_code == 401  # fmt: skip
    ok = c.post("/oauth2/token", json={"clientId": "id", "clientSecret": "secret", "grantType": "client_credentials",
                                       "scope": "x:read"}).json()  # fmt: skip
    assert ok["scope"] == "x:read" and 0 < ok["expires_in"] <= 60 and auth.scopes == ["x:read"]
    for token, known in ((ok["access_token"], True), ("probe", True), ("other", False)):
        assert c.get("/me", headers={"Authorization": f"Bearer {token}"}).json() == {"ok": known}
