"""The dashboard in headless Chromium, as an operator uses it: sign in, drill down, browse, sync now."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from atsbridge.core.config import Settings
from atsbridge.store.tables import sync_runs
from tests.browser import browser, page, screenshot  # noqa: F401  (fixtures)
from tests.conftest import Server
from tests.dashboard_fixtures import World, build_world


@pytest.fixture(scope="module")
def world(engine: Engine, settings: Settings) -> World:
    return build_world(engine, settings)


def test_operator_walks_the_dashboard(server: Server, world: World, page: Page, engine: Engine) -> None:  # noqa: F811
    iid = world.sandbox.integration_id
    env = world.sandbox.environment_id
    tag = "sqlite" if "sqlite" in str(engine.url) else "postgresql"

    page.goto(server.url + "/dashboard")
    expect(page).to_have_url(f"{server.url}/dashboard/login?next=/dashboard")
    page.fill("#token", "atsbop_wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("unknown or revoked operator token")
    screenshot(page, f"dashboard-{tag}-1-login-refused")
    page.fill("#token", world.token)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Overview")
    screenshot(page, f"dashboard-{tag}-2-overview")

    page.click(f"a[href='/dashboard/environments/{env}']")
    expect(page.locator("h1")).to_contain_text("Environment")
    expect(page.locator(f"a[href='/dashboard/integrations/{iid}']")).to_be_visible()
    screenshot(page, f"dashboard-{tag}-3-environment")

    page.click(f"a[href='/dashboard/integrations/{iid}']")
    expect(page.locator("h1")).to_contain_text("Sandbox Inc.")
    screenshot(page, f"dashboard-{tag}-4-integration")

    page.locator("a[href^='/dashboard/syncs/']").first.click()
    expect(page.locator("#run-status")).to_contain_text("SUCCEEDED")
    expect(page.locator("table").first).to_contain_text("candidates")
    screenshot(page, f"dashboard-{tag}-5-sync-run")

    page.locator("nav.crumbs a", has_text="Sandbox Inc.").click()
    page.click(f"a[href='/dashboard/integrations/{iid}/records/candidates']")
    expect(page.locator("h1")).to_have_text("candidates")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(50)
    screenshot(page, f"dashboard-{tag}-6-records")
    page.click("#next-page")
    expect(page.locator("a", has_text="First page")).to_be_visible()
    screenshot(page, f"dashboard-{tag}-7-records-page-2")

    page.locator("tbody tr td a").first.click()
    document = json.loads(page.locator("#record-data").inner_text())
    assert isinstance(document, dict) and document
    screenshot(page, f"dashboard-{tag}-8-record-json")

    page.locator("nav.crumbs a", has_text="Sandbox Inc.").click()
    page.click("#sync-full")
    expect(page.locator("#run-status")).to_contain_text("QUEUED")
    screenshot(page, f"dashboard-{tag}-9-sync-now")
    run_id = page.url.rsplit("/", 1)[1]
    with engine.connect() as conn:
        row = conn.execute(select(sync_runs.c.type, sync_runs.c.trigger).where(sync_runs.c.id == run_id)).one()
    assert (row.type, row.trigger) == ("FULL", "dashboard")

    page.goto(f"{server.url}/dashboard/environments/{env}/webhooks")
    expect(page.locator("h1")).to_have_text("Webhooks")
    screenshot(page, f"dashboard-{tag}-10-webhooks")
    page.goto(f"{server.url}/dashboard/connect-links/{world.link_id}")
    expect(page.locator("h1")).to_contain_text("Connect link")
    screenshot(page, f"dashboard-{tag}-11-connect-link")
