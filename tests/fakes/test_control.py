"""The control API and the fault API answer the same way on every fake (all built on the engine): state,
deterministic simulate, faults armed and met, the request log, and clear errors."""

from __future__ import annotations

import importlib
import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.contract.harness import TOOLS, contract_models

#: An authenticated GET each fake answers 200 (credentials as ``conformance_setup`` gives them).
PROBES: dict[str, tuple[str, dict[str, str]]] = {
    "greenhouse": ("/v3/users", {}),  # bearer from the token endpoint, below
    "lever": ("/v1/users", {"Authorization": "Basic bGV2ZXJfa2V5Og=="}),
    "ashby": ("/user.list", {"Authorization": "Basic YXNoYnlfa2V5Og=="}),
    "comeet": ("/careers-api/2.0/company/89.002/positions?token=comeet_token", {}),
    "bamboohr": (
        "/api/gateway.php/acme/v1/meta/users",
        {"Authorization": "Basic YmFtYm9vX2tleTp4", "Accept": "application/json"},
    ),
    "personio": ("/v2/recruiting/jobs", {}),  # bearer from the token endpoint, below
    "pinpoint": ("/api/v1/users", {"X-API-KEY": "pinpoint_key"}),
    "recruitee": ("/c/89564/admins", {"Authorization": "Bearer recruitee_token"}),
    "smartrecruiters": ("/jobs", {"X-SmartToken": "sr_token"}),
    "teamtailor": ("/v1/users", {"Authorization": "Token token=teamtailor_key", "X-Api-Version": "20240904"}),
    "workable": ("/spi/v3/members", {"Authorization": "Bearer workable_token"}),
    "fountain": ("/v2/funnels", {"X-ACCESS-TOKEN": "fountain_key"}),
    "jobdiva": ("/apiv2/bi/UsersList", {}),  # bearer from the login, below
    "jazzhr": ("/v1/users", {}),  # the key in the query, below
    "jobvite": ("/api/v2/job", {"x-jvi-api": "jv_key", "x-jvi-sc": "jv_secret"}),
    "zohorecruit": ("/recruit/v2/users", {"Authorization": "Zoho-oauthtoken 1000.zr_static_token"}),
    "breezyhr": ("/v3/company/5f1d2c3b4a59/pipelines", {"Authorization": "breezy_pat_fake"}),
    "bullhorn": ("/rest-services/e999/ping", {"BhRestToken": "bh-demo-session"}),  # the fake's demo session
    "bullhornlogin": ("/rest-services/e999/ping", {"BhRestToken": "bh-demo-session"}),
}


def _client(tool: str) -> TestClient:
    return TestClient(
        importlib.import_module(f"atsbridge.fakes.{tool}").create_app(seed=2, records=20, rate_limit=None)
    )


def _probe(c: TestClient, tool: str) -> tuple[str, dict[str, str]]:
    """The table above, else the fake's own ``PROBE = (path, headers)`` (a new fake needs no edit here)."""
    path, headers = PROBES.get(tool) or importlib.import_module(f"atsbridge.fakes.{tool}").PROBE
    if tool in ("greenhouse", "personio", "talentsoft", "talentsoftcustomer"):
        where, client = {"greenhouse": ("/token", ("gh_client", "gh_secret")),
                         "personio": ("/v2/auth/token", ("personio_id", "personio_secret")),
                         "talentsoft": ("/api/token", ("ts_client", "ts_secret")),
                         "talentsoftcustomer": ("/api/token", ("ts_client", "ts_secret"))}[tool]  # fmt: skip
        token = c.post(where, data={"grant_type": "client_credentials"}, auth=client).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
    if tool == "jobdiva":  # the login answers the bare token
        login = {"clientid": "4242", "username": "api@agency.example", "password": "jobdiva_secret"}
        headers = {"Authorization": f"Bearer {c.get('/apiv2/authenticate', params=login).text}"}
    return path, headers


def _get(c: TestClient, tool: str, path: str, headers: dict[str, str]) -> Any:
    """The probe request (Ashby's API is RPC: every call is a POST with a JSON body)."""
    if tool == "ashby":
        return c.post(path, headers=headers, json={})
    if tool == "jazzhr":
        return c.get(path, headers=headers, params={"apikey": "jazz_key"})
    return c.get(path, headers=headers)


