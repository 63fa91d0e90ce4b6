"""Every connector's Connect check against its fake vendor: good credentials pass, bad ones get a message
that names the likely culprit (and never echoes the secret), an unreachable host says so."""

from __future__ import annotations

import asyncio
import importlib
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.registry import get_connector
from atsbridge.testing import serve_asgi
from tests.contract.harness import tools_with_fakes

#: Every connector with a fake (the contract suite's list): a new vendor is checked without editing this file.
VENDORS = tools_with_fakes()


@pytest.fixture(scope="module", params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    tool: str = request.param
    fake = importlib.import_module(f"atsbridge.fakes.{tool}")
    with serve_asgi(fake.create_app(records=5)) as url:
        config, credentials = fake.conformance_setup(url)
        yield tool, config, credentials


def check(tool: str, config: dict[str, Any], credentials: dict[str, Any]) -> None:
    spec = get_connector(tool).connect
    assert spec is not None
    asyncio.run(spec.verify(IntegrationInfo(f"{tool}:check", tool, config, credentials)))


def test_good_credentials_pass(vendor: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    tool, config, credentials = vendor
    check(tool, config, credentials)


def test_bad_credentials_are_named(vendor: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    tool, config, credentials = vendor
    wrong = {key: f"wrong-{key}-value" for key in credentials}
    with pytest.raises(ValueError, match="refused") as caught:
        check(tool, config, wrong)
    message = str(caught.value)
    assert get_connector(tool).label in message
    assert "wrong-" not in message  # a secret is never echoed


def test_unreachable_host_is_named() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with pytest.raises(ValueError, match="Could not reach 127.0.0.1: connection refused"):
        check(
            "greenhouse",
            {"base_url": base + "/v3", "token_url": base + "/token"},
            {"client_id": "a", "client_secret": "b"},
        )
    with pytest.raises(ValueError, match="Could not reach 127.0.0.1: connection refused"):
        check("lever", {"base_url": base}, {"api_key": "k"})


def test_every_connector_is_connectable() -> None:
    from atsbridge.connectors.registry import known_tools

    for tool in known_tools():
        spec = get_connector(tool).connect
        assert spec is not None, tool
        assert all(f.kind in ("text", "secret", "url", "select") for f in spec.fields)
        assert all(f.target == "config" for f in spec.fields if f.advanced)


def test_sandbox_checks_its_size() -> None:
    check("sandbox", {"size": "tiny"}, {})
    with pytest.raises(ValueError, match="size"):
        check("sandbox", {"size": "huge"}, {})


def test_access_logs_never_show_connect_secrets() -> None:
    import logging

    from atsbridge.core.logredact import RedactSecrets as RedactConnectSecrets

    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4", "GET", "/connect/s3cret?tool=lever", "1.1", 200), None)  # fmt: skip
    RedactConnectSecrets().filter(record)
    assert "s3cret" not in record.getMessage() and "/connect/[redacted]?tool=lever" in record.getMessage()
    record.args = ("1.2.3.4", "GET", "/v1/connect/integration-by-token/tok", "1.1", 200)
    RedactConnectSecrets().filter(record)
    assert record.getMessage().count("[redacted]") == 1
