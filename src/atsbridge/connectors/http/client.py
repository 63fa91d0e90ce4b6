"""The one HTTP client every connector uses: retries with backoff, vendor rate-limit headers honoured,
a per-run request budget, and failures classified into the contract's codes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from atsbridge.connectors.http.errors import RemoteError, classify
from atsbridge.connectors.http.ratelimit import Limiter, RateLimit, remaining, retry_after_seconds

log = logging.getLogger("atsbridge.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    #: Cap of our own exponential backoff.
    max_delay: float = 60.0
    #: Cap of a wait the vendor asks for (Retry-After): honoured in full up to this, never cut short.
    max_vendor_wait: float = 300.0
    #: A 429 is the vendor pacing us, not a failure: keep waiting as told, up to this many times in a row.
    rate_limited_attempts: int = 40


@dataclass
class Counters:
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"requests": self.requests, "retries": self.retries, "rate_limited": self.rate_limited}


@dataclass
class HttpClient:
    """Wraps ``httpx.AsyncClient``; ``transport`` lets tests mount a fake vendor in-process."""

    base_url: str
    auth: httpx.Auth | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    rate_limit: RateLimit | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: Refuse to send more than this many requests in one run (a runaway loop must not burn the quota).
    budget: int | None = None
    timeout: float = 30.0
    transport: httpx.AsyncBaseTransport | None = None
    counters: Counters = field(default_factory=Counters)
    #: Where a vendor puts its error message when not in the body (BambooHR: a response header).
    error_text: Callable[[httpx.Response], str] | None = None
    #: The status an error answer means (a vendor that says "invalid token" with a 403, or "rate limited"
    #: with a 400): drives retries and the error code. Called only for answers of 400 and above.
    status_of: Callable[[httpx.Response], int] | None = None

    def __post_init__(self) -> None:
        self._limiter = Limiter(self.rate_limit)
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=self.auth,
            headers=dict(self.headers),
            timeout=self.timeout,
            transport=self.transport,
            follow_redirects=True,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
    ) -> httpx.Response:
        """Send with retries on 429/5xx/timeouts; return the 2xx response or raise :class:`RemoteError`."""
        attempt = 0
        while True:
            if self.budget is not None and self.counters.requests >= self.budget:
                raise RemoteError("PLATFORM.TASK_TIMED_OUT", f"request budget of {self.budget} exhausted for this run")
            await self._limiter.acquire()
            self.counters.requests += 1
            try:
                response = await self._client.request(
                    method, url, params=params, json=json, data=data, files=files, headers=headers
                )
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if not retry or attempt + 1 >= self.retry.attempts:
                    raise RemoteError(
                        "REMOTE.SERVICE_UNAVAILABLE", f"could not reach the ATS: {type(exc).__name__}", retryable=True
                    ) from exc
                attempt += 1
                self.counters.retries += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            left = remaining(response)
            if left is not None:
                self._limiter.header_driven = True
            if left is not None and left <= 0:
                wait = retry_after_seconds(response)
                if wait is not None:
                    self._limiter.block_for(wait)
            if response.status_code < 400:
                return response
            status = self.status_of(response) if self.status_of is not None else response.status_code
            if status == 429:
                self.counters.rate_limited += 1
            limit = self.retry.rate_limited_attempts if status == 429 else self.retry.attempts
            if retry and status in RETRY_STATUSES and attempt + 1 < limit:
                attempt += 1
                self.counters.retries += 1
                wait = retry_after_seconds(response)
                delay = min(wait, self.retry.max_vendor_wait) if wait is not None else self._backoff(attempt)
                if status == 429:
                    self._limiter.block_for(delay)  # every request of this client waits, not just this one
                    log.info("rate limited by %s; waiting %.2fs", self.base_url, delay)
                else:
                    await asyncio.sleep(delay)
                continue
            text = self.error_text(response) if self.error_text is not None else response.text
            raise classify(status, text)

    async def send_raw(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        files: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One request with the client's auth and rate limit, for passthrough: no retries, redirects are not
        followed, and any status is returned as is. Only a transport failure raises :class:`RemoteError`."""
        await self._limiter.acquire()
        self.counters.requests += 1
        try:
            return await self._client.request(
                method,
                url,
                params=params,
                content=content,
                files=files,
                data=data,
                headers=headers,
                follow_redirects=False,
            )
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise RemoteError(
                "REMOTE.SERVICE_UNAVAILABLE", f"could not reach the ATS: {type(exc).__name__}", retryable=True
            ) from exc

    def _backoff(self, attempt: int) -> float:
        delay: float = min(self.retry.base_delay * 2.0 ** (attempt - 1), self.retry.max_delay)
        return delay * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not crypto
