"""``kit.SamlBearer``: the token request (form, grant, a signed assertion for the API user, recipient = the token
URL on the API host), token reuse, refusals as 401, and the legacy Basic fallback."""

from __future__ import annotations

import asyncio
import base64
from urllib.parse import parse_qs

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.fakes.kit.saml import check_assertion
from atsbridge.fakes.successfactors import conformance_setup
from atsbridge.fakes.successfactors.state import tenant_key

FORM = (("company_id", kit.Text("company", "C")), ("client_id", kit.Text("cid", "K")))
AUTH = kit.SamlBearer("/oauth/token", form=FORM,
                      user=kit.Text("user", "U"), private_key=kit.Secret("key", "P"), audience="aud",
                      fallback=kit.Secret("password", "W"), user_template="{user}@{company}")  # fmt: skip
PEM = conformance_setup("http://x")[1]["private_key"]


def _info(**creds: str) -> IntegrationInfo:
    return IntegrationInfo("i", "t", {}, {"company": "ACME", "cid": "k1", "user": "api", **creds})


def test_token_request_carries_a_signed_assertion_and_is_reused() -> None:
    seen: list[dict[str, list[str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            form = parse_qs(request.content.decode())
            seen.append(form)
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        assert request.headers["authorization"] == "Bearer tok"
        return httpx.Response(200, json={"d": {"results": []}})

    transport = httpx.MockTransport(handler)
    auth = AUTH.build(_info(key=PEM), "https://api4.example/odata/v2", transport)

    async def go() -> None:
        client = HttpClient(base_url="https://api4.example/odata/v2", auth=auth, transport=transport)
        try:
            await client.request("GET", "/JobApplication")
            await client.request("GET", "/Candidate")
        finally:
            await client.aclose()

    asyncio.run(go())
    assert len(seen) == 1
    form = seen[0]
    assert (form["company_id"], form["client_id"]) == (["ACME"], ["k1"])
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:saml2-bearer"]
    recipient = "https://api4.example/oauth/token"
    assert (
        check_assertion(form["assertion"][0], tenant_key().public_key(), audience="aud", recipient=recipient) == "api"
    )


def test_refusals_and_the_legacy_fallback() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(401, json={"errorMessage": "Invalid SAML assertion"}))

    async def go(auth: httpx.Auth) -> None:
        client = HttpClient(base_url="https://h/odata/v2", auth=auth, transport=transport)
        try:
            await client.request("GET", "/Candidate")
        finally:
            await client.aclose()

    with pytest.raises(RemoteError) as info:
        asyncio.run(go(AUTH.build(_info(key=PEM), "https://h/odata/v2", transport)))
    assert info.value.status == 401 and "Invalid SAML assertion" in info.value.message
    basic = AUTH.build(_info(key="", password="pw"), "https://h/odata/v2", None)
    assert isinstance(basic, httpx.BasicAuth)
    sent = next(basic.auth_flow(httpx.Request("GET", "https://h/odata/v2/Candidate")))
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(b"api@ACME:pw").decode()
    assert [f.key for f in AUTH.fields] == ["company", "cid", "user", "key", "password"]
