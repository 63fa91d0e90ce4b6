"""Read-API benchmark: GET /v1/ats/applications?page_size=250 on a sandbox with >= 200,000 applications.

Figures are printed beside a floor measured in the same run: the same rows read by one raw SQL query and
serialised with orjson. Server time comes from the ``Server-Timing`` header; requests/s from one
keep-alive client sending requests back to back.

    python bench/read_api.py                     # SQLite in ./bench-data (reused between runs)
    python bench/read_api.py --database-url postgresql://postgres@127.0.0.1:5432/atsbridge_bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import Engine, select, text

from atsbridge.api.app import create_app  # noqa: E402
from atsbridge.core.config import Settings  # noqa: E402
from atsbridge.core.cursor import CursorCodec, query_fingerprint  # noqa: E402
from atsbridge.core.timeutil import format_ts, utcnow  # noqa: E402
from atsbridge.store import platform as store  # noqa: E402
from atsbridge.store.db import make_engine  # noqa: E402
from atsbridge.store.migrate import upgrade  # noqa: E402
from atsbridge.store.tables import MODEL_TABLES  # noqa: E402
from atsbridge.sync.engine import SyncEngine  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def prepare(engine: Engine, settings: Settings, size: int) -> tuple[str, str, Any]:
    """An environment, a key and a synced sandbox integration of ``size`` applications (reused if present)."""
    with engine.begin() as conn:
        env = store.first_environment(conn) or store.create_environment(conn, "bench")
        store.revoke_api_keys(conn, env, "bench")
        key = store.create_api_key(conn, env, "bench")
        existing = [
            i for i in store.list_integrations(conn, env) if i.tool == "sandbox" and i.config.get("size") == size
        ]
    if existing and existing[0].setup_status == "COMPLETED":
        return key, existing[0].id, None
    with engine.begin() as conn:
        iid = store.create_integration(conn, env, "sandbox", "Bench Inc.", {"seed": 42, "size": size})
    started = time.perf_counter()
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=True))
    took = time.perf_counter() - started
    records = sum(m.created for m in result.models.values())
    print(f"full sync: {records:,} records in {took:.1f}s ({records / took:,.0f} records/s)", flush=True)
    return key, iid, result


def changed_since(engine: Engine, settings: Settings, iid: str, size: int, steps: int) -> str:
    """Simulate ``steps`` changes and delta-sync them; return an updated_after that selects them."""
    from atsbridge.connectors.sandbox.simulate import simulate

    before = format_ts(utcnow())
    time.sleep(0.01)
    simulate(engine, iid, 42, size, steps, rng_seed=7)
    asyncio.run(SyncEngine(engine, settings).run(iid, full=False))
    return before


def floor_rows_only(engine: Engine, iid: str, where: str, params: dict[str, Any], n: int) -> list[float]:
    """A stricter floor for reference: only the application rows themselves (no embedded documents)."""
    sql = (
        "SELECT a.id, a.remote_id, a.data, a.changed_at FROM ats_applications a "
        f"WHERE a.integration_id = :iid AND a.remote_deleted_at IS NULL {where} ORDER BY a.id LIMIT 251"
    )
    times = []
    with engine.connect() as conn:
        for _ in range(n):
            t0 = time.perf_counter()
            rows = conn.execute(text(sql), {"iid": iid, **params}).all()
            results = [
                {**orjson.loads(r.data), "id": r.id, "remote_id": r.remote_id, "changed_at": str(r.changed_at)}
                for r in rows[:250]
            ]
            assert orjson.dumps({"status": "success", "data": {"next": None, "results": results}})
            times.append((time.perf_counter() - t0) * 1000)
    return times


def floor(engine: Engine, iid: str, where: str, params: dict[str, Any], n: int) -> list[float]:
    """The same rows by one raw SQL query: the page's applications LEFT JOINed with their candidate,
    current stage and job documents, every document parsed and the page serialised with orjson.

    Interviews and offers (a second query in any implementation) are left out, so the floor is, if
    anything, cheaper than the work the endpoint really has to do.
    """
    sql = (
        "SELECT a.id, a.remote_id, a.data, a.changed_at, a.remote_deleted_at, c.data AS cand, c.nested AS tags, "
        "s.data AS stage, j.data AS job FROM ats_applications a "
        "LEFT JOIN ats_candidates c ON c.id = a.candidate_id "
        "LEFT JOIN ats_application_stages s ON s.id = a.current_stage_id "
        "LEFT JOIN ats_jobs j ON j.id = a.job_id "
        f"WHERE a.integration_id = :iid AND a.remote_deleted_at IS NULL {where} ORDER BY a.id LIMIT 251"
    )
    times = []
    with engine.connect() as conn:
        for _ in range(n):
            t0 = time.perf_counter()
            rows = conn.execute(text(sql), {"iid": iid, **params}).all()
            results = []
            for r in rows[:250]:
                doc = orjson.loads(r.data)
                doc.update(id=r.id, remote_id=r.remote_id, changed_at=str(r.changed_at))
                doc["candidate"] = orjson.loads(r.cand) if r.cand else None
                doc["tags"] = orjson.loads(r.tags) if r.tags else None
                doc["current_stage"] = orjson.loads(r.stage) if r.stage else None
                doc["job"] = orjson.loads(r.job) if r.job else None
                results.append(doc)
            body = orjson.dumps({"status": "success", "data": {"next": None, "results": results}})
            assert body
            times.append((time.perf_counter() - t0) * 1000)
    return times


@contextmanager
def serve_process(url: str, settings: Settings) -> Iterator[str]:
    """The API as deployed: ``atsbridge serve`` in its own process (scheduler off, so nothing else runs)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = {
        **os.environ,
        "ATSBRIDGE_DATABASE_URL": url,
        "ATSBRIDGE_SECRET_KEY": settings.secret_key or "",
        "ATSBRIDGE_SCHEDULER": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "atsbridge", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/v1/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def measure(client: httpx.Client, url: str, params: dict[str, Any], n: int) -> tuple[list[float], float, int]:
    server_ms: list[float] = []
    t0 = time.perf_counter()
    for _ in range(n):
        r = client.get(url, params=params)
        r.raise_for_status()
        server_ms.append(float(r.headers["server-timing"].split("dur=")[1]))
    wall = time.perf_counter() - t0
    return server_ms, n / wall, len(orjson.loads(r.content)["data"]["results"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--size", type=int, default=200_000, help="applications in the sandbox")
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario")
    parser.add_argument("--changes", type=int, default=3000, help="simulated changes for the updated_after case")
    args = parser.parse_args()
    data_dir = Path("bench-data")
    data_dir.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{data_dir / 'read_api.db'}"
    settings = Settings(database_url=url, scheduler=False, secret_key="bench-" + "x" * 40)
    engine = make_engine(url)
    upgrade(engine)
    key, iid, _ = prepare(engine, settings, args.size)
    updated_after = changed_since(engine, settings, iid, args.size, args.changes)

    apps = MODEL_TABLES["applications"]
    with engine.connect() as conn:
        total = conn.execute(
            select(text("count(*)"))
            .select_from(apps)
            .where(apps.c.integration_id == iid, apps.c.remote_deleted_at.is_(None))
        ).scalar_one()
        deep_offset = min(500 * 250, total - 250)
        deep_after = conn.execute(
            select(apps.c.id)
            .where(apps.c.integration_id == iid, apps.c.remote_deleted_at.is_(None))
            .order_by(apps.c.id)
            .offset(deep_offset - 1)
            .limit(1)
        ).scalar_one()
        jobs = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT job_id, count(*) c FROM ats_applications WHERE integration_id=:i GROUP BY job_id ORDER BY c DESC LIMIT 5"
                ),
                {"i": iid},
            )
        ]
    app = create_app(settings, engine, migrate=False)
    codec: CursorCodec = app.state.atsbridge.cursors
    fingerprint = query_fingerprint(
        {"i": iid, "m": "applications", "ua": None, "d": False, "iu": False, "ids": None, "rids": None, "f": {}}
    )
    deep_cursor = codec.encode(deep_after, fingerprint)
    ua_dt = __import__("atsbridge.core.timeutil", fromlist=["parse_ts"]).parse_ts(updated_after)

    job_list = ",".join(f"'{j}'" for j in jobs)
    scenarios: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
        ("first page", {}, "", {}),
        (f"page {deep_offset // 250} deep", {"cursor": deep_cursor}, "AND a.id > :after", {"after": deep_after}),
        (
            "job_ids (5) + outcomes=PENDING",
            {"job_ids": ",".join(jobs), "outcomes": "PENDING"},
            f"AND a.job_id IN ({job_list}) AND a.outcome = 'PENDING'",
            {},
        ),
        (
            "updated_after (simulated changes)",
            {"updated_after": updated_after},
            "AND a.effective_changed_at > :ua",
            {"ua": ua_dt if not url.startswith("sqlite") else ua_dt.replace(tzinfo=None)},
        ),
    ]
    print()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{engine.dialect.name}, {total:,} live applications"
    )
    header = (
        f"{'scenario':<36} {'rows':>5} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7} {'floor p50':>10} {'floor p99':>10} "
        f"{'p50/floor':>9} {'rows-only p50':>14} {'p50/rows-only':>14}"
    )
    print(header)
    print("-" * len(header))
    results = {}
    with (
        serve_process(url, settings) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}", "X-Integration-Id": iid}, timeout=30
        ) as client,
    ):
        params_base = {"page_size": 250, "include_deleted": "false", "ignore_unsupported_filters": "false"}
        for name, params, where, sql_params in scenarios:
            measure(client, "/v1/ats/applications", {**params_base, **params}, 10)  # warm up
            server, rps, rows = measure(client, "/v1/ats/applications", {**params_base, **params}, args.requests)
            base_ms = floor(engine, iid, where, sql_params, args.requests)
            rows_only = floor_rows_only(engine, iid, where, sql_params, args.requests)
            ratio = statistics.median(server) / statistics.median(base_ms)
            ratio_rows = statistics.median(server) / statistics.median(rows_only)
            results[name] = (server, base_ms)
            print(
                f"{name:<36} {rows:>5} {statistics.median(server):>8.2f} {pct(server, 0.99):>8.2f} {rps:>7.0f} "
                f"{statistics.median(base_ms):>10.2f} {pct(base_ms, 0.99):>10.2f} {ratio:>8.2f}x "
                f"{statistics.median(rows_only):>14.2f} {ratio_rows:>13.2f}x"
            )
    first = statistics.median(results["first page"][0])
    deep = statistics.median(next(v[0] for k, v in results.items() if k.endswith("deep")))
    print(f"\ndeep page vs first page (p50): {deep / first:.2f}x")


if __name__ == "__main__":
    main()
