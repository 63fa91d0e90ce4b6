"""No single request may stall or bloat the server (issue 13).

The app runs under uvicorn exactly as ``atsbridge serve`` runs it (:func:`uvicorn_options`), with small
limits so each case is quick. Assertions are about order and outcome (the slow request is still pending
while another one is answered; the connection was closed by the server, not by our own socket timeout),
never about wall-clock speed.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine

from atsbridge.api.app import create_app
from atsbridge.api.server import uvicorn_options
from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.core.errors import ApiError
from atsbridge.core.fetch import FetchPolicy, fetch_file
from atsbridge.testing import serve_asgi
from tests.conftest import Sandbox, make_sandbox

FETCH_DEADLINE = 8.0  # long enough for a busy machine to answer the concurrent request first
MAX_BODY = 256 * 1024
MAX_FORM = 8 * 1024
HEADER_TIMEOUT = 1.0
BODY_IDLE = 1.0
MAX_HEADERS = 8 * 1024
#: Our own sockets wait this long: far beyond every server limit above, so a pass means the server acted.
PATIENCE = 20.0


@dataclass(frozen=True)
class Edge:
    url: str
    sbx: Sandbox

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.sbx.key}", "X-Integration-Id": self.sbx.integration_id}


@pytest.fixture(scope="module")
def edge(engine: Engine, settings: Settings) -> Iterator[Edge]:
    limits = settings.model_copy(
        update={
            "fetch_timeout_seconds": FETCH_DEADLINE,
            "max_body_bytes": MAX_BODY,
            "max_form_bytes": MAX_FORM,
            "header_timeout_seconds": HEADER_TIMEOUT,
            "body_idle_seconds": BODY_IDLE,
            "body_timeout_seconds": 5.0,
            "max_header_bytes": MAX_HEADERS,
        }
    )
    sbx = make_sandbox(engine, settings, "tiny", seed=13)
    with serve_asgi(create_app(limits, engine, migrate=False), **uvicorn_options(limits)) as url:
        yield Edge(url, sbx)


def _first_application(edge: Edge) -> str:
    res = httpx.get(f"{edge.url}/v1/ats/applications", headers=edge.auth(), params={"page_size": 5}, timeout=PATIENCE)
    assert res.status_code == 200, res.text
    return str(res.json()["data"]["results"][0]["id"])


def _attach(edge: Edge, application_id: str, upload: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{edge.url}/v1/ats/applications/{application_id}/attachments",
        headers=edge.auth(),
        json={"attachment": upload},
        timeout=PATIENCE * 6,  # before the fix a trickled fetch ran for minutes
    )


# ------------------------------------------------------------------------------------- slow file servers
@dataclass
class Trickle:
    """A file server answering one byte per ``interval`` (or, with ``endless``, as fast as it can)."""

    interval: float = 1.0
    length: int = 200
    endless: bool = False
    accepted: threading.Event = field(default_factory=threading.Event)
    sent: int = 0
    closed_early: bool = False
    url: str = ""

    def __enter__(self) -> Trickle:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/cv.pdf"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()
        self._thread.join(timeout=PATIENCE)

    def _serve(self) -> None:
        try:
            conn, _ = self._sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            self.accepted.set()
            try:
                if self.endless:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\n"
                    )
                    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
                    while self.sent < 512 * 1024 * 1024:
                        conn.sendall(chunk)
                        self.sent += 64 * 1024
                else:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: %d\r\n\r\n" % self.length
                    )
                    while self.sent < self.length:
                        conn.sendall(b"x")
                        self.sent += 1
                        time.sleep(self.interval)
            except OSError:
                self.closed_early = True


# --------------------------------------------------------------------------------------------- 1. fetches
def test_trickling_data_url_fails_by_its_total_deadline_while_others_are_served(edge: Edge) -> None:
    application_id = _first_application(edge)
    outcome: dict[str, httpx.Response] = {}
    done = threading.Event()

    with Trickle(interval=1.0, length=200) as trickle:

        def slow() -> None:
            upload = {"name": "cv.pdf", "type": "CV", "data_url": trickle.url}
            outcome["slow"] = _attach(edge, application_id, upload)
            done.set()

        worker = threading.Thread(target=slow)
        worker.start()
        assert trickle.accepted.wait(PATIENCE), "the server never fetched the data_url"
        check = httpx.get(f"{edge.url}/v1/check-api-key", headers=edge.auth(), timeout=PATIENCE * 6)
        answered_while_fetching = not done.is_set()
        worker.join(PATIENCE * 6)

    assert check.status_code == 200, check.text
    assert answered_while_fetching, "check-api-key waited for the slow fetch: the event loop was blocked"
    slow_res = outcome["slow"]
    assert slow_res.status_code == 400, slow_res.text
    error = slow_res.json()["error"]
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert "attachment[0].data_url" in error["message"] and f"{FETCH_DEADLINE:g} s" in error["message"]
    assert trickle.sent < trickle.length, "the fetch was not cut by its total deadline"


def test_self_referencing_files_link_does_not_freeze_the_server(edge: Edge) -> None:
    application_id = _first_application(edge)
    content = b"%PDF-1.4 self reference\n"
    first = _attach(
        edge,
        application_id,
        {
            "name": "a.pdf",
            "type": "OTHER",
            "content_type": "application/pdf",
            "data": base64.b64encode(content).decode(),
        },
    )
    assert first.status_code == 200, first.text
    listed = httpx.get(f"{edge.url}/v1/ats/applications/{application_id}/attachments", headers=edge.auth()).json()
    link = next(a["data_url"] for a in listed["data"]["results"] if a["file_name"] == "a.pdf")
    assert "/v1/files/" in link

    again = _attach(edge, application_id, {"name": "b.pdf", "type": "OTHER", "data_url": link})

    assert again.status_code == 200, again.text  # before: a 30 s freeze, then a ReadTimeout refusal
    listed = httpx.get(f"{edge.url}/v1/ats/applications/{application_id}/attachments", headers=edge.auth()).json()
    copy = next(a["data_url"] for a in listed["data"]["results"] if a["file_name"] == "b.pdf")
    assert httpx.get(copy).content == content


def test_passthrough_file_part_is_bound_by_the_same_deadline(edge: Edge, engine: Engine, settings: Settings) -> None:
    iid = create_integration(
        engine, settings, edge.sbx.environment_id, "lever", "Acme", config={"base_url": "http://127.0.0.1:9/api"},
        credentials={"api_key": "k"},
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {edge.sbx.key}", "X-Integration-Id": iid}
    with Trickle(interval=1.0, length=200) as trickle:
        part = {"name": "cv", "value": {"name": "cv.pdf", "data_url": trickle.url}}
        body = {"method": "POST", "path": "x", "multipart_form_data": [part]}
        res = httpx.post(f"{edge.url}/v1/passthrough/lever/v1", headers=headers, json=body, timeout=PATIENCE * 6)
    assert res.status_code == 400, res.text
    assert "data_url" in res.json()["error"]["message"] and f"{FETCH_DEADLINE:g} s" in res.json()["error"]["message"]
    assert trickle.sent < trickle.length


def test_oversized_download_is_cut_at_the_cap_while_streaming() -> None:
    cap = 256 * 1024
    with Trickle(endless=True) as endless, pytest.raises(ApiError) as info:
        asyncio.run(fetch_file(endless.url, "attachment.data_url", FetchPolicy(True, 20.0, cap)))
    assert info.value.code == "PLATFORM.INPUT_INVALID"
    assert "attachment.data_url" in info.value.message and "larger than" in info.value.message
    # Stopped near the cap (socket buffers hold a few MB), not after the 512 MB the server would send.
    assert endless.closed_early and endless.sent < cap + 32 * 1024 * 1024


def test_declared_oversized_download_is_refused_before_reading() -> None:
    with Trickle(interval=1.0, length=10**9) as huge, pytest.raises(ApiError) as info:
        asyncio.run(fetch_file(huge.url, "data_url", FetchPolicy(True, 20.0, 1024)))
    # Refused on the declared length: waiting for the body would have ended in the 20 s deadline instead.
    assert "data_url: the file is larger than" in info.value.message


def test_fetch_refuses_internal_addresses_without_blocking() -> None:
    with pytest.raises(ApiError) as info:
        asyncio.run(fetch_file("http://127.0.0.1:9/x", "data_url", FetchPolicy(allow_private=False)))
    assert "private address" in info.value.message
    with pytest.raises(ApiError) as info:
        asyncio.run(fetch_file("ftp://example.com/x", "data_url", FetchPolicy(allow_private=True)))
    assert "http" in info.value.message


# -------------------------------------------------------------------------------------- 2. request bodies
def _raw(edge: Edge) -> socket.socket:
    sock = socket.create_connection(edge.host_port, timeout=PATIENCE)
    return sock


def _response(sock: socket.socket) -> tuple[int, dict[str, Any], bytes]:
    """Status, JSON body and the raw text of one response; reads until the server closes."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), data[:200]
    status = int(head.split()[1])
    return status, (orjson.loads(body) if body.startswith(b"{") else {}), head


