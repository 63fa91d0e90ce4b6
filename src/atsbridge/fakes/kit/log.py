"""The request log every fake keeps: what a connector sent, in order (tests assert on it; ``GET
/__fake/requests`` serves it). Bounded, so a long demo cannot grow it without limit."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson

READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A logged body keeps at most this much (the log holds 20,000 requests; uploads can be large).
BODY_KEPT = 1_048_576


@dataclass
class Logged:
    """One request; logged when it arrives (a stalled answer is already visible) and given its status after."""

    method: str
    path: str
    query: str
    body: bytes = b""
    #: The answer's status (0 while the request is being served).
    status: int = 0
    #: When it arrived (seconds since the epoch).
    at: float = field(default_factory=time.time)

    @property
    def target(self) -> str:
        """``path?query`` as sent."""
        return self.path + ("?" + self.query if self.query else "")

    @property
    def line(self) -> str:
        """``METHOD path?query``."""
        return f"{self.method} {self.target}"

    def json(self) -> Any:
        """The body as JSON (None when absent or not JSON)."""
        try:
            return orjson.loads(self.body) if self.body else None
        except orjson.JSONDecodeError:
            return None

    def as_dict(self) -> dict[str, Any]:
        body = self.json()
        return {"method": self.method, "path": self.path, "query": self.query, "status": self.status, "at": self.at,
                "body": body if body is not None else self.body[:2000].decode(errors="replace") or None}  # fmt: skip


class RequestLog:
    """Every request a fake answered (including refused ones), oldest first."""

    def __init__(self, limit: int = 20_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[Logged] = deque(maxlen=limit)

    def add(self, entry: Logged) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def entries(self) -> list[Logged]:
        with self._lock:
            return list(self._entries)

    def lines(self) -> list[str]:
        """``METHOD path?query`` of every request."""
        return [e.line for e in self.entries()]

    def targets(self, method: str | None = "GET") -> list[str]:
        """``path?query`` of every request of ``method`` (all methods when None)."""
        return [e.target for e in self.entries() if method is None or e.method == method]

    def writes(self, ok_only: bool = False) -> list[Logged]:
        """Every non-read request (``ok_only``: those not refused before the handler ran)."""
        return [e for e in self.entries() if e.method not in READS and (not ok_only or e.status not in (401, 429))]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
