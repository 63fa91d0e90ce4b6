"""Passthrough through the SDK against vendor fakes (Greenhouse OAuth, Lever basic auth, Workable token) and a
recording vendor that shows exactly what went out; plus every refusal."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kombo import Kombo
from kombo.errors import KomboGeneralError
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes import greenhouse, lever, workable
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server


async def _echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "query": dict(request.query_params),
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": body.decode(errors="replace"),
        },
        headers={"x-vendor": "yes"},
    )


async def _redirect(_request: Request) -> Response:
    return RedirectResponse("http://127.0.0.1:9/elsewhere", status_code=302)


async def _binary(_request: Request) -> Response:
    return Response(b"\x00\x01PDF", media_type="application/pdf")


async def _upload_source(_request: Request) -> Response:
    return Response(b"downloaded-bytes", media_type="text/plain")


RECORDER = Starlette(
    routes=[
        Route("/api/redirect", _redirect, methods=["GET"]),
        Route("/api/binary", _binary, methods=["GET"]),
        Route("/files/cv.txt", _upload_source, methods=["GET"]),
        Route("/api/{rest:path}", _echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
)


@pytest.fixture(scope="module")
def recorder_url() -> Iterator[str]:
    with serve_asgi(RECORDER) as url:
        yield url


def _env(engine: Engine) -> tuple[str, str]:
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"pt-{uuid.uuid4().hex[:6]}")
        return env, platform.create_api_key(conn, env, "test")


def _client(
    engine: Engine, settings: Settings, server: Server, tool: str, config: dict[str, Any], creds: dict[str, Any]
) -> tuple[Kombo, str]:
    env, key = _env(engine)
    iid = create_integration(engine, settings, env, tool, "Acme", config=config, credentials=creds)
    return Kombo(api_key=key, integration_id=iid, server_url=server.v1), iid


def test_passthrough_against_fakes(engine: Engine, settings: Settings, server: Server) -> None:
    with (
        serve_asgi(greenhouse.create_app(records=10)) as gh_url,
        serve_asgi(lever.create_app(records=10)) as lv_url,
        serve_asgi(workable.create_app(records=10)) as wk_url,
    ):
        k, _ = _client(engine, settings, server, "greenhouse", *greenhouse.conformance_setup(gh_url))
        res = k.general.send_passthrough_request(tool="greenhouse", api="harvestv3", method="GET", path="/jobs")
        assert res.data.status == 200
        assert res.data.url == f"{gh_url}/v3/jobs"
        assert isinstance(res.data.data, list) and res.data.data
        assert res.warnings == []
        missing = k.general.send_passthrough_request(tool="greenhouse", api="harvestv3", method="GET", path="nope/1")
        assert missing.data.status == 404  # the vendor's answer, not an error
        # Kombo names Harvest v3 'greenhousev3/harvestv3' (Appendix B): the same API here
        aliased = k.general.send_passthrough_request(tool="greenhousev3", api="harvestv3", method="GET", path="/jobs")
        assert aliased.data.status == 200 and aliased.data.url == f"{gh_url}/v3/jobs"

        k, _ = _client(engine, settings, server, "lever", *lever.conformance_setup(lv_url))
        res = k.general.send_passthrough_request(
            tool="lever", api="v1", method="GET", path="users", params={"limit": "2"}
        )
        assert res.data.status == 200 and res.data.url == f"{lv_url}/v1/users?limit=2"
        assert len(res.data.data["data"]) == 2

        k, _ = _client(engine, settings, server, "workable", *workable.conformance_setup(wk_url))
        res = k.general.send_passthrough_request(tool="workable", api="v3", method="GET", path="jobs")
        assert res.data.status == 200 and res.data.data["jobs"]


def test_request_shaping(engine: Engine, settings: Settings, server: Server, recorder_url: str) -> None:
    config = {"base_url": f"{recorder_url}/api", "requests_per_second": 1000}
    k, _ = _client(engine, settings, server, "lever", config, {"api_key": "lever-secret-key"})

    def send(**kw: Any) -> Any:
        return k.general.send_passthrough_request(tool="lever", api="v1", **kw).data

    out = send(
        method="POST",
        path="/opportunities/1",
        headers={"Authorization": "Bearer mine", "Cookie": "a=b", "X-Custom": "kept"},
        data={"a": [1, 2]},
    )
    seen = out.data
    assert seen["path"] == "/api/opportunities/1" and seen["method"] == "POST"
    assert seen["headers"]["authorization"] == "Basic " + base64.b64encode(b"lever-secret-key:").decode()
    assert "cookie" not in seen["headers"] and seen["headers"]["x-custom"] == "kept"
    assert seen["headers"]["content-type"] == "application/json" and seen["body"] == '{"a":[1,2]}'
    assert out.headers["x-vendor"] == "yes"

    raw = send(method="PUT", path="raw", data="plain text", headers={"Content-Type": "text/plain"}).data
    assert raw["body"] == "plain text" and raw["headers"]["content-type"] == "text/plain"

    redirect = send(method="GET", path="redirect")
    assert redirect.status == 302 and redirect.headers["location"] == "http://127.0.0.1:9/elsewhere"

    binary = send(method="GET", path="binary", response_as_base64=True)
    assert base64.b64decode(binary.data) == b"\x00\x01PDF"

    multipart = send(
        method="POST",
        path="upload",
        multipart_form_data=[
            {"name": "note", "value": "hello"},
            {"name": "file", "value": {"name": "a.txt", "content_type": "text/plain", "data": "aGk="}},
            {"name": "cv", "value": {"name": "cv.txt", "data_url": f"{recorder_url}/files/cv.txt"}},
        ],
    ).data
    assert multipart["headers"]["content-type"].startswith("multipart/form-data")
    for piece in ('name="note"', "hello", 'filename="a.txt"', "hi", 'filename="cv.txt"', "downloaded-bytes"):
        assert piece in multipart["body"]


@pytest.mark.parametrize(
    "path",
    [
        "http://evil.example/x",
        "https:evil",
        "//evil.example/x",
        "/\\evil",
        "a\\b",
        "../admin",
        "a/../../admin",
        "a/%2e%2e/admin",
        "a/%2E%2E/admin",
        "a/%252e%252e/admin",
        "%2F%2Fevil.example",
        "a\nb",
        "a%0d%0aX-Injected: 1",
        "a#frag",
    ],
)
def test_path_refusals(engine: Engine, settings: Settings, server: Server, recorder_url: str, path: str) -> None:
    k, _ = _client(engine, settings, server, "lever", {"base_url": f"{recorder_url}/api"}, {"api_key": "k"})
    with pytest.raises(KomboGeneralError) as info:
        k.general.send_passthrough_request(tool="lever", api="v1", method="GET", path=path)
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert "path" in info.value.data.error.message


def test_other_refusals(engine: Engine, settings: Settings, server: Server, recorder_url: str) -> None:
    k, iid = _client(engine, settings, server, "lever", {"base_url": f"{recorder_url}/api"}, {"api_key": "k"})

    def code(**kw: Any) -> tuple[str, str]:
        body = {"tool": "lever", "api": "v1", "method": "GET", "path": "x", **kw}
        with pytest.raises(KomboGeneralError) as info:
            k.general.send_passthrough_request(**body)
        return str(info.value.data.error.code), info.value.data.error.message

    assert code(tool="greenhouse", api="harvestv3")[0] == "PLATFORM.INPUT_INVALID"
    c, msg = code(api="v9")
    assert c == "PLATFORM.INPUT_INVALID" and "lever/v1" in msg
    assert code(headers={"X-Bad": "a\r\nb"})[0] == "PLATFORM.INPUT_INVALID"
    bad_file = [{"name": "f", "value": {"name": "a", "data": "aGk="}}]
    assert code(method="POST", multipart_form_data=bad_file)[0] == "PLATFORM.INPUT_INVALID"
    ftp = [{"name": "f", "value": {"name": "a", "data_url": "file:///etc/passwd"}}]
    assert code(method="POST", multipart_form_data=ftp)[0] == "PLATFORM.INPUT_INVALID"
    with pytest.raises(KomboGeneralError) as info:
        Kombo(api_key=k.sdk_configuration.security.api_key, server_url=server.v1).general.send_passthrough_request(  # type: ignore[union-attr]
            tool="lever", api="v1", method="GET", path="x"
        )
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"  # no X-Integration-Id

    # The vendor cannot be reached: a clear PLATFORM error, not a 500 with a trace.
    k2, _ = _client(engine, settings, server, "lever", {"base_url": "http://127.0.0.1:9/api"}, {"api_key": "k"})
    with pytest.raises(KomboGeneralError) as info:
        k2.general.send_passthrough_request(tool="lever", api="v1", method="GET", path="x")
    assert info.value.data.error.code == "PLATFORM.UNKNOWN_ERROR"
    assert "lever" in info.value.data.error.message

    # A tool without passthrough APIs (the sandbox).
    env, key = _env(engine)
    sbx = create_integration(engine, settings, env, "sandbox", "S", config={"seed": 1, "size": "tiny"})
    with pytest.raises(KomboGeneralError) as info:
        Kombo(api_key=key, integration_id=sbx, server_url=server.v1).general.send_passthrough_request(
            tool="sandbox", api="v1", method="GET", path="x"
        )
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
