"""The shared web shell: static assets served locally, and a real Chromium can load them."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from atsbridge.web import csrf
from tests.browser import browser, page, screenshot  # noqa: F401  (fixtures)
from tests.conftest import Server


def test_base_css_is_served_locally(server: Server) -> None:
    response = httpx.get(server.url + "/static/base.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
    assert "http" not in response.text  # no remote fonts or imports


def test_csrf_tokens_bind_subject_and_expire() -> None:
    token = csrf.issue(b"k" * 32, "session-1")
    assert csrf.valid(b"k" * 32, "session-1", token)
    assert not csrf.valid(b"k" * 32, "session-2", token)
    assert not csrf.valid(b"other" * 8, "session-1", token)
    assert not csrf.valid(b"k" * 32, "session-1", csrf.issue(b"k" * 32, "session-1", ttl_seconds=-1))
    assert not csrf.valid(b"k" * 32, "session-1", None)


def test_chromium_renders_a_local_page(server: Server, page: Page) -> None:  # noqa: F811
    page.goto(server.url + "/static/base.css")
    assert "--accent" in page.content()
    assert screenshot(page, "web-shell").stat().st_size > 0
