"""A distributed deployment on one machine, as real processes: for the distributed test and ``bench/scale.py``.

Every worker and API process is started exactly as an operator would (``python -m atsbridge.cli.worker``,
``python -m atsbridge serve``), with its own environment, so signals, process death and reconnects behave
as in production. Nothing here is used by the server itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalCluster:
    """Workers and API processes against one PostgreSQL database; everything is stopped on exit."""

    def __init__(self, database_url: str, secret_key: str, log_dir: Path, env: dict[str, str] | None = None) -> None:
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "ATSBRIDGE_DATABASE_URL": database_url,
            "ATSBRIDGE_SECRET_KEY": secret_key,
            "ATSBRIDGE_JOB_BACKEND": "procrastinate",
            # API processes never run syncs in distributed mode. This also holds before the API selects its
            # job backend from ATSBRIDGE_JOB_BACKEND: the embedded scheduler is simply switched off.
            "ATSBRIDGE_SCHEDULER": "false",
            **(env or {}),
        }
        self.workers: list[subprocess.Popen[bytes]] = []
        self.apis: list[tuple[subprocess.Popen[bytes], str]] = []

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", *args], env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )

    def start_worker(self, concurrency: int = 2, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        proc = self._spawn(
            f"worker-{len(self.workers)}", ["atsbridge.cli.worker", "--concurrency", str(concurrency)], env
        )
        self.workers.append(proc)
        return proc

    def start_api(self, timeout: float = 60.0) -> str:
        """Start ``atsbridge serve`` on a free port; returns its base URL once it answers."""
        port = free_port()
        proc = self._spawn(f"api-{len(self.apis)}", ["atsbridge", "serve", "--port", str(port)], None)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                httpx.get(base + "/v1/openapi.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"API process did not start; see {self.log_dir}") from None
                time.sleep(0.1)
        self.apis.append((proc, base))
        return base

    @property
    def api_urls(self) -> list[str]:
        return [base for proc, base in self.apis if proc.poll() is None]

    def stop_workers(self, timeout: float = 90.0) -> list[int | None]:
        """SIGTERM every live worker (graceful) and wait; returns their exit codes."""
        live = [p for p in self.workers if p.poll() is None]
        for proc in live:
            proc.send_signal(signal.SIGTERM)
        return [_wait(proc, timeout) for proc in live]

    def close(self) -> None:
        self.stop_workers()
        for proc, _ in self.apis:
            if proc.poll() is None:
                proc.terminate()
        for proc, _ in self.apis:
            _wait(proc, 15)

    def __enter__(self) -> LocalCluster:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> int | None:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
