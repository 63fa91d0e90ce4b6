"""``Idempotency-Key`` for every write.

* Same key, same request: the first response is replayed; the ATS is not called again.
* Same key, another request: refused with PLATFORM.INPUT_INVALID (a client bug worth surfacing).
* A multi-step write (candidate, then attachments, then answers) records each vendor step in
  ``progress`` as it happens; if it fails midway the error says what was created, and a retry with the
  same key resumes from there instead of creating the candidate twice.
* Keys live 24 hours.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from atsbridge.core.errors import ApiError
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import idempotency_keys

KEY_TTL = timedelta(hours=24)
LOCK_FOR = timedelta(minutes=5)
MAX_KEY_LENGTH = 255


def request_hash(method: str, path: str, integration_id: str, body: Any) -> str:
    raw = orjson.dumps([method, path, integration_id, body], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(raw).hexdigest()


@dataclass
class Replay:
    status: int
    body: bytes


@dataclass
class Attempt:
    """One execution under a key. ``progress`` holds the vendor steps already done (possibly by an earlier try)."""

    engine: Engine | None
    environment_id: str
    key: str | None
    progress: dict[str, Any] = field(default_factory=dict)

    def save(self) -> None:
        """Persist progress right after a vendor step succeeded (before anything else can fail)."""
        if self.engine is None or self.key is None:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(idempotency_keys)
                .where(idempotency_keys.c.environment_id == self.environment_id, idempotency_keys.c.key == self.key)
                .values(progress=orjson.dumps(self.progress).decode(), locked_until=utcnow() + LOCK_FOR)
            )

    def finish(self, status: int, body: bytes) -> None:
        if self.engine is None or self.key is None:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(idempotency_keys)
                .where(idempotency_keys.c.environment_id == self.environment_id, idempotency_keys.c.key == self.key)
                .values(status="done", response_status=status, response_body=body.decode(), locked_until=None)
            )

    def fail(self, *, retryable: bool) -> None:
        """A failed attempt: forget the key if nothing was created and the failure may pass; else keep the progress."""
        if self.engine is None or self.key is None:
            return
        with self.engine.begin() as conn:
            cond = (idempotency_keys.c.environment_id == self.environment_id) & (idempotency_keys.c.key == self.key)
            if not self.progress:
                conn.execute(delete(idempotency_keys).where(cond))
            else:
                conn.execute(update(idempotency_keys).where(cond).values(status="partial", locked_until=None))


def begin(engine: Engine, environment_id: str, integration_id: str, key: str | None, req_hash: str) -> Attempt | Replay:
    """Start (or resume, or replay) a write under ``key``."""
    if key is None:
        return Attempt(None, environment_id, None)
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ApiError("PLATFORM.INPUT_INVALID", f"Idempotency-Key: must be 1 to {MAX_KEY_LENGTH} characters")
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < now - KEY_TTL))
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(idempotency_keys).values(
                    environment_id=environment_id,
                    key=key,
                    integration_id=integration_id,
                    request_hash=req_hash,
                    status="in_progress",
                    locked_until=now + LOCK_FOR,
                    progress="{}",
                    created_at=now,
                )
            )
        return Attempt(engine, environment_id, key)
    except IntegrityError:
        pass
    with engine.begin() as conn:
        row = conn.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.environment_id == environment_id, idempotency_keys.c.key == key
            )
        ).one()
        if row.request_hash != req_hash:
            raise ApiError(
                "PLATFORM.INPUT_INVALID",
                "Idempotency-Key: this key was already used for a different request; use a new key per request",
            )
        if row.status == "done":
            return Replay(row.response_status, row.response_body.encode())
        if row.status == "in_progress" and row.locked_until is not None and row.locked_until > now:
            raise ApiError(
                "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
                "Idempotency-Key: a request with this key is still being processed; retry shortly",
                status=409,
            )
        claimed = conn.execute(
            update(idempotency_keys)
            .where(
                idempotency_keys.c.environment_id == environment_id,
                idempotency_keys.c.key == key,
                idempotency_keys.c.status == row.status,
            )
            .values(status="in_progress", locked_until=now + LOCK_FOR)
        ).rowcount
        if claimed != 1:
            raise ApiError(
                "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
                "Idempotency-Key: a request with this key is still being processed; retry shortly",
                status=409,
            )
        return Attempt(engine, environment_id, key, orjson.loads(row.progress or "{}"))
