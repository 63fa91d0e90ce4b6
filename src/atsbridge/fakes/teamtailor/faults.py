"""The pre-engine fault list and rate window. The Teamtailor fake now uses the engine's (``fakes.kit``); this
module stays only because ``fakes/recruitee`` still imports it: delete it when Recruitee moves to the engine."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Fault:
    """One armed failure: ``kind`` for the next ``remaining`` requests whose path contains ``path``."""

    kind: str  # fail | storm | truncate | slow | stall
    remaining: int
    status: int = 503
    seconds: float = 0.0
    path: str | None = None
    method: str | None = None


@dataclass
class Window:
    """Teamtailor's limiter: ``limit`` requests per fixed ``seconds`` window, reported in ``X-Rate-Limit-*``."""

    limit: int
    seconds: float
    started: float = field(default_factory=time.monotonic)
    used: int = 0

    def take(self) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until the window resets)."""
        now = time.monotonic()
        if now - self.started >= self.seconds:
            self.started, self.used = now, 0
        reset = max(self.seconds - (now - self.started), 0.0)
        if self.used >= self.limit:
            return False, 0, reset
        self.used += 1
        return True, self.limit - self.used, reset


@dataclass
class Faults:
    armed: list[Fault] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def arm(self, fault: Fault) -> None:
        with self.lock:
            self.armed.append(fault)

    def clear(self) -> None:
        with self.lock:
            self.armed.clear()

    def take(self, kind: str, path: str, method: str = "GET") -> Fault | None:
        """Consume one armed fault of ``kind`` matching ``path`` (and ``method`` when the fault names one)."""
        with self.lock:
            for fault in self.armed:
                if fault.kind != kind or fault.remaining <= 0:
                    continue
                if (fault.path is None or fault.path in path) and (fault.method is None or fault.method == method):
                    fault.remaining -= 1
                    return fault
            return None

    def spent(self) -> bool:
        with self.lock:
            return all(f.remaining == 0 for f in self.armed)
