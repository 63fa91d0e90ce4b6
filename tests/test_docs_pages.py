"""The pages a new user opens first: ``GET /`` and the API reference at ``/v1/docs``, with no internet.

The docs page once loaded Swagger UI from a CDN and was blank offline; its assets are now served locally.
"""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, Route

from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.conftest import Server

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_root_points_to_the_dashboard_and_the_docs(server: Server) -> None:
    response = httpx.get(server.url + "/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    links = set(re.findall(r'href="([^"]+)"', response.text))
    assert {"/dashboard", "/v1/docs"} <= links
    for link in links:
        assert httpx.get(server.url + link).status_code in (200, 303), link


def test_the_docs_page_references_no_external_host(server: Server) -> None:
    response = httpx.get(server.v1 + "/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert re.findall(r"(?:https?:)?//[\w.-]+", response.text) == []
    assets = ASSET.findall(response.text)
    assert len(assets) == 3  # stylesheet, icon, script
    for asset in assets:
        assert asset.startswith("/static/swagger-ui/"), asset
        served = httpx.get(server.url + asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 500, asset
    assert "/v1/openapi.json" in response.text


def test_the_docs_assets_are_swagger_ui_5(server: Server) -> None:
    js = httpx.get(server.url + "/static/swagger-ui/swagger-ui-bundle.js")
    css = httpx.get(server.url + "/static/swagger-ui/swagger-ui.css")
    assert "javascript" in js.headers["content-type"] and "SwaggerUIBundle" in js.text
    assert css.headers["content-type"].startswith("text/css")
    # Swagger UI 4 answers "Unable to render this definition" to the OpenAPI 3.1 document FastAPI publishes.
    assert httpx.get(server.v1 + "/openapi.json").json()["openapi"].startswith("3.1")
    assert 'PACKAGE_VERSION:"5.' in js.text


def test_swagger_ui_renders_the_api_with_every_other_host_unreachable(server: Server, page: Page) -> None:  # noqa: F811
    outside: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:  # what a host without internet sees
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(server.v1 + "/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() > 20  # the operations of /v1/openapi.json, rendered
    assert "atsbridge" in page.locator(".title").first.inner_text()
    assert outside == []
