"""``kit.OAuthSession``: an OAuth access token exchanged for a session whose login answer names the base URL of
later calls (against a scripted vendor: redirects, rotation, expiry, the login variant, untrusted answers)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError

CLIENT = (kit.Text("client_id", "Client ID"), kit.Secret("client_secret", "Client secret"))
REFRESH = kit.OAuthSession(
    "https://auth.test/oauth",
    "login",
    *CLIENT,
    refresh_token=kit.Secret("refresh", "R"),
    login_params=(("version", "*"),),
    session_path="token",
    base_url_path="restUrl",
    header="X-Session",
)
LOGIN = kit.OAuthSession(
    "https://auth.test/oauth",
    "login",
    *CLIENT,
    username=kit.Text("username", "U"),
    password=kit.Secret("password", "P"),
    authorize_params=(("action", "Login"),),
    login_params=(("version", "*"),),
    session_path="token",
    base_url_path="restUrl",
    header="X-Session",
)
CONFIG = {"base_url": "https://api.test/rest"}


class Vendor:
    """A scripted vendor: the token host redirects to its data centre; sessions die on demand."""

    def __init__(self, rest: str = "https://dc7.test/rest/corp/") -> None:
        self.rest, self.seen, self.refresh, self.sessions, self.password = rest, [], "r0", 0, "pw"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        q, url = dict(request.url.params), request.url
        self.seen.append(f"{request.method} {url.host}{url.path}")
        if url.host == "auth.test":  # not this data centre
            return httpx.Response(307, headers={"Location": f"https://auth-dc7.test{url.path}?{url.query.decode()}"})
        if url.path == "/oauth/authorize":
            if q.get("password") != self.password or q.get("action") != "Login":
                return httpx.Response(200, text="<form>login</form>")
            return httpx.Response(302, headers={"Location": "https://cb.test/?code=c1"})
        if url.path == "/oauth/token":
            if q["grant_type"] == "refresh_token" and q["refresh_token"] != self.refresh:
                return httpx.Response(400, json={"error": "invalid_grant"})
            self.refresh = f"r{int(self.refresh[1:]) + 1}"
            return httpx.Response(200, json={"access_token": "a", "refresh_token": self.refresh})
        if url.path == "/rest/login":
            assert q == {"access_token": "a", "version": "*"}
            self.sessions += 1
            return httpx.Response(200, json={"token": f"s{self.sessions}", "restUrl": self.rest})
        ok = url.host == "dc7.test" and request.headers["X-Session"] == f"s{self.sessions}"
        return httpx.Response(200 if ok else 401, json={"path": url.path})


def run(vendor: Vendor, decl: kit.OAuthSession, creds: dict[str, Any], iid: str, saved: list[Any]) -> Any:
    async def save(found: dict[str, Any]) -> None:
        saved.append(found)

    async def go() -> Any:
        info = IntegrationInfo(iid, "x", CONFIG, creds, None, save)
        client = kit.VendorApi(base_url=CONFIG["base_url"], auth=decl).client(info, httpx.MockTransport(vendor))
        try:
            first = (await client.request("GET", "/query/X", params={"a": "1"})).json()
            vendor.sessions += 1  # the session dies: one new token and login, then the request again
            return first, (await client.request("GET", "/ping")).json()
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_refresh_grant_login_base_url_redirects_and_rotation() -> None:
    vendor, saved = Vendor(), []
    first, second = run(vendor, REFRESH, {"client_id": "c", "client_secret": "s", "refresh": "r0"}, "i1", saved)
    assert first == {"path": "/rest/corp/query/X"} and second == {"path": "/rest/corp/ping"}
    assert vendor.seen[:4] == [
        "POST auth.test/oauth/token",
        "POST auth-dc7.test/oauth/token",
        "GET api.test/rest/login",
        "GET dc7.test/rest/corp/query/X",
    ]
    assert [s["refresh"] for s in saved] == ["r1", "r2"] and saved[0]["client_id"] == "c"
    with pytest.raises(RemoteError, match=r"refused the OAuth client or refresh token \(400\)") as caught:
        run(vendor, REFRESH, {"client_id": "c", "client_secret": "s", "refresh": "r0"}, "i2", [])  # used up
    assert caught.value.code == "INTEGRATION.AUTHENTICATION_INVALID"
    # another source of i1 still holding a used token takes the successor this process was given
    assert run(vendor, REFRESH, {"client_id": "c", "client_secret": "s", "refresh": "r1"}, "i1", [])[0]


def test_login_variant_and_untrusted_answers() -> None:
    vendor = Vendor()
    creds = {"client_id": "c", "client_secret": "s", "username": "u", "password": "pw"}
    assert run(vendor, LOGIN, creds, "i3", [])[1] == {"path": "/rest/corp/ping"}
    assert "GET auth-dc7.test/oauth/authorize" in vendor.seen
    with pytest.raises(RemoteError, match=r"client ID, user name or password \(401\)"):
        run(vendor, LOGIN, {**creds, "password": "bad"}, "i3", [])
    with pytest.raises(RemoteError, match="no usable session or base URL"):
        run(Vendor(rest="http://elsewhere.test/rest/"), LOGIN, creds, "i4", [])
    with pytest.raises(ValueError, match="needs a refresh_token field"):
        kit.OAuthSession("https://auth.test", "login", *CLIENT).build(
            IntegrationInfo("i", "x", {}, {}), "https://a", None
        )
