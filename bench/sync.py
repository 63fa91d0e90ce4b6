"""Sync benchmark: each sync against its **floor**, measured in the same run.

The floor is what no sync can beat: the same vendor pages fetched through the connector's own source (the
same HTTP client, concurrency and pacing) and their JSON parsed, nothing else. Every figure is printed as
sync time / floor, with this process's CPU time and peak RSS (VmHWM, reset before each phase).

1. Greenhouse (Harvest v3) full sync at zero latency, then a delta after 1% changed at the vendor.
2. Lever in sync-all mode: a fan-out vendor (requests per opportunity).
3. Optional: the fake at Greenhouse's rate limit; every connector at its documented limit.

Fakes are served from their own processes (they do not share this process's GIL or RSS). Both databases are
created fresh for the run. The default size is small, for a shared machine; the target run is

    python bench/sync.py --records 100000        # sync/floor <= 1.5x, peak RSS <= 400 MB
    python bench/sync.py --records 2000,8000     # peak RSS at two sizes: flat as the tenant grows
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.store import platform as store
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.sync.engine import SyncEngine, SyncResult

HERE = Path(__file__).resolve().parent
#: A limit so high it never binds, but announced in ``X-RateLimit-*`` headers as real Greenhouse always does.
#: A fake without any limit sends no such headers, so the client falls back to the documented 50 requests
#: per 10 s budget and the "zero latency" run would measure that pacing (5 req/s), not atsbridge.
UNLIMITED = "1000000000/10"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def fake(
    records: int, *, rate_limit: str | None = None, page_cap: int | None = None, tool: str = "greenhouse"
) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    cmd = [sys.executable, str(HERE / "fake_server.py"), tool, "--port", str(port), "--records", str(records)]
    if rate_limit:
        cmd += ["--rate-limit", rate_limit]
    if page_cap:
        cmd += ["--page-cap", str(page_cap)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(engine_settings: tuple[object, Settings], iid: str, full: bool) -> tuple[SyncResult, Phase]:
    engine, settings = engine_settings
    with measure() as phase:
        result = asyncio.run(SyncEngine(engine, settings).run(iid, full=full))  # type: ignore[arg-type]
    return result, phase


@dataclass
class Phase:
    """Wall time, this process's CPU time and its peak RSS over one measured phase."""

    seconds: float = 0.0
    cpu: float = 0.0
    peak_rss_mb: float = 0.0


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM, so each phase's peak is its own, not the process's."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_rss_mb() -> float:
    with contextlib.suppress(OSError), open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measure() -> Iterator[Phase]:
    phase = Phase()
    gc.collect()
    _reset_peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    yield phase
    phase.seconds = time.perf_counter() - t0
    phase.cpu = time.process_time() - c0
    phase.peak_rss_mb = _peak_rss_mb()


async def _download(engine: Engine, settings: Settings, iid: str, since: datetime | None) -> tuple[int, int]:
    """The floor's work: every in-scope stream's pages through the connector's own source (same HTTP client,
    concurrency, pacing and JSON parsing as the sync), counted and dropped. Returns (vendor records, requests)."""
    with engine.connect() as conn:
        integration = store.get_integration(conn, iid)
    assert integration is not None
    connector = get_connector(integration.tool)
    source = connector.open(SyncEngine(engine, settings).integration_info(integration))
    n = 0
    try:
        for stream in connector.streams:
            async for page in source.read(stream, since if stream.incremental else None):
                n += len(page)
    finally:
        counters = getattr(getattr(source, "client", None), "counters", None)
        await source.aclose()
    return n, (counters.as_dict().get("requests", 0) if counters is not None else 0)


def floor(engine: Engine, settings: Settings, iid: str, since: datetime | None = None) -> tuple[Phase, int, int]:
    with measure() as phase:
        n, requests = asyncio.run(_download(engine, settings, iid, since))
    return phase, n, requests


def connect(engine: object, settings: Settings, base: str) -> str:
    with engine.begin() as conn:  # type: ignore[attr-defined]
        env = store.first_environment(conn) or store.create_environment(conn, "bench")
    return create_integration(
        engine,  # type: ignore[arg-type]
        settings,
        env,
        "greenhouse",
        "Bench Inc.",
        config={"base_url": f"{base}/v3", "token_url": f"{base}/token", "sync_all_applications": True},
        credentials={"client_id": "gh_client", "client_secret": "gh_secret"},
    )


def records_of(result: SyncResult) -> int:
    return sum(s.created + s.updated + s.unchanged for s in result.models.values())


