"""The operator dashboard over real HTTP against the live server, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import httpx
import orjson
import pytest
from sqlalchemy import Engine, insert, select, update

from atsbridge.api.app import create_app
from atsbridge.core.config import Settings
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.dashboard import operators, session
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, api_keys, integrations, sync_runs, webhook_deliveries
from atsbridge.testing import serve_asgi
from tests.conftest import Server
from tests.dashboard_fixtures import World, build_world, csrf_of, login, new_operator


@pytest.fixture(scope="module")
def world(engine: Engine, settings: Settings) -> World:
    return build_world(engine, settings)


@pytest.fixture
def client(server: Server, world: World) -> Iterator[httpx.Client]:
    with login(server.url, world.token) as signed_in:
        yield signed_in


def _pages(world: World) -> list[str]:
    iid = world.sandbox.integration_id
    env = world.sandbox.environment_id
    return [
        "/dashboard",
        f"/dashboard/environments/{env}",
        f"/dashboard/integrations/{iid}",
        f"/dashboard/environments/{env}/webhooks",
        f"/dashboard/environments/{env}/webhooks?status=FAILED",
        f"/dashboard/connect-links/{world.link_id}",
        f"/dashboard/integrations/{iid}/records/candidates",
        f"/dashboard/integrations/{iid}/records/jobs?deleted=1",
    ]


# ------------------------------------------------------------------------------------------------ auth


def test_no_cookie_redirects_to_login(server: Server, world: World) -> None:
    for path in _pages(world):
        response = httpx.get(server.url + path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/dashboard/login?next=/dashboard")


def test_login_page_and_wrong_token(server: Server) -> None:
    with httpx.Client(base_url=server.url) as anonymous:
        form = anonymous.get("/dashboard/login")
        assert form.status_code == 200 and "Operator token" in form.text
        wrong = anonymous.post(
            "/dashboard/login", data={"token": "atsbop_nope", "csrf_token": csrf_of(form.text), "next": "/dashboard"}
        )
        assert wrong.status_code == 401
        assert "unknown or revoked operator token" in wrong.text
        assert session.COOKIE_NAME not in anonymous.cookies
        # A login form posted without its CSRF token is refused even with a valid-looking token.
        forged = anonymous.post("/dashboard/login", data={"token": "atsbop_nope"})
        assert forged.status_code == 403


def test_session_cookie_flags(server: Server, world: World) -> None:
    with httpx.Client(base_url=server.url) as c:
        form = c.get("/dashboard/login")
        response = c.post(
            "/dashboard/login",
            data={"token": world.token, "csrf_token": csrf_of(form.text), "next": "//evil.example/x"},
            follow_redirects=False,
        )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"  # no open redirect
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and session.COOKIE_NAME in v)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # public_url is not https in tests


def test_forged_or_expired_cookie_is_refused(server: Server, world: World) -> None:
    forged = f"{world.operator_id}.abc.9999999999.AAAA"
    response = httpx.get(server.url + "/dashboard", cookies={session.COOKIE_NAME: forged}, follow_redirects=False)
    assert response.status_code == 303
    secret = b"whatever"
    cookie, _ = session.issue(secret, world.operator_id, now=0)
    assert session.read(secret, cookie) is None  # expired 12 h after 1970


def test_revoked_operator_cookie_is_refused(server: Server, engine: Engine, world: World) -> None:
    operator_id, token = new_operator(engine, "leaver")
    with login(server.url, token) as c:
        assert c.get("/dashboard").status_code == 200
        with engine.begin() as conn:
            assert operators.revoke(conn, operator_id)
        response = c.get("/dashboard")
        assert response.status_code == 303 and response.headers["location"].startswith("/dashboard/login")
    # and the token no longer signs in
    with httpx.Client(base_url=server.url) as anonymous:
        form = anonymous.get("/dashboard/login")
        refused = anonymous.post("/dashboard/login", data={"token": token, "csrf_token": csrf_of(form.text)})
        assert refused.status_code == 401


def test_post_without_csrf_is_403(client: httpx.Client, world: World, engine: Engine) -> None:
    env = world.sandbox.environment_id
    response = client.post(f"/dashboard/environments/{env}/keys", data={"name": "sneaky"})
    assert response.status_code == 403
    assert "csrf_token" in response.text
    foreign = client.post(
        f"/dashboard/integrations/{world.sandbox.integration_id}/sync",
        data={"type": "FULL", "csrf_token": "9999999999.bm90LWEtbWFj"},
    )
    assert foreign.status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(api_keys.c.id).where(api_keys.c.name == "sneaky")).first() is None


def test_logout_ends_the_browser_session(server: Server, world: World) -> None:
    with login(server.url, world.token) as c:
        page = c.get("/dashboard")
        response = c.post("/dashboard/logout", data={"csrf_token": csrf_of(page.text)})
        assert response.status_code == 303
        assert c.get("/dashboard").status_code == 303


# ------------------------------------------------------------------------------------------------ pages


def test_every_page_renders_real_data(client: httpx.Client, world: World, engine: Engine) -> None:
    iid = world.sandbox.integration_id
    env = world.sandbox.environment_id
    overview = client.get("/dashboard")
    assert overview.status_code == 200
    assert env in overview.text and "webhook deliveries failed" in overview.text

    environment = client.get(f"/dashboard/environments/{env}")
    assert environment.status_code == 200
    assert iid in environment.text and "SUCCEEDED" in environment.text
    assert world.sandbox.key[:9] in environment.text  # the key prefix, never the key
    assert "Next sync" in environment.text and world.link_id in environment.text

    integration = client.get(f"/dashboard/integrations/{iid}")
    assert integration.status_code == 200
    assert "ops@example.com" in integration.text and "Sync now" in integration.text
    with engine.connect() as conn:
        run_id = conn.execute(select(sync_runs.c.id).where(sync_runs.c.integration_id == iid)).scalar_one()
        candidates = conn.execute(
            select(MODEL_TABLES["candidates"].c.id).where(MODEL_TABLES["candidates"].c.integration_id == iid)
        ).all()
    assert f"/dashboard/syncs/{run_id}" in integration.text
    assert "/records/candidates" in integration.text
    assert f"{len(candidates):,}" in integration.text

    run = client.get(f"/dashboard/syncs/{run_id}")
    assert run.status_code == 200
    assert "FULL" in run.text and "candidates" in run.text and "Mapping errors" in run.text

    link = client.get(f"/dashboard/connect-links/{world.link_id}")
    assert link.status_code == 200
    assert "Linked Org" in link.text and "AUTHENTICATION_INVALID" in link.text and "greenhouse" in link.text

    hooks = client.get(f"/dashboard/environments/{env}/webhooks")
    assert hooks.status_code == 200
    assert "https://hooks.example.com/atsbridge" in hooks.text and "sync-finished" in hooks.text
    assert hooks.text.count("Redeliver") == len(world.delivery_ids)
    assert "HTTP 500" in hooks.text and "#2" in hooks.text  # the attempt log
    failed_only = client.get(f"/dashboard/environments/{env}/webhooks?status=FAILED")
    assert failed_only.text.count("Redeliver") == 1


def test_missing_things_are_html_404s(client: httpx.Client, world: World) -> None:
    iid = world.sandbox.integration_id
    for path in (
        "/dashboard/environments/env_nope",
        "/dashboard/integrations/sandbox:nope",
        "/dashboard/syncs/sync_nope",
        "/dashboard/connect-links/cl_nope",
        f"/dashboard/integrations/{iid}/records/widgets",
        f"/dashboard/integrations/{iid}/records/candidates/nope",
        "/dashboard/environments/env_nope/webhooks",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]


def test_no_secret_in_any_page(client: httpx.Client, world: World) -> None:
    iid = world.sandbox.integration_id
    pages = _pages(world)
    first_candidate = re.search(r"/records/candidates/(\w+)", client.get(pages[6]).text)
    assert first_candidate
    pages.append(f"/dashboard/integrations/{iid}/records/candidates/{first_candidate.group(1)}")
    for path in pages:
        html = client.get(path).text
        for secret in world.secrets:
            assert secret not in html, f"{path} shows a secret"


# ------------------------------------------------------------------------------------------------ actions


def test_sync_now_queues_a_run(client: httpx.Client, world: World, engine: Engine) -> None:
    iid = world.sandbox.integration_id
    page = client.get(f"/dashboard/integrations/{iid}")
    response = client.post(
        f"/dashboard/integrations/{iid}/sync", data={"type": "DELTA", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303
    run_id = response.headers["location"].rsplit("/", 1)[1]
    with engine.connect() as conn:
        row = conn.execute(select(sync_runs).where(sync_runs.c.id == run_id)).one()
    assert (row.integration_id, row.type, row.status, row.trigger) == (iid, "DELTA", "QUEUED", "dashboard")
    shown = client.get(response.headers["location"])
    assert shown.status_code == 200 and "QUEUED" in shown.text and "dashboard" in shown.text
    again = client.post(f"/dashboard/integrations/{iid}/sync", data={"type": "DELTA", "csrf_token": csrf_of(page.text)})
    assert again.headers["location"] == response.headers["location"]  # one queued run per type
    bad = client.post(
        f"/dashboard/integrations/{iid}/sync", data={"type": "SOMETIMES", "csrf_token": csrf_of(page.text)}
    )
    assert bad.status_code == 400 and "type: must be FULL or DELTA" in bad.text


def test_redeliver_resets_a_delivery(client: httpx.Client, world: World, engine: Engine) -> None:
    env = world.sandbox.environment_id
    page = client.get(f"/dashboard/environments/{env}/webhooks?status=FAILED")
    response = client.post(
        f"/dashboard/environments/{env}/webhooks/deliveries/{world.failed_delivery_id}/redeliver",
        data={"csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 303
    with engine.connect() as conn:
        row = conn.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == world.failed_delivery_id)).one()
    assert row.status == "PENDING" and row.locked_until is None
    assert row.give_up_at > row.next_attempt_at
    assert (row.give_up_at - row.next_attempt_at).total_seconds() == pytest.approx(24 * 3600, abs=5)
    # Another environment's URL cannot reach the delivery.
    foreign = client.post(
        f"/dashboard/environments/env_other/webhooks/deliveries/{world.failed_delivery_id}/redeliver",
        data={"csrf_token": csrf_of(page.text)},
    )
    assert foreign.status_code == 404


def test_create_and_revoke_api_key(client: httpx.Client, world: World, server: Server) -> None:
    env = world.sandbox.environment_id
    page = client.get(f"/dashboard/environments/{env}")
    created = client.post(
        f"/dashboard/environments/{env}/keys", data={"name": "from-dashboard", "csrf_token": csrf_of(page.text)}
    )
    assert created.status_code == 200
    key = re.search(r'id="new-key">(atsb_[^<]+)<', created.text)
    assert key, "the new key is shown once"
    auth = {"Authorization": f"Bearer {key.group(1)}", "X-Integration-Id": world.sandbox.integration_id}
    assert httpx.get(server.v1 + "/ats/jobs", headers=auth).status_code == 200
    # Shown once: the environment page afterwards does not contain it.
    after = client.get(f"/dashboard/environments/{env}")
    assert key.group(1) not in after.text and "from-dashboard" in after.text
    key_id = re.search(
        r'/keys/(key_\w+)/revoke" *>[^<]*<input[^>]*>\s*<button[^>]*data-key="from-dashboard"', after.text
    )
    assert key_id
    revoked = client.post(
        f"/dashboard/environments/{env}/keys/{key_id.group(1)}/revoke", data={"csrf_token": csrf_of(after.text)}
    )
    assert revoked.status_code == 303
    assert "REVOKED" in client.get(f"/dashboard/environments/{env}").text
    empty = client.post(f"/dashboard/environments/{env}/keys", data={"name": " ", "csrf_token": csrf_of(after.text)})
    assert empty.status_code == 400 and "name:" in empty.text


# ------------------------------------------------------------------------------------------------ records


def test_record_browser_pages_and_searches(client: httpx.Client, world: World, engine: Engine) -> None:
    iid = world.sandbox.integration_id
    table = MODEL_TABLES["candidates"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.id, table.c.remote_id)
            .where(table.c.integration_id == iid, table.c.remote_deleted_at.is_(None))
            .order_by(table.c.id)
        ).all()
    assert len(rows) > 50, "the sandbox has more than one page of candidates"
    base = f"/dashboard/integrations/{iid}/records/candidates"
    seen: list[str] = []
    url: str | None = base
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += re.findall(rf'href="{re.escape(base)}/(\w+)"', page.text)
        found = re.search(r'href="([^"]+)" id="next-page"', page.text)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [r.id for r in rows]

    by_remote = client.get(base, params={"q": rows[3].remote_id})
    assert re.findall(rf'href="{re.escape(base)}/(\w+)"', by_remote.text) == [rows[3].id]
    by_id = client.get(base, params={"q": rows[7].id})
    assert re.findall(rf'href="{re.escape(base)}/(\w+)"', by_id.text) == [rows[7].id]

    record = client.get(f"{base}/{rows[0].id}")
    assert record.status_code == 200
    stored = re.search(r'<pre id="record-data">(.*?)</pre>', record.text, re.S)
    assert stored and rows[0].remote_id in record.text
    document = json.loads(html.unescape(stored.group(1)))
    with engine.connect() as conn:
        raw = conn.execute(select(table.c.data).where(table.c.id == rows[0].id)).scalar_one()
    assert document == json.loads(raw)


def test_cookie_is_secure_behind_https(engine: Engine, settings: Settings, world: World) -> None:
    """With an https public URL the session cookie is only ever sent over TLS."""
    https_settings = settings.model_copy(update={"public_url": "https://atsbridge.example.com"})
    with serve_asgi(create_app(https_settings, engine, migrate=False)) as url, httpx.Client(base_url=url) as c:
        form = c.get("/dashboard/login")
        assert "Secure" in form.headers["set-cookie"]
        nonce = form.headers["set-cookie"].split(";")[0]  # a browser sends it back over TLS only
        response = c.post(
            "/dashboard/login",
            data={"token": world.token, "csrf_token": csrf_of(form.text)},
            headers={"Cookie": nonce},
        )
    assert response.status_code == 303
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and session.COOKIE_NAME in v)
    assert "Secure" in cookie


def test_unhealthy_integrations_are_flagged(client: httpx.Client, world: World, engine: Engine) -> None:
    """An INVALID integration and one whose last run failed after tripping the breaker reach the overview."""
    env = world.sandbox.environment_id
    now = utcnow()
    with engine.begin() as conn:
        invalid = platform.create_integration(conn, env, "greenhouse", "Broken Creds Ltd")
        conn.execute(
            update(integrations)
            .where(integrations.c.id == invalid)
            .values(status="INVALID", status_reason="Greenhouse answered 401 to the API key")
        )
        failing = platform.create_integration(conn, env, "lever", "Flaky Corp")
        conn.execute(
            insert(sync_runs).values(
                id="sync_" + random_id(20),
                integration_id=failing,
                type="FULL",
                status="FAILED",
                queued_at=now,
                started_at=now,
                finished_at=now,
                trigger="scheduler",
                stats=orjson.dumps({"models": {}, "breaker_trips": ["candidates: 60% would be deleted"]}).decode(),
                error="REMOTE.SERVICE_UNAVAILABLE: Lever answered 503",
            )
        )
    overview = client.get("/dashboard").text
    assert invalid in overview and "Greenhouse answered 401" in overview
    assert failing in overview
    assert re.search(r'<div class="n">([1-9]\d*)</div><div class="l">breaker trips', overview)
    environment = client.get(f"/dashboard/environments/{env}").text
    assert "Lever answered 503" in environment and "INVALID" in environment
    assert '<span class="badge warn">1</span>' in environment  # breaker trips in the last 24 h
    integration = client.get(f"/dashboard/integrations/{failing}").text
    assert "breaker" in integration and "FAILED" in integration


def test_disable_enable_and_delete_from_the_dashboard(client: httpx.Client, engine: Engine, settings: Settings) -> None:
    from tests.conftest import make_sandbox

    sbx = make_sandbox(engine, settings, "tiny", seed=31)
    iid = sbx.integration_id
    page = client.get(f"/dashboard/integrations/{iid}")
    token = csrf_of(page.text)
    assert 'id="toggle-enabled">Disable<' in page.text

    off = client.post(f"/dashboard/integrations/{iid}/enabled", data={"value": "false", "csrf_token": token})
    assert off.status_code == 303
    with engine.connect() as conn:
        assert platform.get_integration(conn, iid).enabled is False  # type: ignore[union-attr]
    shown = client.get(f"/dashboard/integrations/{iid}")
    assert 'id="toggle-enabled">Enable<' in shown.text and "INACTIVE" in shown.text
    on = client.post(f"/dashboard/integrations/{iid}/enabled", data={"value": "true", "csrf_token": token})
    assert on.status_code == 303
    with engine.connect() as conn:
        assert platform.get_integration(conn, iid).enabled is True  # type: ignore[union-attr]

    wrong = client.post(f"/dashboard/integrations/{iid}/delete", data={"confirm": "nope", "csrf_token": token})
    assert wrong.status_code == 400 and "type the organisation name" in html.unescape(wrong.text)
    with engine.connect() as conn:
        assert platform.get_integration(conn, iid) is not None
    gone = client.post(f"/dashboard/integrations/{iid}/delete", data={"confirm": "Sandbox Inc.", "csrf_token": token})
    assert gone.status_code == 303 and gone.headers["location"] == f"/dashboard/environments/{sbx.environment_id}"
    with engine.connect() as conn:
        assert platform.get_integration(conn, iid) is None
        assert (
            conn.execute(select(MODEL_TABLES["jobs"].c.id).where(MODEL_TABLES["jobs"].c.integration_id == iid)).first()
            is None
        )
    assert client.get(f"/dashboard/integrations/{iid}").status_code == 404


# ------------------------------------------------------------------------------------------------ issue 13


def test_a_running_sync_page_refreshes_itself_until_the_run_finishes(
    client: httpx.Client, world: World, engine: Engine
) -> None:
    env = world.sandbox.environment_id
    run_id = "sync_" + random_id(20)
    now = utcnow()
    with engine.begin() as conn:
        iid = platform.create_integration(conn, env, "sandbox", "Refresh Co")
        conn.execute(
            insert(sync_runs).values(
                id=run_id, integration_id=iid, type="FULL", status="QUEUED", queued_at=now, trigger="manual", stats="{}"
            )
        )
    refresh = re.compile(r'<meta http-equiv="refresh" content="\d+">')
    for status in ("QUEUED", "RUNNING"):
        with engine.begin() as conn:
            conn.execute(update(sync_runs).where(sync_runs.c.id == run_id).values(status=status, started_at=now))
        page = client.get(f"/dashboard/syncs/{run_id}")
        assert page.status_code == 200 and refresh.search(page.text), status
        assert 'id="auto-refresh"' in page.text
    with engine.begin() as conn:
        conn.execute(update(sync_runs).where(sync_runs.c.id == run_id).values(status="SUCCEEDED", finished_at=now))
    finished = client.get(f"/dashboard/syncs/{run_id}")
    assert finished.status_code == 200 and "SUCCEEDED" in finished.text
    assert not refresh.search(finished.text) and 'id="auto-refresh"' not in finished.text


def test_webhook_page_folds_long_attempt_logs(client: httpx.Client, engine: Engine, settings: Settings) -> None:
    from atsbridge.core.crypto import CredentialBox
    from atsbridge.dashboard.queries.webhooks import FULL_ERROR_CHARS, INLINE_ERROR_CHARS, RECENT_ATTEMPTS
    from atsbridge.store.tables import webhook_attempts, webhook_endpoints
    from atsbridge.webhooks.events import emit

    now = utcnow()
    box = CredentialBox(b"x" * 32)
    long_error = "receiver said: " + "<html>" + "x" * 6000  # an error page with no space to wrap at
    with engine.begin() as conn:
        env = platform.create_environment(conn, "long-logs")
        conn.execute(
            insert(webhook_endpoints).values(
                id="whe_" + random_id(20), environment_id=env, url="https://hooks.example.com/" + "p" * 300,
                description=None, secret=box.seal({"secret": "s"}), event_types=None, enabled=True,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        emit(conn, environment_id=env, type="sync-finished", data={})
        delivery_id = conn.execute(
            select(webhook_deliveries.c.id).where(webhook_deliveries.c.environment_id == env)
        ).scalar_one()
        conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery_id)
            .values(attempts=12, last_status_code=502, last_error=long_error)
        )
        conn.execute(
            insert(webhook_attempts),
            [
                {"delivery_id": delivery_id, "attempt": n, "at": now, "status_code": 502, "error": f"#{n} {long_error}",
                 "duration_ms": 40}
                for n in range(1, 13)
            ],
        )  # fmt: skip
    page = client.get(f"/dashboard/environments/{env}/webhooks")
    assert page.status_code == 200
    row = page.text[page.text.index(f'id="delivery-{delivery_id}"') :]
    row = row[: row.index("</tr>")]
    inline, folded = row.split('<details class="attempts">')
    # Inline: the latest attempts only, their errors cut short.
    assert re.findall(r"<small>#(\d+) ", inline) == [str(n) for n in range(13 - RECENT_ATTEMPTS, 13)]
    assert all(len(html.unescape(e)) <= INLINE_ERROR_CHARS for e in re.findall(r'class="err-text">([^<]*)<', inline))
    # Folded: every attempt, each error bounded.
    assert "All 12 attempts" in folded
    assert re.findall(r"<small>#(\d+) ", folded) == [str(n) for n in range(1, 13)]
    errors = [html.unescape(e) for e in re.findall(r'class="err-text">([^<]*)<', folded)]
    assert len(errors) == 12 and all(INLINE_ERROR_CHARS < len(e) <= FULL_ERROR_CHARS for e in errors)
    assert len(row) < 12 * FULL_ERROR_CHARS * 2  # the 6 kB errors are not printed whole
    css = client.get("/static/dashboard.css").text
    assert "overflow-wrap:anywhere" in css and "details.attempts" in css


def test_application_rows_are_labelled_with_candidate_and_job(
    client: httpx.Client, world: World, engine: Engine
) -> None:
    iid = world.sandbox.integration_id
    apps, candidates, jobs = (MODEL_TABLES[m] for m in ("applications", "candidates", "jobs"))
    with engine.connect() as conn:
        first = conn.execute(
            select(apps.c.id, apps.c.candidate_id, apps.c.job_id)
            .where(apps.c.integration_id == iid, apps.c.remote_deleted_at.is_(None))
            .order_by(apps.c.id)
            .limit(1)
        ).one()
        # Record ids are unique per integration only: always scope the lookup.
        person, job = (
            orjson.loads(
                conn.execute(select(t.c.data).where(t.c.integration_id == iid, t.c.id == record_id)).scalar_one()
            )
            for t, record_id in ((candidates, first.candidate_id), (jobs, first.job_id))
        )
    page = client.get(f"/dashboard/integrations/{iid}/records/applications")
    assert page.status_code == 200
    label = re.search(
        rf"<code>{first.id}</code></a></td>\s*<td><code>[^<]*</code></td>\s*<td>([^<]*)</td>", page.text
    )
    assert label, page.text
    assert html.unescape(label.group(1)) == f"{person['first_name']} {person['last_name']} · {job['name']}"
