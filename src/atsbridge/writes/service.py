"""Running a write: idempotency, the connector call, write-through to the store, the response."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from sqlalchemy import Engine, insert, select
from starlette.responses import Response

from atsbridge.connectors.actions import AlreadyApplied, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.base import Connector, MapContext, MappingError
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.ratelimit import write_priority
from atsbridge.connectors.info import integration_info
from atsbridge.connectors.outcomes import status_map_of
from atsbridge.connectors.registry import get_connector
from atsbridge.core.errors import ApiError
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import utcnow
from atsbridge.model import write_bodies as bodies
from atsbridge.model.record import UnifiedRecord
from atsbridge.runtime.state import AppState
from atsbridge.store.platform import Integration, get_integration
from atsbridge.store.tables import tracked_applications
from atsbridge.store.writer import write_batch
from atsbridge.webhooks.emitters import data_changed
from atsbridge.writes.claims import Claim, claim
from atsbridge.writes.idempotency import Attempt, Replay, begin, request_hash

log = logging.getLogger("atsbridge.writes")

Json = dict[str, Any]
Respond = Callable[[WriteResult, dict[str, list[str]]], Json]


def require_action(state: AppState, integration: Integration, action: str) -> Connector:
    """The connector, if the tool can do ``action`` and the scope config allows it (checked before any call)."""
    connector = get_connector(integration.tool)
    if action not in connector.actions:
        raise ApiError(
            "INTEGRATION.ACTION_NOT_AVAILABLE",
            f"{connector.label} does not support {action.replace('_', ' ')} (see GET /v1/tools/ats for coverage)",
        )
    scope = state.scope(integration.id)
    if not scope.action_enabled(action):
        raise ApiError(
            "INTEGRATION.ACTION_DISABLED",
            f"{action.replace('_', ' ')} is disabled by scope config {scope.config_name or scope.config_id!r}",
        )
    return connector


def write_through(
    engine: Engine,
    connector: Connector,
    integration_id: str,
    result: WriteResult,
    status_map: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """Map the vendor records an action returned with the connector's own mappers and store them now (with
    the integration's outcome override, exactly as the sync maps them), plus the unified records it built
    itself (``WriteResult.unified``: what was submitted to a vendor that cannot be read back)."""
    streams = {s.name: s for s in connector.streams}
    ctx = MapContext(integration_id, status_map or {})
    by_model: dict[str, list[UnifiedRecord]] = defaultdict(list)
    for stream_name, raw in result.records:
        try:
            for rec in streams[stream_name].mapper(raw, ctx):
                by_model[rec.model].append(rec)
        except (MappingError, KeyError, TypeError, ValueError):
            log.exception("write-through: could not map a %s record; the next sync will bring it", stream_name)
    # As submitted (no vendor record to map): a sync never lists these models for such a connector, so its
    # deletion detection, which only covers the models its streams fill, leaves them alone.
    for rec in result.unified:
        by_model[rec.model].append(rec)
    ts = utcnow()
    written: dict[str, list[str]] = {}
    changed: dict[str, list[str]] = {}
    with engine.begin() as conn:
        for model, recs in by_model.items():
            batch = write_batch(conn, integration_id, model, recs, ts)
            written[model] = [r.id for r in recs]
            changed[model] = batch.changed_ids
        # Subscribers hear of the write in the transaction that stores it (unchanged records: no event).
        integration = get_integration(conn, integration_id)
        if integration is not None:
            data_changed(conn, integration, changed)
    return written


def track(
    engine: Engine, integration_id: str, application_remote_id: str, candidate_id: str | None, source: str
) -> str:
    application_id = record_id(integration_id, "applications", application_remote_id)
    with engine.begin() as conn:
        exists = conn.execute(
            select(tracked_applications.c.application_id).where(
                tracked_applications.c.integration_id == integration_id,
                tracked_applications.c.application_id == application_id,
            )
        ).first()
        if exists is None:
            conn.execute(
                insert(tracked_applications).values(
                    integration_id=integration_id,
                    application_id=application_id,
                    remote_id=application_remote_id,
                    candidate_id=candidate_id,
                    source=source,
                    tracked_at=utcnow(),
                )
            )
    return application_id


def _progress_note(progress: Json) -> str:
    progress = {k: v for k, v in progress.items() if not k.startswith("_")}
    if not progress:
        return "nothing was created in the ATS"
    done = ", ".join(f"{k}={v}" for k, v in progress.items())
    return f"already done in the ATS: {done}; retry with the same Idempotency-Key to finish without duplicates"


def start(
    state: AppState,
    integration: Integration,
    environment_id: str,
    body: Any,
    *,
    method: str,
    path: str,
    key: str | None,
) -> Attempt | Replay:
    """Claim the Idempotency-Key first: a repeat is answered from the stored response, before any check
    that the first execution itself changed (a replayed create must not fail as a duplicate)."""
    req_hash = request_hash(method, path, integration.id, body.model_dump(mode="json"))
    return begin(state.engine, environment_id, integration.id, key, req_hash)


async def claim_create(state: AppState, integration: Integration, call: WriteCall, attempt: Attempt) -> Claim:
    """Own (integration, candidate email, job) before the vendor is called: racing creates for the same
    person and job, with no key or distinct keys, make one application (see ``writes.claims``)."""
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate) and call.job_remote_id is not None
    job_id = record_id(integration.id, "jobs", call.job_remote_id)
    return await claim(state.engine, integration.id, body.candidate.email_address, job_id, idempotency_key=attempt.key)


def _settle(owned: Claim | None, progress: Json, *, definitive: bool) -> None:
    """A failed write: release the claim when the ATS refused for good (4xx, closed job, duplicate) or
    nothing was created; hold it for the request's key when a transient failure left part of it in the ATS."""
    if owned is None:
        return
    if not definitive and any(not k.startswith("_") for k in progress):
        owned.hold()
    else:
        owned.release()


