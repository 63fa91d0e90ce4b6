"""Distributed-mode scale benchmark (PostgreSQL, Procrastinate job backend), on whatever cores this box has.

1. syncs   — sync throughput with 1, 2 and 4 ``atsbridge worker`` processes (``--concurrency 2`` each):
             200 tiny sandbox integrations, first their FULL syncs, then DELTA syncs with every integration
             always due, so workers never wait for work. CPU is sampled from /proc over the DELTA window to
             show where the cores go (workers, PostgreSQL, everything else).
2. api     — GET /v1/ats/applications?page_size=50 requests/s with 1 and 2 ``atsbridge serve`` processes,
             from a small asyncio HTTP/1.1 client in its own process (4 keep-alive connections per API
             process, as a load balancer would keep).
3. schedule — the cost of scheduling at 10,000 integrations with 100 runs of history each (a day at a
             15-minute schedule): a tick with nothing due, a tick with everything due (queue 10,000 runs,
             hand 10,000 jobs to Procrastinate), and the per-job dequeue/ack cost with a 10,000-deep
             queue; beside the embedded scheduler's query.
4. gaps    — how closely a cluster keeps its schedule: 3 workers x 2 and 200 tiny integrations due every
             20 s (20 of them also FULL-synced every 72 s), one worker SIGKILLed a third of the way in and
             another restarted with SIGTERM two thirds in (the scenario of tests/test_distributed.py, whose
             assertions are about correctness only). Reports the gap between an integration's successive
             syncs (p50, p95, worst, and worst among the SIGKILLed worker's integrations).

Each part uses a fresh database created through the admin URL and dropped afterwards.

    python bench/scale.py                       # parts syncs, api and schedule
    python bench/scale.py --parts schedule --integrations 10000
    python bench/scale.py --parts gaps --gap-seconds 100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
from procrastinate.jobs import Status
from sqlalchemy import Engine, func, select, text

from atsbridge.core.config import Settings
from atsbridge.core.timeutil import utcnow
from atsbridge.jobs import due, pg
from atsbridge.jobs.localcluster import LocalCluster
from atsbridge.jobs.procrastinate_backend import build_app, defer_runs, plan_tick
from atsbridge.jobs.scheduler import EmbeddedScheduler
from atsbridge.jobs.settings import JobSettings
from atsbridge.store import platform as store
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import SyncEngine

SECRET = "bench-" + "x" * 40
FETCHES = 500
HZ = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------------------------- helpers
@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    name = f"atsbridge_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / HZ


def _backends(url: str) -> Callable[[], list[int]]:
    """The PostgreSQL backend processes serving this benchmark's database (not other databases' load)."""

    def pids() -> list[int]:
        with psycopg.connect(url, autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").fetchall()
        return [int(r[0]) for r in rows]

    return pids


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / HZ, sum(values) / HZ


class CpuWindow:
    """Where the cores went between start() and stop(), in cores (1.0 = one core fully busy).

    Per process, so PostgreSQL backends that start during the window count in full; a process that exits
    during the window loses its share (the window is kept free of exits). "postgres" is only the backends
    of the benchmark's database; PostgreSQL's shared background processes and other databases' load (other
    work on the machine) land in "other"."""

    def __init__(self, groups: dict[str, list[int] | Callable[[], list[int]]]) -> None:
        self.groups = groups

    def _sample(self) -> dict[str, dict[int, float]]:
        return {
            name: {p: _proc_cpu(p) for p in (pids() if callable(pids) else pids)} for name, pids in self.groups.items()
        }

    def start(self) -> None:
        self.before = self._sample()
        self.machine = _machine_busy()[0]
        self.wall = time.monotonic()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        wall = time.monotonic() - self.wall
        used = {
            name: sum(cpu - self.before[name].get(pid, 0.0) for pid, cpu in pids.items()) / wall
            for name, pids in after.items()
        }
        used["machine"] = (_machine_busy()[0] - self.machine) / wall
        used["other"] = used["machine"] - sum(v for k, v in used.items() if k != "machine")
        return used


def _seed(engine: Engine, n: int, config: dict[str, Any]) -> list[str]:
    with engine.begin() as conn:
        env = store.create_environment(conn, "scale")
        return [store.create_integration(conn, env, "sandbox", f"T{i}", {**config, "seed": i}) for i in range(n)]


def _count(engine: Engine, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sync_runs).where(*where)).scalar_one())


# ------------------------------------------------------------------------------------------ 1. syncs
def bench_syncs(admin_url: str, worker_counts: list[int], integrations: int, window: float) -> list[dict[str, Any]]:
    rows = []
    for workers in worker_counts:
        with fresh_database(admin_url) as url:
            engine = make_engine(url)
            upgrade(engine)
            _seed(engine, integrations, {"size": "tiny", "delta_sync_minutes": 0.001})
            env = {"ATSBRIDGE_TICK_SECONDS": "1"}
            with tempfile.TemporaryDirectory() as logs, LocalCluster(url, SECRET, Path(logs), env=env) as cluster:
                procs = [cluster.start_worker(concurrency=2) for _ in range(workers)]
                deadline = time.monotonic() + 600
                while _count(engine, sync_runs.c.type == "FULL", sync_runs.c.status == "SUCCEEDED") < integrations:
                    if time.monotonic() > deadline:
                        raise RuntimeError("first round did not finish")
                    time.sleep(0.2)
                with engine.connect() as conn:
                    first, last = conn.execute(
                        select(func.min(sync_runs.c.started_at), func.max(sync_runs.c.finished_at)).where(
                            sync_runs.c.type == "FULL"
                        )
                    ).one()
                full_per_min = integrations / (last - first).total_seconds() * 60
                cpu = CpuWindow({"workers": [p.pid for p in procs], "postgres": _backends(url)})
                cpu.start()
                t0 = utcnow()
                time.sleep(window)
                t1 = utcnow()
                used = cpu.stop()
                done = _count(
                    engine,
                    sync_runs.c.type == "DELTA",
                    sync_runs.c.status == "SUCCEEDED",
                    sync_runs.c.finished_at > t0,
                    sync_runs.c.finished_at <= t1,
                )
            engine.dispose()
        delta_per_min = done / (t1 - t0).total_seconds() * 60
        rows.append({"workers": workers, "full_per_min": full_per_min, "delta_per_min": delta_per_min, **used})
        print(
            f"  {workers} worker(s): FULL {full_per_min:,.0f}/min, DELTA {delta_per_min:,.0f}/min; cores used: "
            f"workers {used['workers']:.2f}, postgres {used['postgres']:.2f}, other {used['other']:.2f}, "
            f"machine {used['machine']:.2f} of {os.cpu_count()}",
            flush=True,
        )
    return rows


# --------------------------------------------------------------------------------------------- 2. api
def _load_main(argv: list[str]) -> None:
    """The load client (a separate process): N keep-alive connections, requests back to back."""
    urls, key, iids, seconds, connections = (
        argv[0].split(","),
        argv[1],
        argv[2].split(","),
        float(argv[3]),
        int(argv[4]),
    )
    latencies: list[float] = []
    errors = 0

    async def connection(n: int) -> None:
        nonlocal errors
        host, port = urls[n % len(urls)].removeprefix("http://").split(":")
        requests = [
            (
                f"GET /v1/ats/applications?page_size=50 HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {key}\r\nX-Integration-Id: {iid}\r\n\r\n"
            ).encode()
            for iid in iids
        ]
        reader, writer = await asyncio.open_connection(host, int(port))
        deadline = time.monotonic() + seconds
        i = n
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            writer.write(requests[i % len(requests)])
            i += 1
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            errors += status != 200
        writer.close()

    async def run() -> None:
        await asyncio.gather(*(connection(n) for n in range(connections)))

    started = time.monotonic()
    asyncio.run(run())
    wall = time.monotonic() - started
    cpu = _proc_cpu(os.getpid())
    print(
        orjson.dumps(
            {"requests": len(latencies), "errors": errors, "wall": wall, "cpu": cpu, "latencies": latencies}
        ).decode()
    )


def bench_api(admin_url: str, api_counts: list[int], seconds: float, per_api: int) -> list[dict[str, Any]]:
    rows = []
    with fresh_database(admin_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        settings = Settings(database_url=url, secret_key=SECRET, scheduler=False)
        iids = _seed(engine, 10, {"size": "small"})
        for iid in iids:
            assert asyncio.run(SyncEngine(engine, settings).run(iid, full=True)).status == "SUCCEEDED"
        with engine.begin() as conn:
            env = store.first_environment(conn)
            assert env is not None
            key = store.create_api_key(conn, env, "bench")
        for apis in api_counts:
            with tempfile.TemporaryDirectory() as logs, LocalCluster(url, SECRET, Path(logs)) as cluster:
                urls = [cluster.start_api() for _ in range(apis)]
                api_pids = [p.pid for p, _ in cluster.apis]
                cpu = CpuWindow({"api": api_pids, "postgres": _backends(url)})
                # A fixed number of connections per process, as a load balancer would keep. Few per process is
                # fastest (request threads of one process contend for its GIL), and staying below the API's
                # database pool (10) keeps overflow connections from being opened and closed per request.
                args = [",".join(urls), key, ",".join(iids), str(seconds), str(per_api * apis)]
                warm = [sys.executable, __file__, "_load", args[0], key, args[2], "2", "4"]
                subprocess.run(warm, check=True, capture_output=True)
                cpu.start()
                out = subprocess.run(
                    [sys.executable, __file__, "_load", *args], check=True, capture_output=True, text=True
                ).stdout
                used = cpu.stop()
            result = orjson.loads(out.strip().splitlines()[-1])
            lat = sorted(result["latencies"])
            rps = result["requests"] / result["wall"]
            row = {
                "apis": apis,
                "rps": rps,
                "p50": lat[len(lat) // 2] * 1000,
                "p99": lat[int(len(lat) * 0.99)] * 1000,
                "errors": result["errors"],
                "client": result["cpu"] / result["wall"],
                **used,
            }
            row["other"] -= row["client"]
            rows.append(row)
            print(
                f"  {apis} API process(es): {rps:,.0f} req/s, p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms, "
                f"{result['errors']} errors; cores: api {used['api']:.2f}, postgres {used['postgres']:.2f}, "
                f"client {row['client']:.2f}, other {row['other']:.2f}, machine {used['machine']:.2f}",
                flush=True,
            )
        engine.dispose()
    return rows


# ---------------------------------------------------------------------------------------- 3. schedule
def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def _seed_history(engine: Engine, runs_each: int) -> None:
    """Every integration: a FULL 2 h ago and DELTAs every 15 min until 1 min ago (nothing is due)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                """
                INSERT INTO sync_runs (id, integration_id, type, status, queued_at, started_at, finished_at,
                                       heartbeat_at, trigger, stats)
                SELECT 'sync_' || substr(md5(random()::text || i.id || g), 1, 20), i.id,
                       CASE WHEN g = :n THEN 'FULL' ELSE 'DELTA' END, 'SUCCEEDED', t, t, t, t, 'scheduler', '{}'
                  FROM integrations i, generate_series(1, :n) g,
                       LATERAL (SELECT CASE WHEN g = :n THEN now() - interval '2 hours'
                                            ELSE now() - interval '1 minute' - (g - 1) * interval '15 minutes'
                                       END AS t) ts
                """
            ),
            {"n": runs_each},
        )
        conn.execute(text("ANALYZE"))


