"""The hosted Connect page over real HTTP (a browser without JavaScript): CSRF, wrong credentials with a
specific message, an event and a counted attempt, then the right ones creating the integration; relink end
to end; links that cannot be used; the setup (field mapping) page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from kombo import Kombo
from sqlalchemy import Engine, insert, select, update

from atsbridge.connect import links
from atsbridge.connect.i18n import STRINGS
from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.fakes import greenhouse as gh_fake
from atsbridge.store import platform
from atsbridge.store.tables import (
    connect_links,
    custom_field_mappings,
    custom_fields,
    integration_fields,
    integrations,
    sync_runs,
)
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.connect.helpers import csrf_of, events_of, submit, token_of


@pytest.fixture(scope="module")
def greenhouse() -> Iterator[str]:
    with serve_asgi(gh_fake.create_app(records=20)) as url:
        yield url


def new_link(server: Server, key: str, **kwargs: object) -> str:
    args = {"end_user_email": "hr@acme.example", "end_user_organization_name": "Acme", "integration_category": "ATS"}
    return Kombo(api_key=key, server_url=server.v1).connect.create_connection_link(**{**args, **kwargs}).data.link  # type: ignore[arg-type]


def gh_fields(base: str, secret: str) -> dict[str, str]:
    return {"client_id": "gh_client", "client_secret": secret, "base_url": f"{base}/v3", "token_url": f"{base}/token"}


def link_of(engine: Engine, link: str) -> links.Link:
    with engine.connect() as conn:
        found = links.find(conn, link.rsplit("/", 1)[1])
    assert found is not None
    return found


def test_picker_lists_connectable_tools_and_searches(server: Server, api_key: str) -> None:
    link = new_link(server, api_key)
    page = httpx.get(link)
    assert page.status_code == 200
    for tool in ("greenhouse", "lever", "sandbox", "personio"):
        assert f'data-tool="{tool}"' in page.text
        assert f'src="/v1/assets/{tool}.svg"' in page.text
    found = httpx.get(link, params={"q": "green"})
    assert 'data-tool="greenhouse"' in found.text and 'data-tool="lever"' not in found.text
    assert "No system matches" in httpx.get(link, params={"q": "zzz"}).text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text.replace(server.url, "") and "https://" not in page.text


def test_wrong_then_right_credentials(
    server: Server, engine: Engine, settings: Settings, api_key: str, environment: str, greenhouse: str
) -> None:
    link = new_link(server, api_key, end_user_origin_id="org-42")
    form = httpx.get(link, params={"tool": "greenhouse"})
    assert 'name="field_base_url"' in form.text  # development mode: host overrides offered

    no_csrf = httpx.post(
        link, data={"tool": "greenhouse", **{f"field_{k}": v for k, v in gh_fields(greenhouse, "x").items()}}
    )
    assert no_csrf.status_code == 403 and "expired" in no_csrf.text

    missing = submit(link, "greenhouse", {"client_id": "gh_client", "client_secret": ""})
    assert missing.status_code == 400 and "Client secret is required." in missing.text

    wrong = submit(link, "greenhouse", gh_fields(greenhouse, "not-the-secret"))
    assert wrong.status_code == 400
    assert "Greenhouse refused this client ID and secret (401)" in wrong.text
    assert "not-the-secret" not in wrong.text  # the secret is never echoed back
    assert 'value="gh_client"' in wrong.text  # non-secret values are kept
    row = link_of(engine, link)
    assert row.failed_attempts == 1 and row.last_error == "Greenhouse refused this client ID and secret (401)"
    failed = events_of(engine, environment, "connection-flow-failed")
    assert failed and failed[-1]["data"] == {
        "integration_tool": "greenhouse",
        "integration_category": "ATS",
        "end_user": {"organization_name": "Acme", "creator_email": "hr@acme.example", "origin_id": "org-42"},
        "log_url": f"{server.url}/dashboard/connect-links/{row.id}",
    }

    done = submit(link, "greenhouse", gh_fields(greenhouse, "gh_secret"))
    assert done.status_code == 200 and "Connected!" in done.text
    assert "atsbridge-connect" in done.text  # postMessage for the embedding app
    token = token_of(done.text)
    k = Kombo(api_key=api_key, server_url=server.v1)
    integration_id = k.connect.get_integration_by_token(token=token).data.id
    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
        queued = conn.execute(select(sync_runs).where(sync_runs.c.integration_id == integration_id)).all()
    assert integration is not None and integration.environment_id == environment
    assert integration.config == {"base_url": f"{greenhouse}/v3", "token_url": f"{greenhouse}/token"}
    assert integration.sealed_credentials is not None and b"gh_secret" not in integration.sealed_credentials
    assert (integration.end_user_email, integration.end_user_origin_id) == ("hr@acme.example", "org-42")
    assert [(r.type, r.status, r.trigger) for r in queued] == [("FULL", "QUEUED", "connect")]
    created = events_of(engine, environment, "integration-created")
    assert created[-1]["data"]["id"] == integration_id and created[-1]["data"]["category"] == "ATS"

    used = httpx.get(link)
    assert used.status_code == 410 and "already been used" in used.text
    again = submit_raw(link, token)
    assert again.status_code == 410

    sync_now(engine, settings, integration_id, full=True)
    scoped = Kombo(api_key=api_key, integration_id=integration_id, server_url=server.v1)
    jobs = scoped.ats.get_jobs()
    assert jobs is not None and jobs.result.data.results


def submit_raw(link: str, csrf: str) -> httpx.Response:
    return httpx.post(link, data={"csrf": csrf, "tool": "sandbox"})


def test_production_refuses_custom_hosts(engine: Engine, settings: Settings, api_key: str) -> None:
    from atsbridge.api.app import create_app

    hits: list[str] = []
    fake = gh_fake.create_app(records=5)

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            hits.append(scope["path"])
        await fake(scope, receive, send)

    prod = settings.model_copy(update={"mode": "production"})
    with serve_asgi(counting) as vendor, serve_asgi(create_app(prod, engine, migrate=False)) as url:
        server = Server(url)
        link = new_link(server, api_key, integration_tool="greenhouse")
        page = httpx.get(link)
        assert page.status_code == 200 and 'name="field_base_url"' not in page.text
        # posted anyway: ignored, so the check goes to the real Greenhouse hosts, never to the URL given
        tried = submit(link, "greenhouse", gh_fields(vendor, "gh_secret"))
        assert tried.status_code == 400 and "127.0.0.1" not in tried.text
    assert hits == []


def test_links_that_cannot_be_used(server: Server, engine: Engine, api_key: str) -> None:
    assert httpx.get(server.url + "/connect/not-a-link").status_code == 404
    expired = new_link(server, api_key)
    locked = new_link(server, api_key)
    with engine.begin() as conn:
        conn.execute(update(connect_links).where(connect_links.c.id == link_of(engine, expired).id)
                     .values(expires_at=utcnow()))  # fmt: skip
        conn.execute(update(connect_links).where(connect_links.c.id == link_of(engine, locked).id)
                     .values(failed_attempts=links.MAX_FAILED_ATTEMPTS))  # fmt: skip
    page = httpx.get(expired)
    assert page.status_code == 410 and "expired" in page.text and "Traceback" not in page.text
    assert httpx.get(locked).status_code == 410 and "locked" in httpx.get(locked).text


def test_ten_failures_lock_the_link(server: Server, engine: Engine, api_key: str, greenhouse: str) -> None:
    link = new_link(server, api_key, integration_tool="greenhouse", language="de")
    page = httpx.get(link)
    assert 'lang="de"' in page.text and "Greenhouse verbinden" in page.text
    token = csrf_of(page.text)
    for attempt in range(links.MAX_FAILED_ATTEMPTS):
        res = submit(link, "greenhouse", gh_fields(greenhouse, f"wrong{attempt}"), csrf=token)
        assert res.status_code == (400 if attempt < links.MAX_FAILED_ATTEMPTS - 1 else 410)
    assert link_of(engine, link).failed_attempts == links.MAX_FAILED_ATTEMPTS
    assert "gesperrt" in httpx.get(link).text


def test_relink_end_to_end(
    server: Server, engine: Engine, settings: Settings, api_key: str, environment: str, greenhouse: str
) -> None:
    """Broken credentials -> INVALID -> relink page -> the same integration is ACTIVE again and syncs."""
    k = Kombo(api_key=api_key, server_url=server.v1)
    link = new_link(server, api_key, integration_tool="greenhouse")
    integration_id = k.connect.get_integration_by_token(
        token=token_of(submit(link, "greenhouse", gh_fields(greenhouse, "gh_secret")).text)
    ).data.id
    # the customer rotates the secret in Greenhouse: our stored one is refused, the integration turns INVALID
    from atsbridge.store.credentials import credential_box

    stale = credential_box(engine, settings).seal({"client_id": "gh_client", "client_secret": "old"})
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == integration_id).values(
            status="INVALID", status_reason="Greenhouse refused the credentials (401)", credentials=stale))  # fmt: skip
    before = len(_all(engine, environment))
    relink = k.general.create_reconnection_link(integration_id=integration_id).data.link
    page = httpx.get(relink)
    assert page.status_code == 200 and "Reconnect Greenhouse" in page.text
    assert "Choose another system" not in page.text  # straight to the tool's form
    done = submit(relink, "greenhouse", gh_fields(greenhouse, "gh_secret"))
    assert done.status_code == 200, done.text[:500]
    assert k.connect.get_integration_by_token(token=token_of(done.text)).data.id == integration_id
    with engine.connect() as conn:
        fixed = platform.get_integration(conn, integration_id)
    assert fixed is not None and (fixed.status, fixed.status_reason) == ("ACTIVE", None)
    assert len(_all(engine, environment)) == before  # the same integration, repaired: no new one
    changed = [e for e in events_of(engine, environment, "integration-state-changed")
               if e["data"]["integration_id"] == integration_id]  # fmt: skip
    assert changed and changed[-1]["data"]["state"] == "ACTIVE"
    sync_now(engine, settings, integration_id, full=True)


def _all(engine: Engine, environment: str) -> list[platform.Integration]:
    with engine.connect() as conn:
        return platform.list_integrations(conn, environment)


def test_setup_page_maps_custom_fields(server: Server, engine: Engine, api_key: str, environment: str) -> None:
    k = Kombo(api_key=api_key, server_url=server.v1)
    link = new_link(server, api_key, integration_tool="sandbox", enable_field_mapping=True)
    integration_id = k.connect.get_integration_by_token(token=token_of(submit(link, "sandbox", {}).text)).data.id
    now = utcnow()
    cf_id, if_id = "cf_" + uuid.uuid4().hex[:10], "if_" + uuid.uuid4().hex[:10]
    with engine.begin() as conn:
        conn.execute(insert(custom_fields).values(id=cf_id, environment_id=environment, model="candidates",
                                                  key="shoe_size", label="Shoe size", created_at=now))  # fmt: skip
        conn.execute(insert(integration_fields).values(id=if_id, integration_id=integration_id, model="candidates",
                                                       key="shoeSize", type="CUSTOM", label="Shoe size",
                                                       first_seen_at=now, last_seen_at=now))  # fmt: skip
    setup = k.general.create_setup_link(integration_id=integration_id, link_type="EMBEDDED").data.link
    page = httpx.get(setup)
    assert page.status_code == 200 and "Shoe size" in page.text and f'value="{if_id}"' in page.text
    saved = httpx.post(setup + "/setup", data={"csrf": csrf_of(page.text), f"map_{cf_id}": if_id})
    assert saved.status_code == 200 and "saved" in saved.text
    with engine.connect() as conn:
        rows = conn.execute(select(custom_field_mappings).where(
            custom_field_mappings.c.integration_id == integration_id)).all()  # fmt: skip
        expired_at = conn.execute(select(integrations.c.data_expired_at).where(
            integrations.c.id == integration_id)).scalar_one()  # fmt: skip
    assert [(r.custom_field_id, r.integration_field_id) for r in rows] == [(cf_id, if_id)]
    assert expired_at is not None


def test_every_language_has_every_string() -> None:
    for language, strings in STRINGS.items():
        assert set(strings) == set(STRINGS["en"]), language
    assert orjson.dumps(STRINGS)  # plain data


def test_manual_webhooks_are_offered_after_connecting_and_the_first_event_is_seen(
    server: Server, engine: Engine, api_key: str, greenhouse: str
) -> None:
    """Greenhouse's webhooks are set up by hand: the success page shows the URL and secret (once), then tells
    the admin when Greenhouse's first event (its ping) arrived."""
    import re

    from atsbridge.connectors.greenhouse.webhooks import WEBHOOKS

    link = new_link(server, api_key, integration_tool="greenhouse")
    done = submit(link, "greenhouse", gh_fields(greenhouse, "gh_secret"))
    assert done.status_code == 200 and 'id="realtime-title"' in done.text
    url_match = re.search(r'id="realtime-url">([^<]+)<', done.text)
    secret_match = re.search(r'id="realtime-secret">([^<]+)<', done.text)
    assert url_match and secret_match
    url, secret = url_match.group(1), secret_match.group(1)
    assert url.startswith(f"{server.url}/v1/vendor-webhooks/")
    status = f"{link}/webhook-status"
    assert httpx.get(status).json() == {"received": False, "known": True}
    ping = orjson.dumps({"action": "ping", "payload": {"web_hook_id": 1}})
    signed = WEBHOOKS.verify.sign(ping, secret)  # type: ignore[attr-defined]
    delivered = httpx.post(url, content=ping, headers={**signed, "Greenhouse-Event-ID": str(uuid.uuid4())})
    assert delivered.status_code == 200, delivered.text
    assert httpx.get(status).json() == {"received": True, "known": True}
    # the status endpoint answers only for links that connected something recently
    other = new_link(server, api_key, integration_tool="greenhouse")
    assert httpx.get(f"{other}/webhook-status").status_code == 404
    assert httpx.get(f"{server.url}/connect/not-a-link/webhook-status").status_code == 404