def _post_head(path: str, extra: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: test", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


@pytest.mark.parametrize("framing", ["Content-Length: 209715200\r\n", "Transfer-Encoding: chunked\r\n"])
def test_unauthenticated_huge_post_gets_401_before_the_body_is_sent(edge: Edge, framing: str) -> None:
    with _raw(edge) as sock:
        sock.sendall(_post_head("/v1/ats/candidates", framing))
        sock.sendall(b"1000\r\n" + b"{" * 4096 + b"\r\n" if "chunked" in framing else b"{" * 4096)
        status, body, head = _response(sock)  # the 200 MB body is never sent
    assert status == 401
    assert body["error"]["code"] == "PLATFORM.AUTHENTICATION_INVALID"
    assert b"connection: close" in head.lower()


def test_wrong_key_huge_post_gets_401_too(edge: Edge) -> None:
    with _raw(edge) as sock:
        sock.sendall(
            _post_head("/v1/ats/candidates", "Content-Length: 209715200\r\n", {"Authorization": "Bearer nope"})
        )
        status, body, _ = _response(sock)
    assert status == 401 and "invalid or has been revoked" in body["error"]["message"]


def test_authenticated_oversized_declared_body_gets_413_at_once(edge: Edge) -> None:
    with _raw(edge) as sock:
        sock.sendall(_post_head("/v1/ats/candidates", f"Content-Length: {MAX_BODY + 1}\r\n", edge.auth()))
        status, body, _ = _response(sock)
    assert status == 413
    assert body["status"] == "error" and body["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert f"limit of {MAX_BODY} bytes" in body["error"]["message"]
    assert "ATSBRIDGE_MAX_BODY_BYTES" in body["error"]["message"]


def test_authenticated_chunked_body_is_cut_at_the_cap(edge: Edge) -> None:
    chunk = b"%x\r\n%s\r\n" % (16 * 1024, b" " * 16 * 1024)
    sent = 0
    with _raw(edge) as sock:
        sock.sendall(_post_head("/v1/ats/candidates", "Transfer-Encoding: chunked\r\n", edge.auth()))
        sock.settimeout(0.05)
        answer = b""
        try:
            while sent < 64 * MAX_BODY:
                sock.sendall(chunk)
                sent += 16 * 1024
                try:
                    answer = sock.recv(65536)
                except TimeoutError:
                    continue
                break
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(PATIENCE)
        while answer.count(b"\r\n\r\n") == 0 or not answer.rstrip().endswith(b"}"):
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"limit of" in answer
    assert sent < 64 * MAX_BODY  # refused while reading, not after the whole stream


def test_body_that_lies_about_its_length_times_out_with_408(edge: Edge) -> None:
    with _raw(edge) as sock:
        sock.sendall(_post_head("/v1/ats/candidates", "Content-Length: 1000\r\n", edge.auth()) + b'{"a":')
        status, body, _ = _response(sock)  # the remaining 995 bytes never come
    assert status == 408
    assert body["error"]["code"] == "PLATFORM.INPUT_INVALID" and "request body" in body["error"]["message"]


def test_form_posts_of_html_pages_are_capped(edge: Edge) -> None:
    res = httpx.post(
        f"{edge.url}/dashboard/login",
        content=b"token=" + b"x" * (MAX_FORM * 2),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert res.status_code == 413 and "ATSBRIDGE_MAX_FORM_BYTES" in res.json()["error"]["message"]


def test_a_normal_write_still_passes_the_guard(edge: Edge) -> None:
    application_id = _first_application(edge)
    data = base64.b64encode(b"%PDF-1.4 ok\n").decode()
    res = _attach(
        edge, application_id, {"name": "ok.pdf", "type": "CV", "content_type": "application/pdf", "data": data}
    )
    assert res.status_code == 200, res.text


# ------------------------------------------------------------------------------------------- 3. headers
def test_half_sent_headers_are_closed_while_others_are_served(edge: Edge) -> None:
    with _raw(edge) as idle, _raw(edge) as half:
        half.sendall(b"GET /v1/check-api-key HTTP/1.1\r\nHost: test\r\nAuthorization: Bea")
        served = httpx.get(f"{edge.url}/v1/check-api-key", headers=edge.auth(), timeout=PATIENCE)
        assert served.status_code == 200  # the stuck connections hold nobody up
        status, body, _ = _response(half)  # before: held until our own timeout
        assert status == 408 and "request headers" in body["error"]["message"]
        assert idle.recv(65536).startswith(b"HTTP/1.1 408")  # a silent connection is let go too


def test_kept_alive_connection_with_half_sent_next_request_is_closed(edge: Edge) -> None:
    with _raw(edge) as sock:
        key = f"Authorization: Bearer {edge.sbx.key}\r\n"
        sock.sendall(f"GET /v1/check-api-key HTTP/1.1\r\nHost: test\r\n{key}\r\n".encode())
        first = b""
        while not first.rstrip().endswith(b"}"):
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /v1/check-api-key HTTP/1.1\r\nHo")  # the next request stalls mid-header
        status, body, _ = _response(sock)
    assert status == 408 and "request headers" in body["error"]["message"]


def test_oversized_headers_get_431(edge: Edge) -> None:
    with _raw(edge) as sock:
        sock.sendall(b"GET /v1/check-api-key HTTP/1.1\r\nHost: test\r\n")
        try:
            for _ in range(MAX_HEADERS // 1000 + 2):
                sock.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, _, _ = _response(sock)
    assert status == 431


def test_default_body_cap_admits_the_largest_legitimate_attachment() -> None:
    from atsbridge.core.limits import MAX_FILE_BYTES

    data = base64.b64encode(b"\0" * MAX_FILE_BYTES).decode()
    upload = {"name": "n" * 255, "type": "CV", "content_type": "application/pdf", "data": data}
    body = orjson.dumps({"attachment": upload})
    default = Settings(database_url="sqlite://").max_body_bytes
    assert len(body) < default < len(body) + 4 * 1024 * 1024  # fits, with bounded headroom
