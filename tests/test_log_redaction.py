"""No log line the app writes (access log, error log, tracebacks) shows a secret that travels in a URL: Connect
link secrets, setup links, exchange tokens, file tokens."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.api.app import create_app
from atsbridge.connect import links
from atsbridge.core.config import Settings
from atsbridge.core.logredact import redact, scrub
from atsbridge.testing import serve_asgi


@contextmanager
def uvicorn_captured(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Also capture uvicorn's access and error loggers (they do not propagate; attach once the server has
    configured its logging, which replaces their handlers)."""
    extra = [logging.getLogger(name) for name in ("uvicorn.access", "uvicorn.error")]
    for logger in extra:
        logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        for logger in extra:
            logger.removeHandler(caplog.handler)


def test_an_unexpected_error_on_a_connect_page_logs_no_secret(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = secrets.token_urlsafe(32)

    def broken(_conn: object, given: str) -> None:
        raise RuntimeError(f"link store unavailable while loading /connect/{given}")

    monkeypatch.setattr(links, "find", broken)
    caplog.set_level(logging.DEBUG)
    with serve_asgi(create_app(settings, engine), log_level="info") as url, uvicorn_captured(caplog):
        for method, path in [
            ("POST", f"/connect/{secret}"),
            ("GET", f"/connect/{secret}?tool=lever"),
            ("POST", f"/connect/{secret}/setup"),
            ("GET", f"/v1/connect/integration-by-token/{secret}"),
            ("GET", f"/v1/files/{secret}"),
        ]:
            answer = httpx.request(method, url + path, data={"x": "y"} if method == "POST" else None)
            assert answer.status_code >= 400
            assert secret not in answer.text  # not echoed in the error page either
    records = caplog.records
    assert any(r.name == "atsbridge.api" and "unexpected error" in r.getMessage() for r in records)
    assert any(r.name == "uvicorn.access" for r in records), "the access log was not captured"
    assert any("[redacted]" in r.getMessage() for r in records)
    formatter = logging.Formatter("%(name)s %(message)s")
    for record in records:
        assert secret not in formatter.format(record), record.name
        assert secret not in (record.exc_text or "") and secret not in (record.stack_info or "")
        assert secret not in str(record.args) and secret not in str(record.msg)


@pytest.mark.parametrize(
    "line, kept",
    [
        ('"POST /connect/s3cr3t HTTP/1.1" 500', '"POST /connect/[redacted] HTTP/1.1" 500'),
        ("GET /connect/s3cr3t/setup?tool=lever", "GET /connect/[redacted]/setup?tool=lever"),
        ("/v1/connect/integration-by-token/s3cr3t", "/v1/connect/integration-by-token/[redacted]"),
        ("/v1/connect/create-link", "/v1/connect/create-link"),
        ("https://h.example/v1/files/s3cr3t.sig", "https://h.example/v1/files/[redacted]"),
        ("https://hooks.example/in?a=1&token=s3cr3t&b=2", "https://hooks.example/in?a=1&token=[redacted]&b=2"),
    ],
)
def test_redact(line: str, kept: str) -> None:
    assert redact(line) == kept and "s3cr3t" not in redact(line)


def test_numbers_and_objects_still_format() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, "", 0, "%d items from %s", (3, httpx.URL("http://h/connect/s3")), None
    )

    scrub(record)
    assert record.getMessage() == "3 items from http://h/connect/[redacted]"
