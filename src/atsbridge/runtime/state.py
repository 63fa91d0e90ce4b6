"""Process-wide objects the routes share, created once by the app factory."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine
from starlette.requests import Request

from atsbridge.core.config import Settings
from atsbridge.core.cursor import CursorCodec
from atsbridge.scopes.model import Scope
from atsbridge.scopes.service import scope_for
from atsbridge.store import platform
from atsbridge.store.platform import Integration


class SyncQueue(Protocol):
    """What the routes need of the job backend (``atsbridge.jobs``): queue a sync and start it soon."""

    def submit_sync(
        self,
        integration_id: str,
        sync_type: str,
        trigger: str,
        *,
        reuse_running: bool = True,
        streams: Sequence[str] | None = None,
        deletions: Sequence[tuple[str, str]] = (),
    ) -> tuple[str, str, bool]: ...


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    secret: bytes
    cursors: CursorCodec
    #: key hash -> (environment id, expiry): saves a query per request; revocation is seen within the TTL.
    _key_cache: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    key_cache_ttl: float = 5.0
    #: integration id -> (integration, expiry): a disabled or deleted integration is seen within the TTL.
    _integration_cache: dict[str, tuple[Integration, float]] = field(default_factory=dict)
    integration_cache_ttl: float = 1.0
    _scope_cache: dict[str, tuple[Scope, float]] = field(default_factory=dict)
    #: The job backend, once the app has started it (vendor webhooks queue their syncs through it).
    jobs: SyncQueue | None = None

    def integration(self, integration_id: str) -> Integration | None:
        now = time.monotonic()
        hit = self._integration_cache.get(integration_id)
        if hit is not None and hit[1] > now:
            return hit[0]
        with self.engine.connect() as conn:
            found = platform.get_integration(conn, integration_id)
        if found is not None:
            with self._lock:
                if len(self._integration_cache) > 10_000:
                    self._integration_cache.clear()
                self._integration_cache[integration_id] = (found, now + self.integration_cache_ttl)
        return found

    def forget_integration(self, integration_id: str) -> None:
        """Drop a cached integration (and its scope) at once (after this process changed it)."""
        self._integration_cache.pop(integration_id, None)
        self._scope_cache.pop(integration_id, None)

    def scope(self, integration_id: str) -> Scope:
        now = time.monotonic()
        hit = self._scope_cache.get(integration_id)
        if hit is not None and hit[1] > now:
            return hit[0]
        with self.engine.connect() as conn:
            found = scope_for(conn, integration_id)
        with self._lock:
            if len(self._scope_cache) > 10_000:
                self._scope_cache.clear()
            self._scope_cache[integration_id] = (found, now + self.integration_cache_ttl)
        return found

    def environment_for_key(self, key: str) -> str | None:
        now = time.monotonic()
        hit = self._key_cache.get(key)
        if hit is not None and hit[1] > now:
            return hit[0]
        with self.engine.connect() as conn:
            env = platform.environment_for_key(conn, key)
        if env is not None:
            with self._lock:
                if len(self._key_cache) > 10_000:
                    self._key_cache.clear()
                self._key_cache[key] = (env, now + self.key_cache_ttl)
        return env


def app_state(request: Request) -> AppState:
    """The process's shared state, as the app factory left it on the ASGI app."""
    state: AppState = request.app.state.atsbridge
    return state
