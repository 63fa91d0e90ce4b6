"""Where a sync's CPU goes, per record, without the network: Greenhouse pages fetched once, then replayed.

``bench/sync.py`` measures wall time against the floor, which a loaded machine blurs. This script measures
the engine's own CPU (``thread_time``, best of ``--repeat``) for each stage of the write path on pages
already in memory: mapping (the connector's mappers plus validation into unified records), validation
alone, and writing (the diff against the store, inserts, side tables, propagation, commit) for a first
write (every record new, as in a full sync) and a second one (every record unchanged, as in a re-sync).

    python bench/sync_cpu.py [--records 2000] [--databases sqlite,postgresql] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import psycopg

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.greenhouse import CONNECTOR
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import utcnow
from atsbridge.fakes.greenhouse import create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store import platform as store
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.store.writer import write_batch
from atsbridge.testing import serve_asgi

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
Pages = list[tuple[str, list[dict[str, Any]]]]


def fetch(records: int) -> Pages:
    app = create_app(seed=1, records=records, rate_limit=None)
    pages: Pages = []

    async def run(url: str) -> None:
        config = {"base_url": url + "/v3", "token_url": url + "/token", "sync_all_applications": True}
        info = IntegrationInfo("greenhouse:bench", "greenhouse", config, {"client_id": "gh_client", "client_secret": "gh_secret"})  # fmt: skip
        source = CONNECTOR.open(info)
        for stream in CONNECTOR.streams:
            async for page in source.read(stream, None):
                pages.append((stream.name, page))
        await source.aclose()

    with serve_asgi(app) as url:
        asyncio.run(run(url))
    return pages


def best(repeat: int, fn: Callable[[], object], setup: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        setup()
        t0 = time.thread_time()
        fn()
        times.append(time.thread_time() - t0)
    return min(times)


def mapped(pages: Pages, integration_id: str) -> list[dict[str, list[UnifiedRecord]]]:
    streams = {s.name: s for s in CONNECTOR.streams}
    ctx = MapContext(integration_id)
    out = []
    for name, page in pages:
        by_model: dict[str, list[UnifiedRecord]] = defaultdict(list)
        for raw in page:
            for rec in streams[name].mapper(raw, ctx):
                by_model[rec.model].append(rec)
        out.append(by_model)
    return out


def database(kind: str, tmp: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/cpu-{uuid.uuid4().hex[:6]}.db", None
    name = f"atsbridge_cpu_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_URL.rsplit('/', 1)[0]}/{name}", name


def write_all(url: str, batches_of: Callable[[str], list[dict[str, list[UnifiedRecord]]]]) -> tuple[float, float]:
    """CPU of writing every page (one transaction each) into a fresh store: first time, then unchanged."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        env = store.create_environment(conn, "cpu")
        iid = store.create_integration(conn, env, "greenhouse", "CPU")
    batches = batches_of(iid)

    def write() -> None:
        for by_model in batches:
            ts = utcnow()
            with engine.begin() as conn:
                for model, recs in by_model.items():
                    write_batch(conn, iid, model, recs, ts)

    t0 = time.thread_time()
    write()
    first = time.thread_time() - t0
    t0 = time.thread_time()
    write()
    again = time.thread_time() - t0
    engine.dispose()
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000, help="applications in the fake")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    pages = fetch(args.records)
    n = sum(len(b) for by in mapped(pages, "greenhouse:count") for b in by.values())
    per = 1e6 / n
    map_cpu = best(args.repeat, lambda: mapped(pages, "greenhouse:m"), record_id.cache_clear)
    print(f"{n:,} unified records from {sum(len(p) for _, p in pages):,} vendor records")
    print(f"map + validate          {map_cpu * per:6.1f} us/record")
    tmp = tempfile.mkdtemp(prefix="atsbridge-cpu-")
    for kind in args.databases.split(","):
        firsts, agains = [], []
        for _ in range(args.repeat):
            url, name = database(kind, tmp)
            try:
                first, again = write_all(url, lambda iid: mapped(pages, iid))
            finally:
                if name is not None:
                    with psycopg.connect(PG_URL, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            firsts.append(first)
            agains.append(again)
        print(
            f"{kind:<10} write, new   {min(firsts) * per:6.1f} us/record (this process; the server's CPU is not counted)"
        )
        print(f"{kind:<10} write, same  {min(agains) * per:6.1f} us/record")


if __name__ == "__main__":
    main()