def bench_schedule(admin_url: str, integrations: int, runs_each: int) -> dict[str, float]:
    with fresh_database(admin_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        settings = Settings(database_url=url, secret_key=SECRET, scheduler=False)
        t0 = time.perf_counter()
        _seed(engine, integrations, {"size": "tiny"})
        _seed_history(engine, runs_each)
        print(f"  seeded {integrations:,} integrations x {runs_each} runs in {time.perf_counter() - t0:.0f}s")
        now = utcnow()

        idle_tick, plan = _timed(lambda: plan_tick(engine, settings), repeat=5)
        assert plan.queued == 0 and not plan.unjobbed
        embedded_tick, _ = _timed(lambda: EmbeddedScheduler(engine, settings)._queue_due(now), repeat=3)

        later = now + timedelta(minutes=20)
        queue_all, queued = _timed(lambda: due.queue_due(engine, settings, later))
        with engine.connect() as conn:
            list_unjobbed, pending = _timed(lambda: pg.unjobbed_runs(conn))

        async def hand_over() -> tuple[float, float, float]:
            app = build_app(engine, settings, JobSettings(), None, pool_size=4)
            async with app.open_async():
                t0 = time.perf_counter()
                await defer_runs(app, pending)
                defer = time.perf_counter() - t0
                await app.connector.execute_query_async("ANALYZE procrastinate_jobs")  # as autovacuum would
                worker_id = await app.job_manager.register_worker()
                fetch = ack = 0.0
                for _ in range(FETCHES):
                    t0 = time.perf_counter()
                    job = await app.job_manager.fetch_job(queues=None, worker_id=worker_id)
                    t1 = time.perf_counter()
                    assert job is not None
                    await app.job_manager.finish_job(job, status=Status.SUCCEEDED, delete_job=True)
                    fetch, ack = fetch + t1 - t0, ack + time.perf_counter() - t1
                return defer, fetch / FETCHES, ack / FETCHES

        defer, fetch, ack = asyncio.run(hand_over())
        engine.dispose()
    n = integrations
    result = {
        "integrations": n,
        "idle_tick_ms": idle_tick * 1000,
        "idle_tick_us_per_integration": idle_tick / n * 1e6,
        "embedded_tick_ms": embedded_tick * 1000,
        "queue_all_ms": queue_all * 1000,
        "list_unjobbed_ms": list_unjobbed * 1000,
        "defer_all_ms": defer * 1000,
        "handover_us_per_integration": (queue_all + list_unjobbed + defer) / n * 1e6,
        "fetch_ms": fetch * 1000,
        "ack_ms": ack * 1000,
        "queued": queued,
    }
    print(
        f"  idle tick {result['idle_tick_ms']:.0f} ms ({result['idle_tick_us_per_integration']:.1f} µs/integration; "
        f"embedded scheduler's query {result['embedded_tick_ms']:.0f} ms); everything due: queue {queued:,} runs "
        f"{result['queue_all_ms']:.0f} ms + find unjobbed {result['list_unjobbed_ms']:.0f} ms + defer "
        f"{result['defer_all_ms']:.0f} ms = {result['handover_us_per_integration']:.0f} µs/integration; "
        f"with a {queued:,}-deep queue: fetch {result['fetch_ms']:.2f} ms + ack {result['ack_ms']:.2f} ms per job",
        flush=True,
    )
    return result


# --------------------------------------------------------------------------------------------- 4. gaps
GAP_ENV = {  # as in tests/test_distributed.py: a fast tick and stalled-worker detection
    "ATSBRIDGE_TICK_SECONDS": "1",
    "ATSBRIDGE_WORKER_HEARTBEAT_SECONDS": "1",
    "ATSBRIDGE_STALLED_AFTER_SECONDS": "5",
    "ATSBRIDGE_STALLED_CHECK_SECONDS": "2",
}


def _gaps(finished: list[Any], start: Any, end: Any) -> list[float]:
    """Seconds between successive completed syncs, counting the window's edges."""
    points = [start, *sorted(t for t in finished if start < t < end), end]
    return [(b - a).total_seconds() for a, b in zip(points, points[1:], strict=False)]


def bench_gaps(admin_url: str, integrations: int, seconds: float) -> dict[str, float]:
    interval = 20.0
    with fresh_database(admin_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as conn:
            env = store.create_environment(conn, "gaps")
            for n in range(integrations):
                config: dict[str, Any] = {"seed": n, "size": "tiny", "delta_sync_minutes": interval / 60}
                if n < 20:
                    config["full_sync_hours"] = 0.02
                store.create_integration(conn, env, "sandbox", f"T{n}", config)
        host = socket.gethostname()
        with tempfile.TemporaryDirectory() as logs, LocalCluster(url, SECRET, Path(logs), env=GAP_ENV) as cluster:
            workers = [cluster.start_worker(concurrency=2) for _ in range(3)]
            deadline = time.monotonic() + 600
            while _count(engine, sync_runs.c.status == "SUCCEEDED", sync_runs.c.type == "FULL") < integrations:
                if time.monotonic() > deadline:
                    raise RuntimeError("first round did not finish")
                time.sleep(0.5)
            start = utcnow()
            time.sleep(seconds / 3)
            victim = workers.pop(0)
            with engine.connect() as conn:  # the integrations it holds at the kill
                held = set(
                    conn.execute(
                        select(sync_runs.c.integration_id).where(
                            sync_runs.c.status == "RUNNING", sync_runs.c.worker == f"{host}:{victim.pid}"
                        )
                    ).scalars()
                )
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            workers.append(cluster.start_worker(concurrency=2))
            time.sleep(seconds / 3)
            workers[0].send_signal(signal.SIGTERM)
            workers[0].wait(timeout=120)
            workers.append(cluster.start_worker(concurrency=2))
            time.sleep(seconds / 3)
            end = utcnow()
        with engine.connect() as conn:
            rows = conn.execute(
                select(sync_runs.c.integration_id, sync_runs.c.finished_at).where(sync_runs.c.status == "SUCCEEDED")
            ).all()
        engine.dispose()
    finished: dict[str, list[Any]] = {}
    for iid, at in rows:
        finished.setdefault(iid, []).append(at)
    per = {iid: _gaps(times, start, end) for iid, times in finished.items()}
    every = [g for gs in per.values() for g in gs]
    in_window = sum(1 for _, at in rows if start < at < end)
    minutes = (end - start).total_seconds() / 60
    result = {
        "syncs_per_min": in_window / minutes,
        "p50": statistics.median(every),
        "p95": statistics.quantiles(every, n=20)[-1],
        "worst": max(every),
        "worst_killed": max((max(per[i]) for i in held if i in per), default=0.0),
        "killed_runs": len(held),
        "load_1min": os.getloadavg()[0],  # how busy the machine was, for reading the figures
    }
    print(
        f"  {integrations} integrations due every {interval:.0f}s, 3 workers x 2: {result['syncs_per_min']:,.0f} "
        f"syncs/min; gap p50 {result['p50']:.1f}s, p95 {result['p95']:.1f}s, worst {result['worst']:.1f}s; "
        f"SIGKILL interrupted {len(held)} runs, worst gap of their integrations {result['worst_killed']:.1f}s; "
        f"machine load average {result['load_1min']:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    return result


# -------------------------------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--admin-url", default=os.environ.get("ATSBRIDGE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--parts", default="syncs,api,schedule")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--sync-integrations", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0, help="seconds of DELTA syncs measured per worker count")
    parser.add_argument("--apis", default="1,2")
    parser.add_argument("--api-seconds", type=float, default=15.0)
    parser.add_argument("--connections-per-api", type=int, default=4)
    parser.add_argument("--integrations", type=int, default=10_000, help="for the schedule part")
    parser.add_argument("--runs-each", type=int, default=100, help="sync history per integration (schedule part)")
    parser.add_argument("--gap-integrations", type=int, default=200)
    parser.add_argument("--gap-seconds", type=float, default=100.0, help="measured window of the gaps part")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
    if "syncs" in parts:
        print("syncs (tiny sandboxes, --concurrency 2 per worker):", flush=True)
        counts = [int(w) for w in args.workers.split(",")]
        bench_syncs(args.admin_url, counts, args.sync_integrations, args.window)
    if "api" in parts:
        print(f"api (GET /v1/ats/applications?page_size=50, {args.connections_per_api} connections per process):")
        counts = [int(a) for a in args.apis.split(",")]
        bench_api(args.admin_url, counts, args.api_seconds, args.connections_per_api)
    if "schedule" in parts:
        print(f"schedule ({args.integrations:,} integrations):", flush=True)
        bench_schedule(args.admin_url, args.integrations, args.runs_each)
    if "gaps" in parts:
        print("gaps (schedule kept under load, a SIGKILL and a rolling restart):", flush=True)
        bench_gaps(args.admin_url, args.gap_integrations, args.gap_seconds)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_load":
        _load_main(sys.argv[2:])
    else:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        main()
