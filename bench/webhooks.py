"""Webhook dispatch benchmark: N events over K integrations, delivered to a local receiver by D dispatchers.

Prints events/s from the first attempt to the last acknowledgement (signing, claims, HTTP, bookkeeping), and
the ratio to a floor measured in the same run: the same number of threads POSTing signed bodies straight to
the receiver, with no database at all.

    python bench/webhooks.py                      # SQLite in a temporary directory
    python bench/webhooks.py --database-url postgresql://postgres@127.0.0.1:5432/atsbridge_bench_wh
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.db import make_engine
from atsbridge.store.migrate import upgrade
from atsbridge.testing import serve_asgi
from atsbridge.webhooks.dispatcher import Dispatcher
from atsbridge.webhooks.endpoints import create_endpoint
from atsbridge.webhooks.events import emit


def _floor(url: str, requests: int, workers: int) -> float:
    """Requests/s of ``workers`` threads POSTing signed bodies straight to the receiver: HTTP and signing only."""
    import httpx

    from atsbridge.webhooks.signing import sign

    body = b'{"id":"evt_floor","type":"data-changed","data":{}}'

    def run(n: int) -> None:
        with httpx.Client() as client:
            for _ in range(n):
                client.post(url, content=body, headers={"X-Kombo-Signature": sign("s" * 32, body)})

    threads = [threading.Thread(target=run, args=(requests // workers,)) for _ in range(workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (requests // workers * workers) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--integrations", type=int, default=50)
    parser.add_argument("--dispatchers", type=int, default=2)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    settings = Settings(database_url=url, secret_key="b" * 40, scheduler=False)
    engine = make_engine(url)
    upgrade(engine)
    got = {"n": 0}
    lock = threading.Lock()

    async def hook(request: Request) -> Response:
        await request.body()
        with lock:
            got["n"] += 1
        return Response(b"ok")

    with serve_asgi(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as base:
        with engine.begin() as conn:
            env = platform.create_environment(conn, "bench")
        from atsbridge.store.credentials import credential_box

        create_endpoint(engine, credential_box(engine, settings), settings, env, url=base + "/hook")
        started = time.perf_counter()
        with engine.begin() as conn:
            for n in range(args.events):
                iid = f"sandbox:{n % args.integrations}"
                data = {"integration_id": iid, "integration_tool": "sandbox", "integration_category": "ATS",
                        "changed_models": [{"name": "ats_jobs", "ids": [str(n)]}]}  # fmt: skip
                emit(conn, environment_id=env, type="data-changed", data=data, integration_id=iid)
        emitted = time.perf_counter() - started
        floor_rate = _floor(base + "/hook", min(args.events, 500), args.dispatchers)
        with lock:
            got["n"] = 0
        dispatchers = [Dispatcher(engine, settings, environments=[env]) for _ in range(args.dispatchers)]
        started = time.perf_counter()
        for d in dispatchers:
            d.start()
        while got["n"] < args.events:
            time.sleep(0.01)
        took = time.perf_counter() - started
        for d in dispatchers:
            d.stop()
    rate = args.events / took
    print(f"floor: signed POSTs straight to the receiver, no database: {floor_rate:,.0f} requests/s")
    print(
        f"{engine.dialect.name}: emitted {args.events} events in {emitted:.2f}s; delivered by {args.dispatchers} "
        f"dispatchers in {took:.2f}s = {rate:,.0f} events/s ({args.integrations} integrations)"
    )
    print(f"dispatch = {rate / floor_rate:.2f} x floor")


if __name__ == "__main__":
    main()
