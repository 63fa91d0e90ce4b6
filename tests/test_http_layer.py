"""The shared HTTP layer against ``httpx.MockTransport``: retries, Retry-After, pacing, budgets, paginators."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest

from atsbridge.connectors.http.client import HttpClient, RetryPolicy
from atsbridge.connectors.http.errors import PaginationLoop, RemoteError
from atsbridge.connectors.http.paginators import BodyToken, LinkHeader, PageRequest, paginate
from atsbridge.connectors.http.ratelimit import RateLimit

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, **kw: object) -> HttpClient:
    kw.setdefault("retry", RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.01))
    return HttpClient(base_url="https://vendor.test", transport=httpx.MockTransport(handler), **kw)  # type: ignore[arg-type]


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_retry_after_then_success() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.2"})
        return httpx.Response(200, json={"ok": True})

    c = client(handler)
    response = run(c.request("GET", "/x"))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert calls[1] - calls[0] >= 0.19
    assert c.counters.as_dict() == {"requests": 2, "retries": 1, "rate_limited": 1}


def test_persistent_5xx_is_classified() -> None:
    c = client(lambda r: httpx.Response(503, text="down"))
    with pytest.raises(RemoteError) as info:
        run(c.request("GET", "/x"))
    assert info.value.code == "REMOTE.SERVICE_UNAVAILABLE" and info.value.retryable
    assert c.counters.requests == 4


@pytest.mark.parametrize(
    "status, code",
    [
        (401, "INTEGRATION.AUTHENTICATION_INVALID"),
        (403, "INTEGRATION.PERMISSION_MISSING"),
        (422, "REMOTE.INPUT_INVALID"),
    ],
)
def test_client_errors_are_not_retried(status: int, code: str) -> None:
    c = client(lambda r: httpx.Response(status, text="nope"))
    with pytest.raises(RemoteError) as info:
        run(c.request("POST", "/x"))
    assert info.value.code == code and c.counters.requests == 1


def test_non_idempotent_post_is_not_retried_on_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    c = client(handler)
    with pytest.raises(RemoteError):
        run(c.request("POST", "/x", retry=False))
    assert c.counters.requests == 1


def test_static_pacing_until_the_vendor_reports_its_own_limits() -> None:
    c = client(lambda r: httpx.Response(200, json={}), rate_limit=RateLimit(2, 0.3))
    t0 = time.monotonic()

    async def four() -> None:
        for _ in range(4):
            await c.request("GET", "/x")

    run(four())
    assert time.monotonic() - t0 >= 0.29  # two windows

    headers = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99"}
    d = client(lambda r: httpx.Response(200, json={}, headers=headers), rate_limit=RateLimit(2, 0.3))

    async def ten() -> None:
        for _ in range(10):
            await d.request("GET", "/x")

    t1 = time.monotonic()
    run(ten())
    assert time.monotonic() - t1 < 0.29  # the vendor's own (higher) limit applies


def test_exhausted_remaining_waits_for_reset() -> None:
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        left = "0" if len(sent) == 1 else "5"
        return httpx.Response(200, json={}, headers={"X-RateLimit-Remaining": left, "X-RateLimit-Reset": "0.25"})

    c = client(handler)

    async def two() -> None:
        await c.request("GET", "/x")
        await c.request("GET", "/x")

    run(two())
    assert sent[1] - sent[0] >= 0.24


def test_budget() -> None:
    c = client(lambda r: httpx.Response(200, json={}), budget=2)

    async def three() -> None:
        for _ in range(3):
            await c.request("GET", "/x")

    with pytest.raises(RemoteError) as info:
        run(three())
    assert "budget" in info.value.message


def test_link_header_cursor_only_and_loop_detection() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        page = int(request.url.params.get("cursor", "0"))
        headers = {"Link": f'<https://vendor.test/items?cursor={page + 1}>; rel="next"'} if page < 2 else {}
        return httpx.Response(200, json=[{"id": page}], headers=headers)

    async def collect() -> list[list[dict[str, object]]]:
        pages = paginate(client(handler), LinkHeader(), PageRequest("GET", "/items", {"updated_at": "gte|x"}),
                         records_path=None, stream="items")  # fmt: skip
        return [p async for p in pages]

    assert run(collect()) == [[{"id": 0}], [{"id": 1}], [{"id": 2}]]
    assert dict(seen[0].params) == {"updated_at": "gte|x", "per_page": "500"}
    assert dict(seen[1].params) == {"cursor": "1"}  # nothing but the cursor

    looping = client(lambda r: httpx.Response(200, json={"data": [1], "hasNext": True, "next": "same"}))

    async def loop() -> None:
        async for _ in paginate(looping, BodyToken(), PageRequest("GET", "/o"), records_path="data", stream="o"):
            pass

    with pytest.raises(PaginationLoop):
        run(loop())


def test_truncated_json_fails_the_listing() -> None:
    c = client(
        lambda r: httpx.Response(
            200, content=b'{"data": [{"id": 1}, {"id"', headers={"content-type": "application/json"}
        )
    )

    async def collect() -> None:
        async for _ in paginate(c, BodyToken(), PageRequest("GET", "/o"), records_path="data", stream="o"):
            pass

    with pytest.raises(RemoteError) as info:
        run(collect())
    assert "not complete JSON" in info.value.message


def test_adaptive_pace_halves_per_429_round_and_recovers_additively() -> None:
    """AIMD on a fake clock: the first 429 halves the rate actually sent, requests already in flight at a
    decrease do not decrease again, the floor follows the vendor's Retry-After, and successes climb back
    until pacing is left to the vendor again."""
    from atsbridge.connectors.http import ratelimit

    now = [100.0]
    limiter = ratelimit.Limiter(None, clock=lambda: now[0])
    sent = []
    for _ in range(20):  # 10 requests per second for two seconds
        sent.append(run(limiter.acquire()))
        now[0] += 0.1
    limiter.throttled(0.5, sent[-1])
    assert limiter.pace == pytest.approx(5.0)  # half of the observed 10/s
    limiter.throttled(0.5, sent[-2])  # in flight before the decrease: same round, no second halving
    assert limiter.pace == pytest.approx(5.0)
    now[0] += 0.5
    limiter.throttled(0.5, now[0])  # a new round: halved again
    assert limiter.pace == pytest.approx(2.5)
    for _ in range(10):
        now[0] += 0.5
        limiter.throttled(2.0, now[0])  # Retry-After 2 s: the floor is one request per 4 s, not lower
    assert limiter.pace == pytest.approx(0.25)
    climbs = 0
    while limiter.pace is not None:
        limiter.succeeded()
        climbs += 1
    assert 100 < climbs < 200  # slowly: 0.25 of the 10/s ceiling per success, up to 4x the ceiling


def test_sends_are_spaced_by_the_adaptive_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serialised and spaced: when a vendor-requested block ends, waiting requests do not fire at once."""
    from atsbridge.connectors.http import ratelimit

    now = [0.0]

    async def fake_sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(ratelimit.asyncio, "sleep", fake_sleep)
    limiter = ratelimit.Limiter(None, clock=lambda: now[0])
    limiter.pace = 2.0  # two per second
    limiter.block_for(1.0)

    async def three() -> list[float]:
        return list(await asyncio.gather(*(limiter.acquire() for _ in range(3))))

    assert run(three()) == pytest.approx([1.0, 1.5, 2.0])
