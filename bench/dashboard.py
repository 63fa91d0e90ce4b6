"""Dashboard page timings with 200 integrations, each with a history of sync runs.

One environment holds 200 sandbox integrations; one of them is really synced (``small``: its record browser
has data), the others get 60 finished runs each written directly (so the health queries have history to
scan), some failed and some with breaker trips. Each page is fetched by one signed-in keep-alive client;
median and p95 wall time per page are printed, with each median as a multiple of a floor measured in the
same run: a static file fetched through the same server by the same signed-in client.

    python bench/dashboard.py                     # SQLite in a temporary directory
    python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/atsbridge_dash_bench
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from datetime import timedelta

import httpx
import orjson
from sqlalchemy import Engine, insert

from atsbridge.api.app import create_app
from atsbridge.core.config import Settings
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.dashboard import operators
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi

INTEGRATIONS = 200
RUNS_EACH = 60


def seed(engine: Engine, settings: Settings) -> tuple[str, str, str]:
    """(environment id, synced integration id, operator token)."""
    with engine.begin() as conn:
        env = platform.create_environment(conn, "bench")
        platform.create_api_key(conn, env, "bench")
        synced = platform.create_integration(conn, env, "sandbox", "Synced Inc.", {"seed": 3, "size": "small"})
        others = [
            platform.create_integration(conn, env, "sandbox", f"Org {n}", {"seed": n, "size": "tiny"})
            for n in range(INTEGRATIONS - 1)
        ]
        _, token = operators.create(conn, "bench")
    asyncio.run(SyncEngine(engine, settings).run(synced, full=True))
    now = utcnow()
    stats = {"models": {"candidates": {"created": 3, "updated": 1, "deleted": 0, "unchanged": 40}}, "http": {}}
    tripped = {**stats, "breaker_trips": ["candidates: 40% would be deleted"]}
    rows = []
    for n, iid in enumerate(others):
        for r in range(RUNS_EACH):
            at = now - timedelta(minutes=15 * (RUNS_EACH - r))
            failed = r == RUNS_EACH - 1 and n % 10 == 0
            rows.append(
                {
                    "id": "sync_" + random_id(20),
                    "integration_id": iid,
                    "type": "FULL" if r % 48 == 0 else "DELTA",
                    "status": "FAILED" if failed else "SUCCEEDED",
                    "queued_at": at,
                    "started_at": at,
                    "finished_at": at + timedelta(seconds=2),
                    "trigger": "scheduler",
                    "stats": orjson.dumps(tripped if r == RUNS_EACH - 2 and n % 7 == 0 else stats).decode(),
                    "error": "REMOTE.SERVICE_UNAVAILABLE: 503" if failed else None,
                }
            )
    with engine.begin() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(insert(sync_runs), rows[start : start + 2000])
    return env, synced, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/dashboard-bench.db"
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(database_url=url, secret_key="bench-" + "x" * 40, scheduler=False)
    started = time.perf_counter()
    env, synced, token = seed(engine, settings)
    print(f"seeded {INTEGRATIONS} integrations x {RUNS_EACH} runs in {time.perf_counter() - started:.1f}s ({url})")
    with serve_asgi(create_app(settings, engine)) as base, httpx.Client(base_url=base) as client:
        form = client.get("/dashboard/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf
        client.post("/dashboard/login", data={"token": token, "csrf_token": csrf.group(1)})
        first = client.get(f"/dashboard/integrations/{synced}/records/candidates").text
        record = re.search(rf"/dashboard/integrations/{re.escape(synced)}/records/candidates/\w+", first)
        run = re.search(r"/dashboard/syncs/sync_\w+", client.get(f"/dashboard/integrations/{synced}").text)
        assert record and run
        pages = {
            "overview": "/dashboard",
            "environment (50 of 200 integrations)": f"/dashboard/environments/{env}",
            "integration": f"/dashboard/integrations/{synced}",
            "sync run": run.group(0),
            "records (candidates)": f"/dashboard/integrations/{synced}/records/candidates",
            "record JSON": record.group(0),
            "webhooks": f"/dashboard/environments/{env}/webhooks",
        }
        # Floor: the same server, client and session cookie fetching a static file (no queries, no template).
        floor_timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            client.get("/static/base.css")
            floor_timings.append((time.perf_counter() - t0) * 1000)
        floor = statistics.median(floor_timings)
        print(f"floor (static file, same server and client): median {floor:.2f} ms")
        print(f"{'page':<40} {'median ms':>10} {'p95 ms':>10} {'x floor':>8}")
        for name, path in pages.items():
            timings = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            median = statistics.median(timings)
            print(f"{name:<40} {median:>10.1f} {p95:>10.1f} {median / floor:>7.1f}x")
    engine.dispose()


if __name__ == "__main__":
    main()
