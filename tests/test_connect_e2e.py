"""End to end in headless Chromium: an SDK-made link, the hosted page, Greenhouse picked from the grid,
a wrong secret (and its message), the right one, the exchange token back through the SDK, the first sync
and jobs read through the SDK; then the operator finds it, synced, in the dashboard. Every request the pages
make goes to atsbridge itself."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from kombo import Kombo
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.dashboard import operators
from atsbridge.fakes import greenhouse as gh_fake
from atsbridge.testing import serve_asgi
from tests.browser import browser, page, screenshot  # noqa: F401  (fixtures)
from tests.conftest import Server, sync_now


@pytest.fixture(scope="module")
def greenhouse() -> Iterator[str]:
    with serve_asgi(gh_fake.create_app(records=20)) as url:
        yield url


def test_connect_greenhouse_in_chromium(
    server: Server,
    engine: Engine,
    settings: Settings,
    api_key: str,
    greenhouse: str,
    page: Page,  # noqa: F811
    db_url: str,
) -> None:
    tag = "pg" if db_url.startswith("postgresql") else "sqlite"
    k = Kombo(api_key=api_key, server_url=server.v1)
    link = k.connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme GmbH", integration_category="ATS"
    ).data.link
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(link)
    assert page.locator("h1").inner_text() == "Connect your applicant tracking system"
    screenshot(page, f"connect-1-pick-{tag}")
    page.fill("input[name=q]", "green")
    page.click("form.search button")
    assert page.locator("a.tool").count() == 1
    page.click("a[data-tool=greenhouse]")
    assert page.locator("h1").inner_text() == "Connect Greenhouse"
    screenshot(page, f"connect-2-form-{tag}")

    page.fill("#field_client_id", "gh_client")
    page.fill("#field_client_secret", "definitely-wrong")
    page.click("details summary")
    page.fill("#field_base_url", f"{greenhouse}/v3")
    page.fill("#field_token_url", f"{greenhouse}/token")
    page.click("#connect-submit")
    error = page.locator("#connect-error").inner_text()
    assert "Greenhouse refused this client ID and secret (401)" in error
    assert page.input_value("#field_client_secret") == ""  # secrets are never echoed back
    assert page.input_value("#field_base_url") == f"{greenhouse}/v3"
    assert "definitely-wrong" not in page.content()
    screenshot(page, f"connect-3-refused-{tag}")

    page.fill("#field_client_secret", "gh_secret")
    page.click("#connect-submit")
    assert page.locator("#success-title").inner_text() == "Connected!"
    token = page.locator("#connect-token").inner_text().strip()
    screenshot(page, f"connect-4-success-{tag}")

    integration = k.connect.get_integration_by_token(token=token).data
    assert integration.tool == "greenhouse" and integration.end_user_organization_name == "Acme GmbH"
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop running in this thread
        pool.submit(sync_now, engine, settings, integration.id).result()
    jobs = Kombo(api_key=api_key, integration_id=integration.id, server_url=server.v1).ats.get_jobs()
    assert jobs is not None and jobs.result.data.results

    # The operator sees the new integration, its end user and its first sync in the dashboard.
    with engine.begin() as conn:
        _, operator_token = operators.create(conn, f"e2e-{tag}")
    page.goto(server.url + "/dashboard/login")
    page.fill("#token", operator_token)
    page.click("button[type=submit]")
    page.goto(f"{server.url}/dashboard/integrations/{integration.id}")
    expect(page.locator("h1")).to_contain_text("Acme GmbH")
    runs_table = page.locator("table", has_text="SUCCEEDED")
    expect(runs_table.first).to_be_visible()
    screenshot(page, f"connect-5-dashboard-{tag}")

    requested = [url for url in requested if "/dashboard" not in url]
    assert requested, "the page made no requests at all?"
    foreign = [url for url in requested if not url.startswith(server.url + "/")]
    assert foreign == []  # no CDN, no fonts, no scripts from elsewhere
    assert any(url.endswith("/v1/assets/greenhouse.svg") for url in requested)
    assert any(url.endswith("/static/base.css") for url in requested)
