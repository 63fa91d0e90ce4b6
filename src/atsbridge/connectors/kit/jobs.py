"""Asynchronous vendor writes: the POST answers a job id, and the outcome is read by polling the job.

HRworks (``POST .../job-applications`` -> ``{"jobId"}``, then ``GET .../job-applications/jobs/{jobId}`` until it
is no longer ``pending``) is the first vendor; the same shape fits any "202 + job resource" API. The POST goes
through :func:`atsbridge.connectors.kit.writes.create_request` (never re-sent on a 5xx or a timeout); the polls are
plain GETs (idempotent, retried as usual). Callers record the job id with ``call.step`` right after the POST, so a
retry after a stall can ask the job again instead of guessing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.kit.writes import create_request

#: Seconds between polls: quick at first (most jobs finish within a second), about 40 s in all.
DEFAULT_DELAYS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 5.0, 5.0, 8.0, 10.0)


def _json(response: Any, what: str) -> Any:
    try:
        return orjson.loads(response.content)
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what}: the ATS answered no JSON", retryable=True) from None


@dataclass(frozen=True)
class AsyncJob:
    """Where a vendor puts the job id (``id_path`` of the POST answer), where the job is read (``status_path``,
    a template with ``{job_id}``) and which ``state_path`` values mean "not done yet"."""

    status_path: str
    id_path: str = "jobId"
    state_path: str = "status"
    pending: tuple[str, ...] = ("pending",)
    delays: tuple[float, ...] = DEFAULT_DELAYS

    async def submit(
        self, client: HttpClient, path: str, *, json: Any = None, content: bytes | None = None,
        params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
    ) -> str:  # fmt: skip
        """Send the write once (no re-send on 5xx/timeout) and return the job id it answered."""
        response = await create_request(client, "POST", path, json=json, content=content, params=params,
                                        headers=headers)  # fmt: skip
        job_id = dig(_json(response, path), self.id_path)
        if job_id in (None, ""):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS answered no {self.id_path!r}",
                              retryable=True)  # fmt: skip
        return str(job_id)

    async def wait(
        self, client: HttpClient, job_id: str, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> Any:
        """Poll the job until its state is not pending; its last answer. Still pending after every delay is a
        retryable failure: the job may yet finish, and a retry under the same Idempotency-Key asks it again."""
        path = self.status_path.format(job_id=job_id)
        for delay in (0.0, *self.delays):
            if delay:
                await sleep(delay)
            body = _json(await client.request("GET", path), path)
            if str(dig(body, self.state_path) or "").lower() not in self.pending:
                return body
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"the ATS job {job_id} is still pending", retryable=True)
