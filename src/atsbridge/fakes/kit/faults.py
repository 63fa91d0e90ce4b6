"""One fault API for every fake: arm a failure for the next N matching requests, over Python or HTTP.

A :class:`Fault` matches requests by path substring, method, "writes only" and "carries this query
parameter"; it skips the first ``after`` matches and then acts on the next ``remaining`` ones. Every armed
fault sees every matching request (two faults can act on one request), so ``after`` counts requests the way
a test reads a sync's request sequence. The engine (``server.py``)
both act on what :meth:`FaultBox.begin` hands back, so the knobs mean the same thing on every fake.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

#: What a fault does. ``fail``: answer ``status`` (5xx) and do nothing; ``storm``: answer 429 in the
#: vendor's shape; ``timeout``: hold the request ``seconds`` (longer than the client waits) then 504, nothing
#: done; ``slow``: wait ``seconds`` then serve; ``truncate``: serve, then cut the body in half;
#: ``stall``: serve (a write is committed), then wait ``seconds`` before answering; ``invalid_page``: the
#: vendor's "invalid cursor/offset token" error (arm it with ``query`` naming the paging parameter).
FaultKind = Literal["fail", "storm", "timeout", "slow", "truncate", "stall", "invalid_page"]
KINDS: tuple[str, ...] = get_args(FaultKind)
#: Kinds acting before the handler (nothing is done) and after it (the work is done).
EARLY = frozenset({"fail", "storm", "timeout", "invalid_page"})
LATE = frozenset({"truncate", "stall"})
READS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ARMED = 1_000


class FaultError(ValueError):
    """A fault description that cannot be armed (unknown kind, bad number...); the message names the field."""


@dataclass
class Fault:
    kind: FaultKind
    remaining: int = 1
    status: int = 503
    #: ``slow``/``stall``/``timeout``: how long to wait; ``fail``/``storm``: the ``Retry-After`` sent.
    seconds: float = 0.0
    path: str | None = None
    method: str | None = None
    writes: bool = False
    query: str | None = None
    after: int = 0

    def matches(self, method: str, path: str, query: dict[str, str]) -> bool:
        return (
            (self.path is None or self.path in path)
            and (self.method is None or self.method.upper() == method)
            and (not self.writes or method not in READS)
            and (self.query is None or self.query in query)
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(body: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise FaultError(f"{key} must be a number between {low:g} and {high:g}")
    return float(value)


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and (not isinstance(value, str) or len(value) > 500):
        raise FaultError(f"{key} must be a string of at most 500 characters")
    return value


def parse_fault(body: Any) -> Fault:
    """A :class:`Fault` from its JSON description (``POST /__fake/faults``), checked field by field."""
    if not isinstance(body, dict):
        raise FaultError("each fault must be a JSON object")
    unknown = set(body) - {"kind", "n", "status", "seconds", "path", "method", "writes", "query", "after"}
    if unknown:
        raise FaultError(f"unknown field(s): {', '.join(sorted(unknown))}")
    kind = body.get("kind")
    if kind not in KINDS:
        raise FaultError(f"kind must be one of: {', '.join(KINDS)}")
    writes = body.get("writes", False)
    if not isinstance(writes, bool):
        raise FaultError("writes must be true or false")
    return Fault(
        kind=kind,
        remaining=int(_number(body, "n", 1, 1, 100_000)),
        status=int(_number(body, "status", 429 if kind == "storm" else 503, 400, 599)),
        seconds=_number(body, "seconds", 0.0, 0.0, 600.0),
        path=_text(body, "path"),
        method=_text(body, "method"),
        writes=writes,
        query=_text(body, "query"),
        after=int(_number(body, "after", 0, 0, 1_000_000)),
    )


class FaultBox:
    """The armed faults of one fake. Thread-safe: tests arm from their thread while the server serves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.armed: list[Fault] = []

    def arm(self, fault: Fault) -> Fault:
        with self._lock:
            if len(self.armed) >= MAX_ARMED:
                raise FaultError(f"at most {MAX_ARMED} faults may be armed; clear some first")
            self.armed.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.armed.clear()

    def spent(self) -> bool:
        """Every armed fault has acted as many times as it was armed for."""
        with self._lock:
            return all(f.remaining == 0 for f in self.armed)

    def begin(self, method: str, path: str, query: dict[str, str]) -> list[Fault]:
        """The faults acting on this request (each consumed once)."""
        out = []
        with self._lock:
            for fault in self.armed:
                if fault.remaining <= 0 or not fault.matches(method, path, query):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.remaining -= 1
                out.append(fault)
        return out

    # ----------------------------------------------------------------------------- the named knobs
    def fail_next(self, n: int = 1, status: int = 503, *, retry_after: float = 0.0, **aim: Any) -> Fault:
        """The next ``n`` matching requests answer ``status`` and do nothing."""
        return self.arm(Fault("fail", n, status=status, seconds=retry_after, **aim))

    def rate_limit_storm(self, n: int = 1, *, retry_after: float = 0.0, **aim: Any) -> Fault:
        """The next ``n`` matching requests answer 429 with the vendor's rate-limit headers and body."""
        return self.arm(Fault("storm", n, status=429, seconds=retry_after, **aim))

    def timeout_next(self, n: int = 1, seconds: float = 30.0, **aim: Any) -> Fault:
        """The next ``n`` matching requests hang ``seconds`` then answer 504; nothing is done."""
        return self.arm(Fault("timeout", n, status=504, seconds=seconds, **aim))

    def slow_next(self, n: int = 1, seconds: float = 1.0, **aim: Any) -> Fault:
        return self.arm(Fault("slow", n, seconds=seconds, **aim))

    def truncate_next(self, n: int = 1, **aim: Any) -> Fault:
        """The next ``n`` matching answers are 200 with half a JSON body (a write is done all the same)."""
        return self.arm(Fault("truncate", n, **aim))

    def stall_after_commit(self, n: int = 1, seconds: float = 2.0, **aim: Any) -> Fault:
        """The next ``n`` matching writes are committed, then answered ``seconds`` late (longer than the
        client's timeout: "done, but the caller never heard")."""
        aim.setdefault("writes", True)
        return self.arm(Fault("stall", n, seconds=seconds, **aim))

    def invalid_page_next(self, n: int = 1, *, query: str, **aim: Any) -> Fault:
        """The next ``n`` requests carrying the paging parameter ``query`` get the vendor's invalid-token error."""
        return self.arm(Fault("invalid_page", n, status=400, query=query, **aim))