@contextmanager
def database(kind: str, pg_url: str, tmp: str) -> Iterator[str]:
    """A fresh database of ``kind``: a SQLite file, or a PostgreSQL database created and dropped here."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/sync-{time.monotonic_ns()}.db"
        return
    import psycopg

    name = f"atsbridge_bench_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--records",
        default="2000",
        help="applications in the fake, or several sizes (2000,8000) to see peak RSS stay flat; "
        "the target run is 100000 (default small: the full run takes many minutes)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("ATSBRIDGE_BENCH_PG_URL", PG_URL))
    parser.add_argument("--fanout-records", type=int, default=200, help="Lever opportunities (0: skip fan-out)")
    parser.add_argument("--rate-limited", action="store_true", help="also the fake at Greenhouse's rate limit")
    parser.add_argument("--limited-records", type=int, default=1_500)
    parser.add_argument("--vendor-records", type=int, default=300, help="applications per fake in the per-vendor run")
    parser.add_argument("--vendors", action="store_true", help="also every connector at its documented limit (slow)")
    parser.add_argument(
        "--only-vendors",
        nargs="*",
        metavar="TOOL",
        default=None,
        help="only the per-vendor run (no Greenhouse throughput runs): every connector, or the tools named",
    )
    parser.add_argument("--profile", default=None, help="write a cProfile of the first full sync to this file")
    parser.add_argument("--in-process", action="store_true", help="run every database and size in this process")
    args = parser.parse_args()
    if args.only_vendors is not None:
        unknown = sorted(set(args.only_vendors) - set(vendor_tools()))
        if unknown:
            parser.error(f"--only-vendors: no connector with a fake named {', '.join(unknown)}")
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    kinds, sizes = args.databases.split(","), args.records.split(",")
    if not args.in_process and args.only_vendors is None and len(kinds) * len(sizes) > 1:
        # One process per (database, size): peak RSS is then that run's own, not inflated by memory an
        # earlier run left to the allocator.
        for kind in kinds:
            for i, size in enumerate(sizes):
                extra = [] if i == 0 else ["--fanout-records", "0"]  # fan-out and options once per database
                cmd = [sys.executable, __file__, *sys.argv[1:], "--databases", kind, "--records", size, *extra]
                if i:
                    cmd = [c for c in cmd if c not in ("--rate-limited", "--vendors")]
                subprocess.run([*cmd, "--in-process"], check=True)
        return
    tmp = tempfile.mkdtemp(prefix="atsbridge-bench-")
    for kind in args.databases.split(","):
        with database(kind, args.pg_url, tmp) as url:
            settings = Settings(database_url=url, scheduler=False, secret_key="bench-" + "x" * 40)
            engine = make_engine(url)
            upgrade(engine)
            print(f"\n== {engine.dialect.name}")
            if args.only_vendors is not None:
                vendors(engine, settings, args.vendor_records, args.only_vendors or vendor_tools())
                engine.dispose()
                continue
            for size in (int(s) for s in args.records.split(",")):
                greenhouse(engine, settings, size, args)
                args.profile = None  # only the first full sync
            if args.fanout_records:
                fanout(engine, settings, args.fanout_records)
            if args.rate_limited:
                rate_limited(engine, settings, args.limited_records)
            if args.vendors:
                vendors(engine, settings, args.vendor_records, vendor_tools())
            engine.dispose()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


def vendor_tools() -> list[str]:
    """Connectors with a fake (the sandbox is no vendor)."""
    import importlib.util

    from atsbridge.connectors.registry import known_tools

    return [t for t in known_tools() if t != "sandbox" and importlib.util.find_spec(f"atsbridge.fakes.{t}")]


def vendors(engine: object, settings: Settings, records: int, tools: list[str]) -> None:
    """Each connector against its fake at the vendor's documented rate limit (the fake's default)."""
    import importlib

    print(
        f"\nper vendor, full sync of a fake tenant with ~{records} applications at the vendor's documented rate limit:"
    )
    print(
        f"{'tool':<16} {'records':>8} {'seconds':>8} {'records/s':>10} {'requests':>9} {'req/s':>7} {'429s':>5} status"
    )
    for tool in tools:
        module = importlib.import_module(f"atsbridge.fakes.{tool}")
        with engine.begin() as conn:  # type: ignore[attr-defined]
            env = store.first_environment(conn) or store.create_environment(conn, "bench")
        with fake(records, rate_limit="vendor", tool=tool) as base:
            config, credentials = module.conformance_setup(base)
            # conformance setups lift the client's pacing for speed; here the connector paces as documented
            config = {k: v for k, v in config.items() if not k.startswith("requests_per_")}
            iid = create_integration(
                engine,  # type: ignore[arg-type]
                settings,
                env,
                tool,
                "Bench",
                config={**config, "sync_all_applications": True},
                credentials=credentials,
            )
            result, phase = run((engine, settings), iid, True)
            took = phase.seconds
        n = records_of(result)
        requests = result.http.get("requests", 0)
        print(
            f"{tool:<16} {n:>8,} {took:>8.1f} {n / took:>10,.0f} {requests:>9,} {requests / took:>7.2f} "
            f"{result.http.get('rate_limited', 0):>5} {result.status}"
        )


@contextmanager
def profiled(path: str) -> Iterator[None]:
    """cProfile both threads of a sync: the event loop (fetching, parsing) and the worker thread that maps and
    writes each page (``SyncEngine._store_page``, which cProfile would not see from the main thread)."""
    import pstats

    original = SyncEngine._store_page
    profiles: list[cProfile.Profile] = []

    def store_page(self: SyncEngine, *a: Any, **kw: Any) -> None:
        prof = cProfile.Profile(time.thread_time)  # CPU, not wall: the machine may be loaded
        profiles.append(prof)
        prof.enable()
        try:
            original(self, *a, **kw)
        finally:
            prof.disable()

    main_thread = cProfile.Profile(time.thread_time)
    SyncEngine._store_page = store_page  # type: ignore[method-assign]
    main_thread.enable()
    try:
        yield
    finally:
        main_thread.disable()
        SyncEngine._store_page = original  # type: ignore[method-assign]
        stats = pstats.Stats(main_thread)
        for prof in profiles:
            stats.add(prof)
        stats.dump_stats(path)


def report(label: str, phase: Phase, records: int, ref: Phase, requests: int) -> None:
    print(
        f"{label:<11} {records:>9,} records {phase.seconds:>7.1f}s  {records / max(phase.seconds, 1e-9):>7,.0f}/s  "
        f"floor {ref.seconds:>6.1f}s  sync/floor {phase.seconds / max(ref.seconds, 1e-9):>5.2f}x  "
        f"CPU {phase.cpu:>6.1f}s (floor {ref.cpu:.1f}s)  peak RSS {phase.peak_rss_mb:,.0f} MB  {requests:,} requests"
    )


def greenhouse(engine: Engine, settings: Settings, size: int, args: argparse.Namespace) -> None:
    """Full sync and 1%-changed delta of a ``size``-application Greenhouse tenant, each against its floor."""
    with fake(size, rate_limit=UNLIMITED) as base:
        iid = connect(engine, settings, base)
        full_floor, vendor_records, floor_requests = floor(engine, settings, iid)
        if args.profile:
            with profiled(args.profile):
                full, full_phase = run((engine, settings), iid, True)
        else:
            full, full_phase = run((engine, settings), iid, True)
        assert full.status == "SUCCEEDED", full.error
        print(f"greenhouse, {size:,} applications in the fake ({vendor_records:,} vendor records):")
        report("full sync", full_phase, records_of(full), full_floor, full.http.get("requests", 0))
        print(
            f"{'floor':<11} {vendor_records:>9,} vendor records, peak RSS {full_floor.peak_rss_mb:,.0f} MB, "
            f"{floor_requests:,} requests"
        )
        changed = httpx.post(f"{base}/_bench/mutate?fraction=0.01", timeout=60).json()
        since = datetime.now(UTC) - timedelta(minutes=5)  # the engine's LOOKBACK before its watermark
        delta_floor, _, _ = floor(engine, settings, iid, since)
        delta, delta_phase = run((engine, settings), iid, False)
        assert delta.status == "SUCCEEDED", delta.error
        updated = sum(s.updated + s.created for s in delta.models.values())
        report("delta sync", delta_phase, updated, delta_floor, delta.http.get("requests", 0))
        print(
            f"{'':<11} {changed} changed at the vendor; delta = {delta_phase.seconds / full_phase.seconds:.1%} "
            f"of the full sync's time"
        )


def fanout(engine: Engine, settings: Settings, records: int) -> None:
    """Lever in sync-all mode: per-opportunity sub-resource requests (a fan-out vendor), limit lifted."""
    import importlib

    module = importlib.import_module("atsbridge.fakes.lever")
    with engine.begin() as conn:
        env = store.first_environment(conn) or store.create_environment(conn, "bench")
    with fake(records, rate_limit=UNLIMITED, tool="lever") as base:
        config, credentials = module.conformance_setup(base)
        iid = create_integration(
            engine, settings, env, "lever", "Bench", config={**config, "sync_all_applications": True},
            credentials=credentials,
        )  # fmt: skip
        ref, vendor_records, _ = floor(engine, settings, iid)
        result, phase = run((engine, settings), iid, True)
        assert result.status == "SUCCEEDED", result.error
        print(f"lever (fan-out), {records:,} opportunities ({vendor_records:,} vendor records):")
        report("full sync", phase, records_of(result), ref, result.http.get("requests", 0))


def rate_limited(engine: Engine, settings: Settings, records: int) -> None:
    with fake(records, rate_limit="50/10", page_cap=25) as base:
        iid = connect(engine, settings, base)
        limited, phase = run((engine, settings), iid, True)
        requests = limited.http.get("requests", 0)
        rate = requests / phase.seconds
        print(
            f"rate limit 50/10s: {requests} requests in {phase.seconds:.1f}s = {rate:.2f} req/s "
            f"({rate / 5.0:.0%} of the allowed 5 req/s), {limited.http.get('rate_limited', 0)} x 429, "
            f"{limited.http.get('retries', 0)} retries, sync {limited.status}"
        )


if __name__ == "__main__":
    main()
