"""The events atsbridge itself emits about syncs, data and integration state (contract §5 payloads).

Each helper takes the connection of the transaction that makes the change, so the event commits exactly
with it. Payloads carry only the contract's fields plus documented atsbridge extensions (extra keys are
ignored by the SDK's models).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Connection, update

from atsbridge.core.config import Settings
from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.core.urls import public_base
from atsbridge.store import platform
from atsbridge.store.platform import Integration
from atsbridge.store.tables import integrations
from atsbridge.webhooks.events import emit, end_user

CATEGORY = "ATS"
#: data-changed lists at most this many ids per model (then ``ids_truncated: true``: refetch the model).
MAX_IDS_PER_MODEL = 1000
#: Vendor error codes that mean "our credentials no longer work" (the integration becomes INVALID).
AUTH_FAILURE_CODES = frozenset({"INTEGRATION.AUTHENTICATION_INVALID"})


def data_changed(conn: Connection, integration: Integration, changed: Mapping[str, Iterable[str]]) -> str | None:
    """``data-changed`` for the models with changed ids (none: no event). atsbridge extension: ``ids`` per
    model (capped, sorted), so consumers can fetch just those records."""
    models = []
    for model in sorted(changed):
        ids = sorted(set(changed[model]))
        if not ids:
            continue
        entry: dict[str, object] = {"name": f"ats_{model}", "ids": ids[:MAX_IDS_PER_MODEL]}
        if len(ids) > MAX_IDS_PER_MODEL:
            entry["ids_truncated"] = True
        models.append(entry)
    if not models:
        return None
    data = {
        "integration_id": integration.id,
        "integration_tool": integration.tool,
        "integration_category": CATEGORY,
        "changed_models": models,
    }
    return emit(
        conn, environment_id=integration.environment_id, type="data-changed", data=data, integration_id=integration.id
    )


def sync_finished(
    conn: Connection,
    settings: Settings,
    integration: Integration,
    *,
    sync_id: str,
    state: str,
    started_at: datetime,
    ended_at: datetime,
    deletions_held: Mapping[str, Mapping[str, int]] | None = None,
) -> str:
    data: dict[str, object] = {
        "sync_id": sync_id,
        "sync_state": state,
        "sync_started_at": format_ts(started_at),
        "sync_ended_at": format_ts(ended_at),
        "sync_duration_seconds": int(round((ended_at - started_at).total_seconds())),
        "integration_id": integration.id,
        "integration_tool": integration.tool,
        "integration_category": CATEGORY,
        "end_user": end_user(integration),
        "log_url": f"{public_base(settings)}/dashboard/syncs/{sync_id}",
    }
    if deletions_held:  # atsbridge extension: the breaker held these deletions until an operator confirms
        data["deletions_held"] = [
            {"model": f"ats_{model}", "held": counts["held"], "live": counts["live"]}
            for model, counts in sorted(deletions_held.items())
        ]
    return emit(
        conn, environment_id=integration.environment_id, type="sync-finished", data=data, integration_id=integration.id
    )


def integration_state_changed(conn: Connection, integration: Integration, updated_at: datetime) -> str:
    """Reports the integration as it now is (pass the freshly read row)."""
    data = {
        "integration_tool": integration.tool,
        "integration_id": integration.id,
        "integration_category": CATEGORY,
        "end_user": end_user(integration),
        "qa_status": "PASSED",
        "setup_status": integration.setup_status,
        "state": integration.status if integration.enabled else "INACTIVE",
        "updated_at": format_ts(updated_at),
        # atsbridge extension: why it is in this state (an INVALID integration's cause; None when healthy)
        "status_reason": integration.status_reason,
    }
    return emit(
        conn,
        environment_id=integration.environment_id,
        type="integration-state-changed",
        data=data,
        integration_id=integration.id,
    )


def set_status(conn: Connection, integration_id: str, status: str, reason: str | None) -> Integration | None:
    """Move the integration to ``status`` and emit ``integration-state-changed`` if that is a change.
    Returns the integration as it now is (None when it no longer exists)."""
    now = utcnow()
    moved = conn.execute(
        update(integrations)
        .where(integrations.c.id == integration_id, integrations.c.status != status)
        .values(status=status, status_reason=reason, updated_at=now)
    ).rowcount
    current = platform.get_integration(conn, integration_id)
    if moved and current is not None:
        integration_state_changed(conn, current, now)
    return current


def record_sync_outcome(
    conn: Connection,
    settings: Settings,
    integration_id: str,
    *,
    sync_id: str,
    state: str,
    started_at: datetime,
    ended_at: datetime,
    changed: Mapping[str, Iterable[str]],
    auth_error: str | None = None,
    invalid_reason: str | None = None,
    failure_reason: str | None = None,
    deletions_held: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Everything a finished sync reports, in the transaction that records the run's end: the state change
    (INVALID on an authentication failure or with ``invalid_reason``, e.g. a host unreachable several syncs
    in a row; ACTIVE again after a success, setup COMPLETED after the first success), the reason of a
    failure on an integration that stays ACTIVE (``failure_reason``, cleared by the next success),
    ``data-changed`` when records changed, then ``sync-finished``."""
    integration = platform.get_integration(conn, integration_id)
    if integration is None:  # deleted while it synced: nothing to report on
        return
    invalid = auth_error if auth_error is not None else invalid_reason
    if invalid is not None:
        integration = set_status(conn, integration_id, "INVALID", invalid) or integration
    elif state == "SUCCEEDED":
        first = platform.mark_first_sync_done(conn, integration_id, ended_at)
        if integration.status == "INVALID":
            integration = set_status(conn, integration_id, "ACTIVE", None) or integration
        elif first:
            now = utcnow()
            conn.execute(
                update(integrations)
                .where(integrations.c.id == integration_id)
                .values(updated_at=now, status_reason=None)
            )
            integration = platform.get_integration(conn, integration_id) or integration
            integration_state_changed(conn, integration, now)
        elif integration.status_reason is not None:
            conn.execute(update(integrations).where(integrations.c.id == integration_id).values(status_reason=None))
    elif failure_reason is not None and integration.status == "ACTIVE":
        conn.execute(
            update(integrations).where(integrations.c.id == integration_id).values(status_reason=failure_reason)
        )
    data_changed(conn, integration, changed)
    sync_finished(
        conn,
        settings,
        integration,
        sync_id=sync_id,
        state=state,
        started_at=started_at,
        ended_at=ended_at,
        deletions_held=deletions_held,
    )
