"""Real-time benchmark: seconds from a change at the vendor to atsbridge's ``data-changed`` at the customer.

For each connector that ingests vendor webhooks and whose fake emits them: the real app (embedded scheduler
and webhook dispatcher on, as ``make run`` starts them) on a real port, the vendor's fake pushing its signed
webhooks to the URL atsbridge issued, and a local receiver subscribed to ``data-changed``. Each change made
with ``POST /__fake/simulate`` is timed until the first ``data-changed`` naming that record arrives.

Two loads: isolated changes (the next one after the previous arrived: "1 change a minute" without the wait),
and a burst rate (``--rate`` changes per minute, default 100, for ``--burst-seconds``). Figures are p50/p95/max
seconds; the polling floor they replace is the delta interval (15 minutes by default).

    python bench/realtime.py                       # SQLite in a temporary directory
    python bench/realtime.py --changes 30 --rate 100 --burst-seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import os
import platform as host
import statistics
import tempfile
import threading
import time
from typing import Any

import httpx
import orjson
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.api.app import create_app
from atsbridge.connect.service import create_integration
from atsbridge.connectors.registry import get_connector, known_tools
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.store import platform
from atsbridge.store.credentials import credential_box
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import sync_runs
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi
from atsbridge.webhooks.endpoints import create_endpoint


class Receiver:
    """The customer's endpoint: when each unified record id was named by a ``data-changed``."""

    def __init__(self) -> None:
        self.seen: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    async def hook(self, request: Request) -> Response:
        body = orjson.loads(await request.body())
        now = time.monotonic()
        if body.get("type") == "data-changed":
            with self.lock:
                for model in body["data"]["changed_models"]:
                    for rid in model.get("ids") or []:
                        self.seen.setdefault(rid, []).append(now)
        return Response(b"ok")

    def wait(self, ids: list[str], since: float, timeout: float = 120.0) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                seen = [t for i in ids for t in self.seen.get(i, ()) if t >= since]
            if seen:
                return min(seen) - since
            time.sleep(0.02)
        return None


def emitting_tools() -> list[str]:
    out = []
    for tool in known_tools():
        fake = importlib.util.find_spec(f"atsbridge.fakes.{tool}")
        if fake is None or get_connector(tool).webhooks is None:
            continue
        spec = getattr(importlib.import_module(f"atsbridge.fakes.{tool}"), "SPEC", None)
        if spec is not None and spec.hooks.webhooks is not None:
            out.append(tool)
    return out


