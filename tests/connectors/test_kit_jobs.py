"""``kit.AsyncJob``: a write answered with a job id, polled until it is no longer pending; ``kit.LinkHeader``
without a size parameter; the fake kit's ``SessionLogin``."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.fakes.kit.auth import SessionLogin

API = kit.VendorApi(base_url="http://vendor/v1", auth=kit.Bearer(kit.Secret("key", "Key")))
INFO = IntegrationInfo("i", "t", {}, {"key": "k"})
JOB = kit.AsyncJob(status_path="/jobs/{job_id}", delays=(0.0, 0.0, 0.0))


def _run(handler: Any, work: Any) -> Any:
    async def go() -> Any:
        client = API.client(INFO, httpx.MockTransport(handler))
        try:
            return await work(client)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_submit_answers_the_job_id_and_wait_polls_until_done() -> None:
    seen: list[str] = []
    states = iter(["pending", "pending", "finished"])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(200, json={"jobId": "j1"})
        return httpx.Response(200, json={"status": next(states), "apiResponse": {"result": []}})

    async def work(client: Any) -> Any:
        job_id = await JOB.submit(client, "/things", json={"a": 1})
        return job_id, await JOB.wait(client, job_id)

    job_id, body = _run(handler, work)
    assert job_id == "j1" and body["status"] == "finished"
    assert seen == ["POST /v1/things"] + ["GET /v1/jobs/j1"] * 3


def test_a_job_pending_after_every_delay_fails_retryably() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "PENDING"})

    with pytest.raises(RemoteError) as failed:
        _run(handler, lambda client: JOB.wait(client, "j2"))
    assert failed.value.retryable and "j2" in failed.value.message


def test_a_post_answer_without_a_job_id_is_an_error_and_is_not_resent() -> None:
    posts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posts.append(1)
        return httpx.Response(200, json={"ok": True})

    with pytest.raises(RemoteError, match="jobId"):
        _run(handler, lambda client: JOB.submit(client, "/things", json={}))
    assert posts == [1]


def test_link_header_without_a_size_parameter_sends_none() -> None:
    pager = kit.LinkHeader(size_param=None, page_size=50)
    assert pager.first(PageRequest("GET", "/x", {"a": 1})).params == {"a": 1}
    assert kit.LinkHeader().first(PageRequest("GET", "/x", {})).params == {"per_page": 500}  # unchanged default


def test_fake_session_login_issues_tokens_and_refuses_wrong_credentials() -> None:
    auth = SessionLogin("/login", {"user": "u", "secret": "s"}, demo_token="demo")
    client = TestClient(Starlette(routes=auth.routes()))
    assert client.post("/login", json={"user": "u", "secret": "x"}).status_code == 401
    assert client.post("/login", content=b"[").status_code == 400
    token = client.post("/login", json={"user": "u", "secret": "s"}).json()["token"]
    request = type("R", (), {"headers": {"authorization": f"Bearer {token}"}})()
    assert auth.check(request) is not None  # type: ignore[arg-type]
    auth.expire_tokens()
    assert auth.check(request) is None  # type: ignore[arg-type]
    demo = type("R", (), {"headers": {"authorization": "Bearer demo"}})()
    assert auth.check(demo) is not None and auth.issued == 1  # type: ignore[arg-type]