@pytest.mark.parametrize("tool", TOOLS)
def test_state_and_simulate_are_deterministic(tool: str) -> None:
    a, b = _client(tool), _client(tool)
    state = a.get("/__fake/state").json()
    assert state["vendor"] == tool and state["resources"] and state["truth"][contract_models(tool)[0]]
    first = a.post("/__fake/simulate", json={"steps": 15, "seed": 9}).json()["changes"]
    assert first == b.post("/__fake/simulate", json={"steps": 15, "seed": 9}).json()["changes"]
    assert len(first) == 15 and {c["kind"] for c in first} <= {"created", "updated", "deleted"}
    assert {"updated", "deleted"} <= {c["kind"] for c in first}
    other = _client(tool).post("/__fake/simulate", json={"steps": 15, "seed": 10}).json()["changes"]
    assert other != first
    assert a.get("/__fake/state").json()["truth"] != state["truth"] or any(c["kind"] == "updated" for c in first)


@pytest.mark.parametrize("tool", TOOLS)
def test_faults_are_armed_met_and_logged(tool: str) -> None:
    c = _client(tool)
    path, headers = _probe(c, tool)
    assert _get(c, tool, path, headers).status_code == 200
    armed = c.post(
        "/__fake/faults", json={"faults": [{"kind": "fail", "status": 502, "n": 1}, {"kind": "storm", "n": 1}]}
    )
    assert [f["kind"] for f in armed.json()["armed"]] == ["fail", "storm"]
    assert _get(c, tool, path, headers).status_code == 502  # both act on it: the first refusal wins
    assert _get(c, tool, path, headers).status_code == 200
    c.post("/__fake/faults", json={"kind": "storm", "n": 1, "seconds": 2})
    storm = _get(c, tool, path, headers)
    assert storm.status_code == 429 and storm.headers["retry-after"].startswith("2")
    c.post("/__fake/faults", json={"kind": "truncate", "n": 1, "path": path.partition("?")[0]})
    cut = _get(c, tool, path, headers)
    assert cut.status_code == 200 and len(cut.content) < len(_get(c, tool, path, headers).content)
    c.post("/__fake/faults", json={"kind": "slow", "n": 1, "seconds": 0.3})
    started = time.monotonic()
    _get(c, tool, path, headers)
    assert time.monotonic() - started >= 0.3
    c.post("/__fake/faults", json={"kind": "fail", "n": 5, "after": 1})
    assert _get(c, tool, path, headers).status_code == 200  # skipped
    assert c.delete("/__fake/faults").json() == {"armed": []}
    assert _get(c, tool, path, headers).status_code == 200
    log = c.get("/__fake/requests?limit=3").json()["requests"]
    assert [r["status"] for r in log] == [200, 200, 200] and log[-1]["path"] == path.partition("?")[0]
    assert c.delete("/__fake/requests").json() == {"requests": []} and c.get("/__fake/state").json()["requests"] == 0


BAD: list[tuple[str, str, Any, str]] = [
    ("POST", "faults", {"kind": "explode"}, "kind must be one of"),
    ("POST", "faults", {"kind": "fail", "n": 0}, "n must be a number between 1"),
    ("POST", "faults", {"kind": "fail", "status": 99}, "status must be a number between 400"),
    ("POST", "faults", {"kind": "slow", "seconds": -1}, "seconds must be"),
    ("POST", "faults", {"kind": "fail", "color": "red"}, "unknown field(s): color"),
    ("POST", "faults", {"faults": [{"kind": "fail"}, {"kind": "nope"}]}, "kind must be one of"),
    ("POST", "faults", [1, 2], "each fault must be a JSON object"),
    ("POST", "simulate", {"steps": 5000}, "steps must be an integer between 1 and 1000"),
    ("POST", "simulate", {"steps": 2, "seed": "x"}, "seed must be an integer"),
    ("GET", "requests?limit=0", None, "limit must be an integer"),
]


@pytest.mark.parametrize("tool", ["greenhouse", "workable"])  # a Link-header pager and a next-URL one
@pytest.mark.parametrize(("method", "path", "body", "message"), BAD)
def test_bad_control_requests_are_refused_clearly(tool: str, method: str, path: str, body: Any, message: str) -> None:
    c = _client(tool)
    answer = c.request(method, f"/__fake/{path}", json=body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "FAKE.INVALID_INPUT" and message in error["message"]
    assert c.get("/__fake/faults").json() == {"armed": []}  # all or nothing
    garbage = c.post("/__fake/faults", content=b"{not json")
    assert garbage.status_code == 400 and garbage.json()["error"]["message"] == "body must be JSON"
