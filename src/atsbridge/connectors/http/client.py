"""The one HTTP client every connector uses: retries with backoff, vendor rate-limit headers honoured,
an adaptive pace lowered by 429s, a per-run request budget and time budget, and failures classified into
the contract's codes.

A 429 is the vendor pacing us, not a failure: it is retried for as long as the run's time budget allows
(:func:`time_budget`, set by the sync engine), not a fixed number of times, so a sync against a vendor that
throttles hard gets slower instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

from atsbridge.connectors.http.errors import RemoteError, classify
from atsbridge.connectors.http.ratelimit import Limiter, RateLimit, remaining, retry_after_seconds, shared_budget

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
    #: Outside a sync's time budget (an API write, a probe), how long one request may keep being throttled.
    rate_limited_seconds: float = 300.0


@dataclass(frozen=True)
class Deadline:
    """A run's time budget: ``at`` on the monotonic clock, ``seconds`` as configured (for messages)."""

    at: float
    seconds: float


#: The time budget of the sync running in this context (asyncio tasks inherit it), None outside syncs.
_DEADLINE: ContextVar[Deadline | None] = ContextVar("atsbridge_http_deadline", default=None)


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[Deadline]:
    """Every client used inside this block (and in tasks it starts) keeps retrying 429s and 5xx only until
    ``seconds`` from now; past that a request fails with a clear error instead of waiting on."""
    deadline = Deadline(time.monotonic() + seconds, seconds)
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


class BudgetExhausted(RemoteError):
    """The run's time budget ran out while the vendor kept refusing (rate limiting or failing)."""


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
    #: Clients with the same key (an integration id) share one request budget, writes first: in this process,
    #: or across processes in distributed mode (:mod:`atsbridge.connectors.http.distributed_budget`).
    budget_key: str | None = None

    def __post_init__(self) -> None:
        shared = shared_budget(self.budget_key, self.rate_limit) if self.budget_key and self.rate_limit else None
        self._limiter = Limiter(self.rate_limit, shared=shared)
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
        content: bytes | None = None,
    ) -> httpx.Response:
        """Send with retries on 429/5xx/timeouts; return the 2xx response or raise :class:`RemoteError`."""
        attempt = 0
        throttled_since: float | None = None
        while True:
            if self.budget is not None and self.counters.requests >= self.budget:
                raise RemoteError("PLATFORM.TASK_TIMED_OUT", f"request budget of {self.budget} exhausted for this run")
            sent_at = await self._limiter.acquire()
            self.counters.requests += 1
            try:
                response = await self._client.request(
                    method, url, params=params, json=json, data=data, files=files, headers=headers, content=content
                )
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if not retry or attempt + 1 >= self.retry.attempts:
                    raise RemoteError(
                        "REMOTE.SERVICE_UNAVAILABLE", f"could not reach the ATS: {type(exc).__name__}", retryable=True
                    ) from exc
                attempt += 1
                self.counters.retries += 1
                delay = self._backoff(attempt)
                self._check_budget(delay, f"could not reach the ATS ({type(exc).__name__})")
                await asyncio.sleep(delay)
                continue
            left = remaining(response)
            if left is not None:
                self._limiter.header_driven = True
            if left is not None and left <= 0:
                wait = retry_after_seconds(response)
                if wait is not None:
                    self._limiter.block_for(wait)
            if response.status_code < 400:
                self._limiter.succeeded()
                return response
            status = self.status_of(response) if self.status_of is not None else response.status_code
            if retry and status == 429:
                self.counters.rate_limited += 1
                self.counters.retries += 1
                wait = retry_after_seconds(response)
                attempt += 1
                delay = min(wait, self.retry.max_vendor_wait) if wait is not None else self._backoff(min(attempt, 8))
                now = time.monotonic()
                throttled_since = now if throttled_since is None else throttled_since
                self._check_budget(delay, "the ATS kept rate limiting (429)", now - throttled_since)
                self._limiter.throttled(wait, sent_at)
                self._limiter.block_for(delay)  # every request of this client waits, not just this one
                log.info("rate limited by %s; waiting %.2fs, then pacing at %s", self.base_url, delay, self._pace())
                continue
            if status == 429:
                self.counters.rate_limited += 1
            if retry and status in RETRY_STATUSES and attempt + 1 < self.retry.attempts:
                attempt += 1
                self.counters.retries += 1
                wait = retry_after_seconds(response)
                delay = min(wait, self.retry.max_vendor_wait) if wait is not None else self._backoff(attempt)
                self._check_budget(delay, f"the ATS kept failing ({status})")
                await asyncio.sleep(delay)
                continue
            text = self.error_text(response) if self.error_text is not None else response.text
            raise classify(status, text)

    def _pace(self) -> str:
        pace = self._limiter.pace
        return "the vendor's limit" if pace is None else f"{pace:.2f} req/s"

    def _check_budget(self, delay: float, what: str, throttled_for: float | None = None) -> None:
        """Fail now, clearly, when waiting ``delay`` more would overrun the run's time budget (or, outside
        a run, when one request has been throttled for longer than ``rate_limited_seconds``)."""
        deadline = _DEADLINE.get()
        if deadline is not None:
            if time.monotonic() + delay <= deadline.at:
                return
            message = (
                f"{what}: the sync's time budget of {deadline.seconds:g}s is exhausted "
                f"({self.counters.rate_limited} rate-limited answers, {self.counters.requests} requests)"
            )
        elif throttled_for is not None and throttled_for + delay > self.retry.rate_limited_seconds:
            message = f"{what} for {throttled_for:.0f}s, longer than {self.retry.rate_limited_seconds:g}s"
        else:
            return
        code = "REMOTE.RATE_LIMIT_EXCEEDED" if throttled_for is not None else "REMOTE.SERVICE_UNAVAILABLE"
        raise BudgetExhausted(code, message, retryable=True)

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
