"""The kit's JSON-RPC pieces: errors sent with HTTP 200 become the status they mean, the session login goes first
in ``params`` and is renewed once when refused, offset paging inside the params, and the fake side's dispatcher."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.kit import jsonrpc
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.jsonrpc import OpenAuth, RpcCall, Sessions, rpc_endpoint, rpc_errors
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase

API = jsonrpc.RpcApi(base_url="https://rpc.example", auth=jsonrpc.RpcSession(kit.Secret("api_key", "API key")),
                     errors=jsonrpc.RpcErrors(auth_markers=("please login",)))  # fmt: skip
INFO = IntegrationInfo("t:1", "t", {}, {"api_key": "k1"})


def _answer(request: httpx.Request, result: Any = None, error: dict[str, Any] | None = None) -> httpx.Response:
    envelope = orjson.loads(request.content)
    body = {"jsonrpc": "2.0", "id": envelope["id"], **({"error": error} if error else {"result": result})}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize(
    ("error", "status"),
    [({"code": 1, "message": "Access denied; please login again"}, 401),
     ({"code": 7, "message": "Too many requests, slow down"}, 429),
     ({"code": 2, "message": "Candidate 5 not found"}, 404),
     ({"code": -32601, "message": "Method not found"}, 404),
     ({"code": -32050, "message": "boom"}, 500),
     ({"code": 12, "message": "lastName is required"}, 400)],
)  # fmt: skip
def test_an_error_sent_with_200_becomes_the_status_it_means(error: dict[str, Any], status: int) -> None:
    assert jsonrpc.RpcErrors(auth_markers=("please login",)).status_of_error(error) == status


def test_the_session_goes_first_in_params_and_is_renewed_once() -> None:
    asyncio.run(_session_flow())


async def _session_flow() -> None:
    sent: list[Any] = []
    sessions = iter(["s1", "s2", "s3"])
    expired = {"s1"}

    def handler(request: httpx.Request) -> httpx.Response:
        envelope = orjson.loads(request.content)
        sent.append((envelope["method"], envelope["params"]))
        if envelope["method"] == "loginByUid":
            return _answer(request, next(sessions) if envelope["params"] == ["k1"] else None,
                           None if envelope["params"] == ["k1"] else {"code": 3, "message": "Invalid key"})  # fmt: skip
        if envelope["params"][0] in expired:
            return _answer(request, error={"code": 9, "message": "Access denied; please login again"})
        return _answer(request, {"echo": envelope["params"][1:]})

    client = API.client(INFO, httpx.MockTransport(handler))
    assert await jsonrpc.call(client, "/rpc", "Svc.get", 5) == {"echo": [5]}
    assert sent == [("loginByUid", ["k1"]), ("Svc.get", ["s1", 5]), ("loginByUid", ["k1"]), ("Svc.get", ["s2", 5])]
    assert await jsonrpc.call(client, "/rpc", "Svc.get", 6) == {"echo": [6]}  # the new session is kept
    assert sent[-1] == ("Svc.get", ["s2", 6]) and len(sent) == 5
    expired.add("s2")
    expired.add("s3")
    with pytest.raises(RemoteError) as info:  # renewed once, then the refusal stands
        await jsonrpc.call(client, "/rpc", "Svc.get", 7)
    assert info.value.status == 401
    await client.aclose()

    wrong = API.client(IntegrationInfo("t:2", "t", {}, {"api_key": "bad"}), httpx.MockTransport(handler))
    with pytest.raises(RemoteError) as refused:
        await jsonrpc.call(wrong, "/rpc", "Svc.get")
    assert refused.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and "401" in refused.value.message
    await wrong.aclose()


def test_other_errors_are_classified_and_retried_like_http_ones() -> None:
    asyncio.run(_other_errors())


async def _other_errors() -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        envelope = orjson.loads(request.content)
        if envelope["method"] == "loginByUid":
            return _answer(request, "s1")
        calls["n"] += 1
        if calls["n"] == 1:
            return _answer(request, error={"code": 5, "message": "rate limit reached"})
        return _answer(request, error={"code": 5, "message": "Vacancy 9 not found"})

    client = API.client(INFO, httpx.MockTransport(handler))
    with pytest.raises(RemoteError) as info:
        await jsonrpc.call(client, "/rpc", "Svc.get", 9)
    assert calls["n"] == 2 and info.value.status == 404 and "Vacancy 9 not found" in info.value.message
    await client.aclose()


def test_offset_paging_lives_inside_the_params() -> None:
    pager = jsonrpc.RpcOffset(page_size=2)
    first = pager.first(PageRequest("POST", "/rpc", json=jsonrpc.body("S.getListEx", {"what": {"uid": 1}})))
    assert first.json is not None and first.json["params"] == [{"what": {"uid": 1}, "offset": 0, "limit": 2}]
    full = {"result": {"listOutput": [{}, {}], "totalCount": 5}}
    second = pager.next(first, httpx.Response(200), full)
    assert second is not None and second.json is not None and second.json["params"][0]["offset"] == 2
    last = {"result": {"listOutput": [{}, {}], "totalCount": 4}}
    assert pager.next(second, httpx.Response(200), last) is None  # totalCount reached
    assert pager.next(first, httpx.Response(200), {"result": {"listOutput": [{}]}}) is None  # short page


class _State(FakeBase):
    def __init__(self) -> None:
        super().__init__(OpenAuth())
        self.sessions = Sessions()


def _fake() -> tuple[_State, Starlette]:
    state = _State()

    def echo(rpc: RpcCall[_State]) -> Any:
        if rpc.arg(0) == "missing":
            raise VendorError(404, "Record not found")
        return rpc.params

    endpoint = rpc_endpoint("/rpc", {"echo": echo}, lambda f: f.sessions,
                            {"login": lambda f, p: f.sessions.issue() if p == ["key"] else _refuse()})  # fmt: skip
    spec = FakeSpec("rpc", rpc_errors, [endpoint], Hooks(lambda f: {}, lambda f, r: None))
    return state, build_app(spec, state)


def _refuse() -> str:
    raise VendorError(401, "Invalid API key")


def test_the_fake_dispatcher_answers_errors_with_200() -> None:
    state, app = _fake()
    c = TestClient(app)

    def rpc(method: str, *params: Any) -> httpx.Response:
        return c.post("/rpc", json={"jsonrpc": "2.0", "method": method, "params": list(params), "id": 4})

    token = rpc("login", "key").json()["result"]
    assert rpc("echo", token, 1, 2).json() == {"jsonrpc": "2.0", "result": [1, 2], "id": 4}
    for answer in (rpc("login", "nope"), rpc("echo", "stale"), rpc("echo", token, "missing"), rpc("nope", token)):
        assert answer.status_code == 200 and answer.json()["error"]["message"]
    state.sessions.expire_all()
    assert rpc("echo", token).json()["error"]["message"] == "Access denied; please login again"
    broken = c.post("/rpc", content=b"{not json")
    assert broken.status_code == 200 and broken.json()["error"]["code"] == -32700
