"""The contract suite's harness: one integration of a tool against its fake served on a real port, read
through the SDK over real HTTP and controlled only through the fake's control API (``/__fake/...``), so the
same scenario runs unchanged on every fake, engine-built or not.

A tool takes part when ``atsbridge.fakes.<tool>`` offers ``create_app`` and ``conformance_setup``; its truth
(remote ids per model) and resource -> model map come from ``GET /__fake/state``.
"""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from kombo import Kombo
from sqlalchemy import Engine, select

from atsbridge.connect.service import create_integration
from atsbridge.connectors.registry import BUILTIN, get_connector
from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.test_wire_sdk import drain


def tools_with_fakes() -> list[str]:
    out = []
    for tool in sorted(BUILTIN):
        try:
            module = importlib.import_module(f"atsbridge.fakes.{tool}")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "conformance_setup") and hasattr(module, "create_app"):
            out.append(tool)
    return out


TOOLS = tools_with_fakes()
#: One environment (and API key) per database for the whole suite: each scenario has its own integration, and
#: hundreds of environments would crowd the dashboard's overview that later tests read.
_SHARED: dict[str, tuple[str, str]] = {}


def shared_environment(engine: Engine) -> tuple[str, str]:
    """(environment id, API key) of the contract suite in this database."""
    url = str(engine.url)
    if url not in _SHARED:
        with engine.begin() as conn:
            env = platform.create_environment(conn, f"contract-{uuid.uuid4().hex[:6]}")
            _SHARED[url] = (env, platform.create_api_key(conn, env, "contract"))
    return _SHARED[url]


SDK_LISTS = {"candidates": "get_candidates", "applications": "get_applications", "jobs": "get_jobs"}


def contract_models(tool: str) -> tuple[str, ...]:
    """The models the sync scenarios check for ``tool``: candidates and applications wherever the connector
    serves them (its fake must state their truth), jobs for a connector that serves neither (a careers API)."""
    served = get_connector(tool).capabilities.models
    return tuple(m for m in ("candidates", "applications") if m in served) or ("jobs",)


@dataclass
class Live:
    tool: str
    url: str
    integration_id: str
    key: str
    engine: Engine
    settings: Settings
    server_v1: str

    # ------------------------------------------------------------------------------- control API
    def control(self, method: str, path: str, body: Any = None) -> Any:
        answer = httpx.request(method, f"{self.url}/__fake/{path}", json=body, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def state(self) -> dict[str, Any]:
        return dict(self.control("GET", "state"))

    def simulate(self, steps: int, seed: int) -> list[dict[str, str]]:
        return list(self.control("POST", "simulate", {"steps": steps, "seed": seed})["changes"])

    def arm(self, **fault: Any) -> None:
        self.control("POST", "faults", fault)

    def disarm(self) -> None:
        self.control("DELETE", "faults")

    # ------------------------------------------------------------------------------------- syncs
    def sync(self, *, full: bool | None = None) -> SyncResult:
        return asyncio.run(SyncEngine(self.engine, self.settings).run(self.integration_id, full=full))

    # ----------------------------------------------------------------------------------- reading
    def sdk(self) -> Kombo:
        return Kombo(api_key=self.key, integration_id=self.integration_id, server_url=self.server_v1)

    def remote_ids(self, model: str, **filters: Any) -> set[str]:
        """Remote ids the unified API lists for ``model`` (through the SDK, over HTTP)."""
        rows = drain(getattr(self.sdk().ats, SDK_LISTS[model]), page_size=250, **filters)
        return {str(r.remote_id) for r in rows}

    def stored(self, model: str) -> dict[str, tuple[datetime, datetime | None]]:
        """remote id -> (changed_at, remote_deleted_at) as stored, deleted records included."""
        table = MODEL_TABLES[model]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table.c.remote_id, table.c.changed_at, table.c.remote_deleted_at).where(
                    table.c.integration_id == self.integration_id
                )
            )
            return {str(r.remote_id): (r.changed_at, r.remote_deleted_at) for r in rows}

    def integration_status(self) -> str:
        with self.engine.connect() as conn:
            found = platform.get_integration(conn, self.integration_id)
        assert found is not None
        return found.status


@contextmanager
def live(
    tool: str, engine: Engine, settings: Settings, server_v1: str, config: dict[str, Any] | None = None, **app: Any
) -> Iterator[Live]:
    """A fresh tenant of ``tool``'s fake (seed 3, about 30 applications, no rate limit unless given) with a
    fresh integration pointed at it (``config`` added to the fake's own)."""
    fake = importlib.import_module(f"atsbridge.fakes.{tool}")
    env, key = shared_environment(engine)
    served = fake.create_app(**{"seed": 3, "records": 30, "rate_limit": None, **app})
    with serve_asgi(served) as url:
        config_extra = config
        config, credentials = fake.conformance_setup(url)
        config = {**config, "sync_all_applications": True, **(config_extra or {})}
        iid = create_integration(engine, settings, env, tool, "Contract", config=config, credentials=credentials)
        try:
            yield Live(tool, url, iid, key, engine, settings, server_v1)
        finally:
            with engine.begin() as conn:  # nothing left for a scheduler to chase once the fake is gone
                conn.execute(
                    platform.integrations.update().where(platform.integrations.c.id == iid).values(enabled=False)
                )


def issue_vendor_webhook(v1: str, live: Live) -> dict[str, Any]:
    """``PUT .../vendor-webhook`` as the customer's admin does: the URL (and secret) to paste at the vendor.
    Calling it again rotates them."""
    url = f"{v1}/integrations/{live.integration_id}/vendor-webhook"
    answer: dict[str, Any] = httpx.put(url, headers={"Authorization": f"Bearer {live.key}"}, timeout=30).json()["data"]
    return answer


def json_poster(default: bytes) -> Callable[..., httpx.Response]:
    """A vendor's delivery: POST ``body`` (``default`` unless given) as JSON to ``to``, with extra headers."""

    def deliver(to: str, body: bytes = default, **headers: str) -> httpx.Response:
        return httpx.post(to, content=body, headers={"Content-Type": "application/json", **headers}, timeout=30)

    return deliver
