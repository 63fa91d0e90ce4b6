"""Inbound vendor webhooks at rest: one registration per integration and the log of deliveries.

The path token is stored hashed (a leaked database does not let anyone post events) and compared in constant
time; the signing secret is sealed like vendor credentials. Deliveries are logged with their outcome so sync
health can say whether a vendor's webhooks are alive, and the vendor's delivery id (unique per integration)
makes a retried delivery a recorded duplicate instead of a second sync.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from atsbridge.core.crypto import CredentialBox
from atsbridge.core.timeutil import utcnow
from atsbridge.store.tables import vendor_webhook_events, vendor_webhooks

#: Refusal reasons are for the operator; longer ones are cut.
REASON_CHARS = 300
DELIVERY_ID_CHARS = 200


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Registration:
    integration_id: str
    token: str
    secret: str


@dataclass(frozen=True)
class Health:
    """What sync health shows of an integration's webhooks (the last day's counts)."""

    configured: bool
    created_at: datetime | None = None
    accepted: int = 0
    duplicates: int = 0
    refused: int = 0
    last_event_at: datetime | None = None
    last_refusal_at: datetime | None = None
    last_refusal: str | None = None


def register(conn: Connection, box: CredentialBox, integration_id: str, secret: str | None = None) -> Registration:
    """A new token and secret for the integration (replacing any previous pair: this is also rotation)."""
    token = secrets.token_urlsafe(32)
    secret = secret or secrets.token_urlsafe(32)
    conn.execute(delete(vendor_webhooks).where(vendor_webhooks.c.integration_id == integration_id))
    conn.execute(
        insert(vendor_webhooks).values(
            integration_id=integration_id,
            token_hash=token_hash(token),
            secret_sealed=box.seal({"secret": secret}),
            created_at=utcnow(),
        )
    )
    return Registration(integration_id, token, secret)


def unregister(conn: Connection, integration_id: str) -> bool:
    gone = conn.execute(delete(vendor_webhooks).where(vendor_webhooks.c.integration_id == integration_id))
    return bool(gone.rowcount)


def _sealed(conn: Connection, box: CredentialBox, integration_id: str) -> tuple[str, dict[str, Any]] | None:
    row = conn.execute(
        select(vendor_webhooks.c.token_hash, vendor_webhooks.c.secret_sealed).where(
            vendor_webhooks.c.integration_id == integration_id
        )
    ).first()
    return (row.token_hash, box.open(row.secret_sealed)) if row is not None else None


def secrets_for(conn: Connection, box: CredentialBox, integration_id: str, token: str) -> list[str] | None:
    """The signing secrets (atsbridge's, then any the vendor generated) when ``token`` is the integration's path
    token, else None (compared in constant time)."""
    found = _sealed(conn, box, integration_id)
    expected = found[0] if found is not None else "0" * 64
    if not hmac.compare_digest(expected, token_hash(token)) or found is None:
        return None
    return [str(found[1]["secret"]), *(str(s) for s in found[1].get("vendor_secrets") or [])]


def set_vendor_side(
    conn: Connection, box: CredentialBox, integration_id: str, ids: list[str], vendor_secrets: list[str]
) -> None:
    """Keep what registering through the vendor API made (to remove it later, and to verify with its secrets)."""
    found = _sealed(conn, box, integration_id)
    if found is None:
        return
    sealed = box.seal({**found[1], "remote_ids": ids, "vendor_secrets": vendor_secrets})
    conn.execute(
        update(vendor_webhooks).where(vendor_webhooks.c.integration_id == integration_id).values(secret_sealed=sealed)
    )


def vendor_ids(conn: Connection, box: CredentialBox, integration_id: str) -> list[str]:
    """The vendor's ids of the webhooks atsbridge registered for the integration (none when set by hand)."""
    found = _sealed(conn, box, integration_id)
    return [str(i) for i in (found[1].get("remote_ids") or [])] if found is not None else []


def record(
    engine: Engine,
    integration_id: str,
    outcome: str,
    *,
    reason: str | None = None,
    delivery_id: str | None = None,
    streams: list[str] | None = None,
) -> bool:
    """Log a delivery; False when its delivery id was seen before (then logged as a duplicate)."""
    values = {
        "integration_id": integration_id,
        "received_at": utcnow(),
        "outcome": outcome,
        "reason": reason[:REASON_CHARS] if reason else None,
        "delivery_id": delivery_id[:DELIVERY_ID_CHARS] if delivery_id else None,
        "streams": orjson.dumps(streams).decode() if streams is not None else None,
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(vendor_webhook_events).values(**values))
    except IntegrityError:  # the same delivery id again: a retry (or a replay) of an event already taken
        with engine.begin() as conn:
            again = {**values, "outcome": "duplicate", "delivery_id": None}
            conn.execute(insert(vendor_webhook_events).values(**again))
        return False
    return True


def health(conn: Connection, integration_id: str, window: timedelta = timedelta(days=1)) -> Health:
    reg = conn.execute(
        select(vendor_webhooks.c.created_at).where(vendor_webhooks.c.integration_id == integration_id)
    ).first()
    events = vendor_webhook_events.c
    counts = {
        outcome: n
        for outcome, n in conn.execute(
            select(events.outcome, func.count())
            .where(events.integration_id == integration_id, events.received_at >= utcnow() - window)
            .group_by(events.outcome)
        )
    }
    last = conn.execute(
        select(func.max(events.received_at)).where(
            events.integration_id == integration_id, events.outcome == "accepted"
        )
    ).scalar()
    refusal = conn.execute(
        select(events.received_at, events.reason)
        .where(events.integration_id == integration_id, events.outcome == "refused")
        .order_by(events.received_at.desc())
        .limit(1)
    ).first()
    return Health(
        configured=reg is not None,
        created_at=reg.created_at if reg is not None else None,
        accepted=counts.get("accepted", 0),
        duplicates=counts.get("duplicate", 0),
        refused=counts.get("refused", 0),
        last_event_at=last,
        last_refusal_at=refusal.received_at if refusal is not None else None,
        last_refusal=refusal.reason if refusal is not None else None,
    )


def is_configured(conn: Connection, integration_id: str) -> bool:
    """Whether the integration has vendor webhooks set up (one indexed lookup, for hot paths)."""
    found = conn.execute(
        select(vendor_webhooks.c.integration_id).where(vendor_webhooks.c.integration_id == integration_id)
    ).first()
    return found is not None


def healthy(conn: Connection, now: datetime, window: timedelta = timedelta(days=1)) -> set[str]:
    """Integrations whose vendor webhooks are set up and delivered an accepted event within ``window``."""
    rows = conn.execute(
        select(vendor_webhook_events.c.integration_id)
        .join(vendor_webhooks, vendor_webhooks.c.integration_id == vendor_webhook_events.c.integration_id)
        .where(vendor_webhook_events.c.outcome == "accepted", vendor_webhook_events.c.received_at >= now - window)
        .distinct()
    )
    return {str(r.integration_id) for r in rows}


def configured(conn: Connection, limit: int) -> list[str]:
    """Integrations with vendor webhooks set up (at most ``limit``, by id)."""
    rows = conn.execute(
        select(vendor_webhooks.c.integration_id).order_by(vendor_webhooks.c.integration_id).limit(limit)
    )
    return [str(r.integration_id) for r in rows]


def prune(conn: Connection, before: datetime) -> int:
    """Drop deliveries logged before ``before`` (retention)."""
    return int(conn.execute(delete(vendor_webhook_events).where(vendor_webhook_events.c.received_at < before)).rowcount)