def _converted(owned: Claim | None, integration_id: str, result: WriteResult) -> None:
    if owned is None:
        return
    app_remote = result.created.get("application_remote_id")
    cand_remote = result.created.get("candidate_remote_id")
    owned.created(
        record_id(integration_id, "applications", str(app_remote)) if app_remote is not None else None,
        record_id(integration_id, "candidates", str(cand_remote)) if cand_remote is not None else None,
    )


def replayed(attempt: Replay) -> Response:
    return Response(attempt.body, status_code=attempt.status, media_type="application/json")


async def run_write(
    state: AppState,
    integration: Integration,
    connector: Connector,
    call: WriteCall,
    attempt: Attempt,
    *,
    respond: Respond,
    after: Callable[[WriteResult, dict[str, list[str]]], None] | None = None,
    owned: Claim | None = None,
) -> Response:
    """Execute ``call`` (validated and resolved) under ``attempt`` (and the create claim ``owned``, if any);
    store the response for replays."""
    call.progress = attempt.progress

    def save() -> None:
        attempt.save()
        if owned is not None:
            owned.renew()

    call.save_progress = save
    try:
        source = connector.open(integration_info(state.engine, state.settings, integration))
    except Exception:
        _settle(owned, call.progress, definitive=True)  # nothing was sent to the ATS
        raise
    try:
        with write_priority():  # ahead of the integration's sync in the shared request budget
            result = await connector.actions[call.action](source, call)
    except RemoteError as exc:
        attempt.fail(retryable=exc.retryable)
        _settle(owned, call.progress, definitive=not exc.retryable)
        raise ApiError(exc.code, f"{exc.message} ({_progress_note(call.progress)})") from None
    except JobClosed as exc:
        attempt.fail(retryable=False)
        _settle(owned, call.progress, definitive=True)
        raise ApiError("ATS.JOB_CLOSED", str(exc)) from None
    except AlreadyApplied as exc:
        attempt.fail(retryable=False)
        _settle(owned, call.progress, definitive=True)
        raise ApiError("ATS.APPLICATION_ALREADY_EXISTS", str(exc)) from None
    except Exception:
        attempt.fail(retryable=True)
        _settle(owned, call.progress, definitive=False)
        raise  # a cancelled request (client gone mid-call) keeps its claim until the lease runs out
    finally:
        await source.aclose()
    # The ATS has the record: later creates for the pair are refused even if storing it below fails.
    _converted(owned, integration.id, result)
    result.warnings[:0] = call.warnings
    written = write_through(state.engine, connector, integration.id, result, status_map_of(integration.config))
    if after is not None:
        after(result, written)
    body = orjson.dumps(
        {"status": "success", "data": respond(result, written), "warnings": [{"message": w} for w in result.warnings]}
    )
    attempt.finish(200, body)
    return Response(body, media_type="application/json")
