"""Shared setup for the dashboard tests: a synced sandbox with webhooks, a Connect link and an operator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import Engine, insert, select, update

from atsbridge.core.config import Settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.core.ids import hash_api_key, random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.dashboard import operators
from atsbridge.store.tables import connect_links, integrations, webhook_attempts, webhook_deliveries, webhook_endpoints
from atsbridge.webhooks.events import emit
from tests.conftest import Sandbox, make_sandbox

#: Secret values planted in the database: none may ever appear in a dashboard page.
VENDOR_SECRET = "vendor-api-secret-4f9a1c"
WEBHOOK_SECRET = "whsec_dashboard_test_7d2e"
LINK_TOKEN = "link-token-never-shown-83b1"

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


@dataclass(frozen=True)
class World:
    sandbox: Sandbox
    operator_id: str
    token: str
    link_id: str
    delivery_ids: list[str]
    failed_delivery_id: str
    link_token: str

    @property
    def secrets(self) -> list[str]:
        return [
            self.sandbox.key,
            hash_api_key(self.sandbox.key),
            self.token,
            operators.hash_token(self.token),
            VENDOR_SECRET,
            WEBHOOK_SECRET,
            self.link_token,
            hash_api_key(self.link_token),
        ]


def build_world(engine: Engine, settings: Settings) -> World:
    # In a thread of its own: Playwright's sync API may already run an event loop on this one.
    with ThreadPoolExecutor(1) as pool:
        sandbox = pool.submit(make_sandbox, engine, settings, 80, 5).result()
    box = CredentialBox(settings.secret_key.encode() if settings.secret_key else b"")
    now = utcnow()
    link_token = LINK_TOKEN + random_id(8)  # unique per world: token hashes are unique
    with engine.begin() as conn:
        conn.execute(
            update(integrations)
            .where(integrations.c.id == sandbox.integration_id)
            .values(credentials=box.seal({"api_key": VENDOR_SECRET}), end_user_email="ops@example.com")
        )
        operator_id, token = operators.create(conn, "tester")
        endpoint_id = "whe_" + random_id(20)
        conn.execute(
            insert(webhook_endpoints).values(
                id=endpoint_id,
                environment_id=sandbox.environment_id,
                url="https://hooks.example.com/atsbridge",
                description="test endpoint",
                secret=box.seal({"secret": WEBHOOK_SECRET}),
                event_types=None,
                enabled=True,
                created_at=now,
                updated_at=now,
            )
        )
        for _ in range(3):
            emit(
                conn,
                environment_id=sandbox.environment_id,
                type="sync-finished",
                data={"integration_id": sandbox.integration_id},
                integration_id=sandbox.integration_id,
            )
        link_id = "cl_" + random_id(20)
        conn.execute(
            insert(connect_links).values(
                id=link_id,
                environment_id=sandbox.environment_id,
                token_hash=hash_api_key(link_token),
                purpose="connect",
                integration_id=sandbox.integration_id,
                end_user_organization_name="Linked Org",
                end_user_email="enduser@example.com",
                integration_tool="greenhouse",
                options="{}",
                created_at=now,
                expires_at=now + timedelta(days=7),
                failed_attempts=2,
                last_error="INTEGRATION.AUTHENTICATION_INVALID: the API key was rejected",
            )
        )
    with engine.connect() as conn:
        ids = [
            r.id
            for r in conn.execute(
                select(webhook_deliveries.c.id).where(webhook_deliveries.c.environment_id == sandbox.environment_id)
            )
        ]
    failed = ids[0]
    with engine.begin() as conn:
        conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == failed)
            .values(status="FAILED", attempts=2, last_status_code=500, last_error="HTTP 500 from endpoint")
        )
        conn.execute(
            insert(webhook_attempts),
            [
                {
                    "delivery_id": failed,
                    "attempt": 1,
                    "at": now,
                    "status_code": 500,
                    "error": "boom",
                    "duration_ms": 12,
                },
                {"delivery_id": failed, "attempt": 2, "at": now, "status_code": 500, "error": "boom", "duration_ms": 9},
            ],
        )
    return World(sandbox, operator_id, token, link_id, ids, failed, link_token)


def csrf_of(html: str) -> str:
    """The page's CSRF token, checking that every form on it carries the same, non-empty one."""
    found = set(CSRF_RE.findall(html))
    assert len(found) == 1 and "" not in found, f"forms carry CSRF tokens {found}"
    return found.pop()


@contextmanager
def login(base_url: str, token: str) -> Iterator[httpx.Client]:
    """An httpx client signed in to the dashboard as the operator owning ``token``."""
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as client:
        yield _signed_in(client, token)


def _signed_in(client: httpx.Client, token: str) -> httpx.Client:
    form = client.get("/dashboard/login")
    assert form.status_code == 200
    response = client.post(
        "/dashboard/login", data={"token": token, "csrf_token": csrf_of(form.text), "next": "/dashboard"}
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard"
    return client


def new_operator(engine: Engine, name: str) -> tuple[str, str]:
    with engine.begin() as conn:
        return operators.create(conn, name)