def _ids(integration_id: str, models: dict[str, str], changes: list[dict[str, str]]) -> list[list[str]]:
    """Per change, the unified ids a data-changed for it would name ([] for records no model mirrors, and for
    deletions: without a deletion feed those show at the next complete listing, not within seconds)."""
    return [
        [record_id(integration_id, models[c["resource"]], c["remote_id"])]
        if c["resource"] in models and c["kind"] != "deleted"
        else []
        for c in changes
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _line(label: str, latencies: list[float], missed: int) -> str:
    if not latencies:
        return f"  {label:<34} no change arrived ({missed} missed)"
    return (f"  {label:<34} n={len(latencies):>4}  p50 {statistics.median(latencies):6.2f} s  "
            f"p95 {_pct(latencies, 0.95):6.2f} s  max {max(latencies):6.2f} s  missed {missed}")  # fmt: skip


def bench_tool(tool: str, settings: Settings, engine: Any, args: argparse.Namespace, receiver_url: str,
               receiver: Receiver) -> None:  # fmt: skip
    fake = importlib.import_module(f"atsbridge.fakes.{tool}")
    with serve_asgi(fake.create_app(seed=5, records=200, rate_limit=None)) as fake_url, \
            serve_asgi(create_app(settings, engine), lifespan="on") as api_url:  # fmt: skip
        with engine.begin() as conn:
            env = platform.create_environment(conn, f"realtime-{tool}")
            key = platform.create_api_key(conn, env, "bench")
        create_endpoint(engine, credential_box(engine, settings), settings, env, url=receiver_url,
                        event_types=["data-changed"])  # fmt: skip
        config, credentials = fake.conformance_setup(fake_url)
        config = {**config, "sync_all_applications": True}  # every application, not only tracked ones
        iid = create_integration(engine, settings, env, tool, "Realtime", config=config, credentials=credentials)
        asyncio.run(SyncEngine(engine, settings).run(iid, full=True))
        auth = {"Authorization": f"Bearer {key}"}
        hook = httpx.put(f"{api_url}/v1/integrations/{iid}/vendor-webhook", headers=auth, timeout=60).json()["data"]
        if hook["registration"] == "manual":
            httpx.post(f"{fake_url}/__fake/webhooks", json={"url": hook["url"], "secret": hook["secret"]}, timeout=30)
        models = httpx.get(f"{fake_url}/__fake/state", timeout=30).json()["models"]
        print(f"\n{tool} (webhooks: {hook['registration']} registration)")

        isolated, missed = [], 0
        for seed in range(args.changes):
            started = time.monotonic()
            changes = httpx.post(f"{fake_url}/__fake/simulate", json={"steps": 1, "seed": 1000 + seed},
                                 timeout=30).json()["changes"]  # fmt: skip
            for ids in _ids(iid, models, changes):
                if not ids:
                    continue
                took = receiver.wait(ids, started)
                if took is None:
                    missed += 1
                else:
                    isolated.append(took)
        print(_line("isolated changes", isolated, missed))

        interval = 60.0 / args.rate
        sent: list[tuple[float, list[str]]] = []
        ends = time.monotonic() + args.burst_seconds
        seed = 5000
        while time.monotonic() < ends:
            started = time.monotonic()
            changes = httpx.post(f"{fake_url}/__fake/simulate", json={"steps": 1, "seed": seed},
                                 timeout=30).json()["changes"]  # fmt: skip
            sent += [(started, ids) for ids in _ids(iid, models, changes) if ids]
            seed += 1
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        burst, missed = [], 0
        for started, ids in sent:
            took = receiver.wait(ids, started, timeout=max(5.0, 120.0 - (time.monotonic() - started)))
            if took is None:
                missed += 1
            else:
                burst.append(took)
        print(_line(f"{args.rate} changes/min for {args.burst_seconds:.0f} s", burst, missed))
        with engine.connect() as conn:
            runs = conn.execute(
                select(sync_runs.c.started_at, sync_runs.c.finished_at).where(
                    sync_runs.c.integration_id == iid, sync_runs.c.trigger == "vendor-webhook"
                )
            ).fetchall()
        took = [(r.finished_at - r.started_at).total_seconds() for r in runs if r.started_at and r.finished_at]
        floor = f", each {statistics.median(took):.2f} s (median): the floor of any push" if took else ""
        print(f"  delta runs triggered by webhooks: {len(runs)} for {args.changes + len(sent)} changes{floor}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    parser.add_argument("--changes", type=int, default=20, help="isolated changes per connector")
    parser.add_argument("--rate", type=float, default=100.0, help="changes per minute in the burst")
    parser.add_argument("--burst-seconds", type=float, default=60.0)
    parser.add_argument("--only", nargs="*", default=None, metavar="TOOL")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='atsbridge-realtime-')}/bench.db"
    settings = Settings(database_url=url, secret_key="r" * 40, scheduler=True)
    engine = make_engine(url)
    upgrade(engine)
    print(f"machine: {host.machine()} {os.cpu_count()} cores, Python {host.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; database {engine.dialect.name}")  # fmt: skip
    receiver = Receiver()
    with serve_asgi(Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])) as base:
        for tool in args.only or emitting_tools():
            bench_tool(tool, settings, engine, args, base + "/hook", receiver)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
