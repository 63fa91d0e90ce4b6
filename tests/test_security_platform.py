"""Every platform secret at once: the API key, webhook signing secrets (before and after rotation), a Connect
link's secret, its exchange token, an operator token and the vendor credentials typed into the Connect page.

After a whole life cycle (link, verification, integration, first sync, webhook deliveries, dashboard login) none
of them is in any database column in clear, in any log line, or in any response other than the one that hands
it out once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from kombo import Kombo
from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.dashboard import operators
from atsbridge.fakes import greenhouse as gh_fake
from atsbridge.testing import serve_asgi
from atsbridge.webhooks.dispatcher import Dispatcher
from tests.conftest import Server, sync_now
from tests.connect.helpers import submit, token_of
from tests.security_scan import assert_no_clear_secrets
from tests.webhook_receiver import independent_signature, receiver

#: The Greenhouse fake accepts exactly this pair; the secret is what the end customer types on the page.
GH_CLIENT, GH_SECRET = "gh_client", "gh_secret"


@pytest.fixture(scope="module")
def greenhouse() -> Iterator[str]:
    with serve_asgi(gh_fake.create_app(records=5)) as url:
        yield url


def test_no_platform_secret_in_clear_anywhere(
    server: Server,
    engine: Engine,
    settings: Settings,
    api_key: str,
    environment: str,
    greenhouse: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    shown: dict[str, str] = {}  # responses that must not contain any secret
    auth = {"Authorization": f"Bearer {api_key}"}

    with receiver() as hooks:
        created = httpx.post(f"{server.v1}/webhooks", json={"url": hooks.url}, headers=auth)
        assert created.status_code == 200, created.text
        endpoint = created.json()["data"]
        first_secret = endpoint["secret"]
        rotated = httpx.post(f"{server.v1}/webhooks/{endpoint['id']}/rotate-secret", json={}, headers=auth)
        second_secret = rotated.json()["data"]["secret"]
        shown["webhook list"] = httpx.get(f"{server.v1}/webhooks", headers=auth).text
        shown["webhook get"] = httpx.get(f"{server.v1}/webhooks/{endpoint['id']}", headers=auth).text

        k = Kombo(api_key=api_key, server_url=server.v1)
        link = k.connect.create_connection_link(
            end_user_email="it@acme.example", end_user_organization_name="Acme", integration_category="ATS"
        ).data.link
        link_secret = link.rsplit("/", 1)[1]
        fields = {
            "client_id": GH_CLIENT,
            "client_secret": GH_SECRET,
            "base_url": f"{greenhouse}/v3",
            "token_url": f"{greenhouse}/token",
        }
        refused = submit(link, "greenhouse", {**fields, "client_secret": "wrong-secret-123"})
        # the page lives at the link, so it may name its own URL; nothing else may appear
        shown["refused page"] = refused.text.replace(link_secret, "[link]")
        done = submit(link, "greenhouse", fields)
        exchange_token = token_of(done.text)
        integration = k.connect.get_integration_by_token(token=exchange_token).data
        shown["integration by token"] = str(integration)
        with ThreadPoolExecutor(1) as pool:
            pool.submit(sync_now, engine, settings, integration.id).result()
        shown["details"] = httpx.get(f"{server.v1}/integrations/{integration.id}", headers=auth).text
        shown["syncs"] = httpx.get(
            f"{server.v1}/syncs", headers={**auth, "X-Integration-Id": integration.id}
        ).text
        shown["events"] = httpx.get(f"{server.v1}/events", headers=auth).text

        Dispatcher(engine, settings, environments=[environment]).drain()
        received = hooks.ok()
        assert received, "the webhook receiver got nothing"
        for got in received:
            assert got.headers["x-kombo-signature"] == independent_signature(second_secret, got.raw)
        shown["deliveries"] = httpx.get(f"{server.v1}/webhooks/{endpoint['id']}/deliveries", headers=auth).text

    with engine.begin() as conn:
        _, operator_token = operators.create(conn, "security-test")
    with httpx.Client(base_url=server.url) as browser:
        login = browser.get("/dashboard/login")
        shown["dashboard login"] = login.text

    secrets = [api_key, first_secret, second_secret, link_secret, exchange_token, operator_token, GH_SECRET]
    # The test's own HTTP clients log the URLs they call (links, tokens in paths): those lines are ours, not
    # the server's. Everything atsbridge logs, including its own calls to the vendor, is kept.
    ours = server.url
    logs = "\n".join(
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if not (r.name.startswith(("httpx", "httpcore")) and ours in r.getMessage())
    )
    assert_no_clear_secrets(engine, secrets, {"logs": logs, **shown})