def test_setup_page_sets_which_statuses_mean_hired_or_declined(
    server: Server, engine: Engine, settings: Settings, api_key: str
) -> None:
    """The customer's own stage names are offered; the outcome chosen for one becomes the integration's status
    map (what ``PUT .../status-map`` sets), which queues the FULL sync that rewrites the outcomes."""
    import re

    from atsbridge.fakes import homerun

    k = Kombo(api_key=api_key, server_url=server.v1)
    with serve_asgi(homerun.create_app(records=20, rate_limit=None)) as vendor:
        link = new_link(server, api_key, integration_tool="homerun")
        config, credentials = homerun.conformance_setup(vendor)
        fields = {**credentials, "base_url": config["base_url"]}
        integration_id = k.connect.get_integration_by_token(
            token=token_of(submit(link, "homerun", fields).text)
        ).data.id
        sync_now(engine, settings, integration_id, full=True)
    setup = k.general.create_setup_link(integration_id=integration_id, link_type="EMBEDDED").data.link
    page = httpx.get(setup)
    assert page.status_code == 200 and 'id="outcomes-title"' in page.text
    assert "map_" not in page.text, "no field-mapping step: the link did not enable it"
    offered = re.findall(r'<label for="outcome_(\d+)">([^<]+)</label>', page.text)
    assert offered, "the synced stage names are offered"
    index, name = offered[0]
    saved = httpx.post(setup + "/setup", data={"csrf": csrf_of(page.text), f"outcome_{index}": "DECLINED",
                                               "outcome_999": "HIRED"})  # fmt: skip
    assert saved.status_code == 200 and "saved" in saved.text
    with engine.connect() as conn:
        integration = platform.get_integration(conn, integration_id)
        queued = conn.execute(select(sync_runs.c.type, sync_runs.c.trigger).where(
            sync_runs.c.integration_id == integration_id, sync_runs.c.status == "QUEUED")).all()  # fmt: skip
    assert integration is not None
    assert integration.config["status_map"] == {name.replace("&amp;", "&"): "DECLINED"}, "an unknown index is ignored"
    assert "FULL" in [r.type for r in queued], "a FULL sync rewrites the outcomes (the queued one is reused)"
    assert integration.data_expired_at is not None
    # the API reads back what the page set
    answer = httpx.get(f"{server.v1}/integrations/{integration_id}/status-map",
                       headers={"Authorization": f"Bearer {api_key}"})  # fmt: skip
    assert answer.json()["data"]["status_map"] == integration.config["status_map"]
