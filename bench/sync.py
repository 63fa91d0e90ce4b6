"""Sync benchmark against the fake Greenhouse (Harvest v3), served from its own process.

1. Full sync of >= 100,000 applications (with candidates, jobs, stages...) at zero latency: records/s.
2. A delta sync after 1% of the data changed: remote requests and wall time against the full sync.
3. The fake with Greenhouse's rate limit (50 requests / 10 s): achieved request rate against the limit,
   429s met, and the sync's outcome.

    python bench/sync.py [--records 100000] [--database-url ...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from atsbridge.connect.service import create_integration
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


def run(engine_settings: tuple[object, Settings], iid: str, full: bool) -> tuple[SyncResult, float]:
    engine, settings = engine_settings
    t0 = time.perf_counter()
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=full))  # type: ignore[arg-type]
    return result, time.perf_counter() - t0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000, help="applications in the fake")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--limited-records", type=int, default=1_500)
    parser.add_argument("--vendor-records", type=int, default=300, help="applications per fake in the per-vendor run")
    parser.add_argument("--only-vendors", action="store_true", help="run only the per-vendor comparison")
    parser.add_argument("--skip-vendors", action="store_true", help="skip the per-vendor comparison (minutes)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="atsbridge-bench-")
    url = args.database_url or f"sqlite:///{tmp}/sync.db"
    settings = Settings(database_url=url, scheduler=False, secret_key="bench-" + "x" * 40)
    engine = make_engine(url)
    upgrade(engine)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, {engine.dialect.name}"
    )

    if not args.only_vendors:
        greenhouse(engine, settings, args)
    if not args.skip_vendors:
        vendors(engine, settings, args.vendor_records)


def vendors(engine: object, settings: Settings, records: int) -> None:
    """Every connector against its fake at the vendor's documented rate limit (the fake's default)."""
    import importlib

    from atsbridge.connectors.registry import known_tools

    print(
        f"\nper vendor, full sync of a fake tenant with ~{records} applications at the vendor's documented rate limit:"
    )
    print(
        f"{'tool':<16} {'records':>8} {'seconds':>8} {'records/s':>10} {'requests':>9} {'req/s':>7} {'429s':>5} status"
    )
    for tool in known_tools():
        if tool == "sandbox":
            continue
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
            result, took = run((engine, settings), iid, True)
        n = records_of(result)
        requests = result.http.get("requests", 0)
        print(
            f"{tool:<16} {n:>8,} {took:>8.1f} {n / took:>10,.0f} {requests:>9,} {requests / took:>7.2f} "
            f"{result.http.get('rate_limited', 0):>5} {result.status}"
        )


def greenhouse(engine: object, settings: Settings, args: argparse.Namespace) -> None:
    with fake(args.records, rate_limit=UNLIMITED) as base:
        iid = connect(engine, settings, base)
        full, full_s = run((engine, settings), iid, True)
        assert full.status == "SUCCEEDED", full.error
        n = records_of(full)
        print(
            f"full sync:  {n:,} records ({full.models['applications'].created:,} applications) in {full_s:.1f}s "
            f"= {n / full_s:,.0f} records/s end to end; {full.http.get('requests', 0):,} requests"
        )
        changed = httpx.post(f"{base}/_bench/mutate?fraction=0.01", timeout=60).json()
        delta, delta_s = run((engine, settings), iid, False)
        assert delta.status == "SUCCEEDED", delta.error
        updated = sum(s.updated + s.created for s in delta.models.values())
        print(
            f"delta sync: {changed} changed at the vendor -> {updated:,} records updated in {delta_s:.2f}s "
            f"({delta_s / full_s:.1%} of the full sync), {delta.http.get('requests', 0):,} requests "
            f"({delta.http.get('requests', 0) / max(full.http.get('requests', 1), 1):.1%} of the full sync's)"
        )

    with fake(args.limited_records, rate_limit="50/10", page_cap=25) as base:
        iid = connect(engine, settings, base)
        limited, limited_s = run((engine, settings), iid, True)
        requests = limited.http.get("requests", 0)
        rate = requests / limited_s
        print(
            f"rate limit 50/10s: {requests} requests in {limited_s:.1f}s = {rate:.2f} req/s "
            f"({rate / 5.0:.0%} of the allowed 5 req/s), {limited.http.get('rate_limited', 0)} x 429, "
            f"{limited.http.get('retries', 0)} retries, sync {limited.status}"
        )


if __name__ == "__main__":
    main()
