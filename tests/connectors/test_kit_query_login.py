"""kit.QueryLogin: a GET login with the credentials in the query string, answered with the bare token."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError

LOGIN = kit.QueryLogin("/login", {"user": kit.Text("user", "User"), "pw": kit.Secret("pw", "Password")},
                       refused_when=("INVALID_CREDENTIALS",))  # fmt: skip
API = kit.VendorApi(base_url="https://vendor.test/api", auth=LOGIN)
INFO = IntegrationInfo("i", "t", {}, {"user": "u", "pw": "p"})


class Vendor:
    def __init__(self, login: httpx.Response | None = None) -> None:
        self.logins: list[httpx.QueryParams] = []
        self.valid = {"tok1"}
        self.login = login

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/login":
            self.logins.append(request.url.params)
            return self.login or httpx.Response(200, text=f'"tok{len(self.logins)}"')
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return httpx.Response(200, json={"ok": token}) if token in self.valid else httpx.Response(401, text="x")


def get(vendor: Vendor, times: int = 1) -> list[object]:
    async def go() -> list[object]:
        client = API.client(INFO, httpx.MockTransport(vendor))
        try:
            return [(await client.request("GET", "/x")).json() for _ in range(times)]
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_one_login_by_get_with_the_credentials_in_the_query_and_a_bare_token() -> None:
    vendor = Vendor()
    assert get(vendor, 2) == [{"ok": "tok1"}, {"ok": "tok1"}]
    assert [dict(p) for p in vendor.logins] == [{"user": "u", "pw": "p"}]
    assert [f.key for f in LOGIN.fields] == ["user", "pw"]


def test_an_expired_token_logs_in_again_once() -> None:
    vendor = Vendor()
    vendor.valid = {"tok2"}
    assert get(vendor) == [{"ok": "tok2"}] and len(vendor.logins) == 2


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(500, json={"status": 500, "message": "INVALID_CREDENTIALS"}), httpx.Response(401, text="no")],
)
def test_a_refused_login_is_bad_credentials(answer: httpx.Response) -> None:
    with pytest.raises(RemoteError) as exc:
        get(Vendor(answer))
    assert exc.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and exc.value.status == 401


def test_a_failing_or_odd_login_is_not_bad_credentials() -> None:
    with pytest.raises(RemoteError) as down:
        get(Vendor(httpx.Response(503, text="maintenance")))
    assert down.value.code == "REMOTE.SERVICE_UNAVAILABLE"
    with pytest.raises(RemoteError) as html:
        get(Vendor(httpx.Response(200, text="<html>login page</html>")))
    assert html.value.code == "REMOTE.UNKNOWN_HTTP_ERROR"
