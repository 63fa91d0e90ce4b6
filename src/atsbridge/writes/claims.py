"""One create per (integration, person, job): a row claimed in the database before the vendor is called.

Why: "look in the store, then call the vendor" is check-then-act. Twenty racing creates for one person and
one job all see no application and each makes one in the ATS. The primary key of ``create_claims`` makes
exactly one of them the owner, on SQLite and PostgreSQL alike, across API processes.

* The claim is inserted in its own committed transaction, before the vendor call.
* Refused input, a definitive vendor refusal (4xx, closed job, duplicate) or a failure with nothing created
  in the ATS releases it: a corrected request may claim again.
* A transient failure (5xx, timeout, 429) after part of the create reached the ATS *holds* it for the
  request's Idempotency-Key for an hour: a retry with that key resumes; any other request is refused
  instead of creating a second candidate. Without a key nothing could resume it, so it is released.
* Success converts it: the row names the created application and refuses every later create for the pair
  (until that application is deleted in the ATS).
* Claims carry a lease: a process that died holding one blocks the pair only until the lease passes.
* The loser of a race **waits** (bounded) for the winner, then answers as the same request would a moment
  later: ``ATS.APPLICATION_ALREADY_EXISTS`` if the winner created it; if the winner failed and released, the
  loser takes the claim and goes on (its own request deserved to run). If the wait runs out it answers
  ``ATS.APPLICATION_ALREADY_EXISTS`` saying a create for the pair is in progress.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from atsbridge.core.errors import ApiError
from atsbridge.core.ids import random_id
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import MODEL_TABLES, create_claims

log = logging.getLogger("atsbridge.writes")

#: A pending claim's lease; renewed after every vendor step, so only a dead process's claim goes stale.
LEASE = timedelta(minutes=5)
#: A held claim waits this long for its Idempotency-Key to resume it (then anyone may take it over).
HOLD = timedelta(hours=1)
#: How long a loser waits for the winner before answering.
WAIT_SECONDS = 30.0

_EXISTS = "ATS.APPLICATION_ALREADY_EXISTS"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _email_hash(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


@dataclass
class Claim:
    """The claim one request owns; every change is conditional on ``owner``, so a request whose stale claim
    was taken over can no longer release or convert the new owner's."""

    engine: Engine
    integration_id: str
    email_hash: str
    job_id: str
    owner: str
    idempotency_key: str | None

    def _mine(self) -> Any:
        c = create_claims.c
        return (
            (c.integration_id == self.integration_id)
            & (c.email_hash == self.email_hash)
            & (c.job_id == self.job_id)
            & (c.owner == self.owner)
        )

    def renew(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(create_claims)
                .where(self._mine(), create_claims.c.status == "pending")
                .values(lease_until=utcnow() + LEASE)
            )

    def release(self) -> None:
        """Nothing was created in the ATS: free the pair (a converted claim is left alone)."""
        with self.engine.begin() as conn:
            conn.execute(delete(create_claims).where(self._mine(), create_claims.c.status != "created"))

    def hold(self) -> None:
        """Something was created in the ATS before the failure: keep the pair for this request's key."""
        if self.idempotency_key is None:
            self.release()
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(create_claims)
                .where(self._mine(), create_claims.c.status == "pending")
                .values(status="held", lease_until=utcnow() + HOLD)
            )

    def created(self, application_id: str | None, candidate_id: str | None) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(create_claims)
                .where(self._mine())
                .values(status="created", lease_until=None, application_id=application_id, candidate_id=candidate_id)
            ).rowcount
        if done != 1:
            log.warning("create claim of %s was taken over before the create finished", self.integration_id)


async def claim(
    engine: Engine,
    integration_id: str,
    email: str,
    job_id: str,
    *,
    idempotency_key: str | None = None,
    wait: float = WAIT_SECONDS,
) -> Claim:
    """Own the pair (``email``, ``job_id``) or raise ``ATS.APPLICATION_ALREADY_EXISTS`` (see the module doc)."""
    mine = Claim(engine, integration_id, _email_hash(email), job_id, random_id(32), idempotency_key)
    shown = normalise_email(email)
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        row = _try(mine)
        if row is None:
            return mine
        if row is _RETRY:
            pass  # the blocking claim changed while we looked: look again shortly
        elif row.status == "created":
            raise ApiError(_EXISTS, f"{shown} already has an application for job {job_id} ({row.application_id})")
        elif row.status == "held":
            raise ApiError(
                _EXISTS,
                f"an earlier create of {shown} for job {job_id} stopped half-way in the ATS: "
                "retry that request with its Idempotency-Key to finish it",
            )
        left = deadline - time.monotonic()
        if left <= 0:
            raise ApiError(_EXISTS, f"an application of {shown} for job {job_id} is being created by another request")
        await asyncio.sleep(min(delay, left))
        delay = min(delay * 2, 0.25)


_RETRY = object()


def _try(mine: Claim) -> Any:
    """One attempt: None when ``mine`` now owns the pair, else the row that blocks it (or ``_RETRY`` when
    that row changed while we looked)."""
    now = utcnow()
    c = create_claims.c
    pair = (c.integration_id == mine.integration_id) & (c.email_hash == mine.email_hash) & (c.job_id == mine.job_id)
    fresh = {
        "status": "pending",
        "owner": mine.owner,
        "idempotency_key": mine.idempotency_key,
        "lease_until": now + LEASE,
        "application_id": None,
        "candidate_id": None,
        "claimed_at": now,
    }
    try:
        with mine.engine.begin() as conn:
            conn.execute(
                insert(create_claims).values(
                    integration_id=mine.integration_id, email_hash=mine.email_hash, job_id=mine.job_id, **fresh
                )
            )
        return None
    except IntegrityError:
        pass
    with mine.engine.begin() as conn:
        row = conn.execute(select(create_claims).where(pair)).first()
        if row is None:  # released in between
            return _RETRY
        if not _may_take_over(conn, mine, row, now):
            return row
        taken = conn.execute(
            update(create_claims).where(pair, c.owner == row.owner, c.status == row.status).values(**fresh)
        ).rowcount
    return None if taken == 1 else _RETRY


def _may_take_over(conn: Connection, mine: Claim, row: Any, now: Any) -> bool:
    if row.status in ("pending", "held"):
        if row.lease_until is None or row.lease_until <= now:
            return True  # its process died (or its key expired)
        # The same Idempotency-Key resuming: the key itself already admits one attempt at a time.
        return mine.idempotency_key is not None and row.idempotency_key == mine.idempotency_key
    # created: only once the application is gone from the ATS may the person apply again.
    apps = MODEL_TABLES["applications"]
    deleted = conn.execute(
        select(apps.c.remote_deleted_at).where(
            apps.c.integration_id == mine.integration_id, apps.c.id == row.application_id
        )
    ).first()
    return deleted is not None and deleted.remote_deleted_at is not None
