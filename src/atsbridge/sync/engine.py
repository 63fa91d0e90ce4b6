"""The sync engine: vendor pages -> mappers -> unified records -> diffed upserts, one commit per batch.

Guarantees:

* A watermark is saved only after every page it covers has committed, so a crash (even SIGKILL) loses at
  most work that the next run redoes; re-processing a page is harmless because unchanged records are
  detected by content hash and not written.
* Records are marked deleted only from a vendor deletion feed, after a *complete* full listing of their
  stream (never when that would delete more than the configured share of a model: the breaker), or when a
  vendor webhook's deletion is confirmed by the vendor itself answering "gone" to a read by id.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import traceback
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from atsbridge.connectors.base import Connector, IntegrationInfo, MapContext, MappingError, Source, Stream
from atsbridge.connectors.http.client import time_budget
from atsbridge.connectors.info import integration_info
from atsbridge.connectors.kit.order import ordered
from atsbridge.connectors.outcomes import status_map_of
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts, utcnow
from atsbridge.fields.plan import Discovery, FieldPlan, load_plan
from atsbridge.model.record import UnifiedRecord
from atsbridge.scopes.model import EVERYTHING, Scope
from atsbridge.scopes.service import scope_for
from atsbridge.store import platform
from atsbridge.store import sync_runs as runs
from atsbridge.store.sync_runs import SyncAlreadyRunning
from atsbridge.store.tables import integrations, sync_state
from atsbridge.store.writer import BatchResult, live_ids, mark_deleted, mark_deleted_cascade, write_batch
from atsbridge.sync import deletion_checks, holds
from atsbridge.sync.changes import ChangedIds, SeenIds
from atsbridge.sync.failures import retry_at, streaks, unreachable
from atsbridge.sync.maintenance import anonymise_deleted
from atsbridge.sync.pages import coalesce
from atsbridge.sync.tracking import Tracking, syncs_all
from atsbridge.webhooks.emitters import AUTH_FAILURE_CODES, record_sync_outcome

log = logging.getLogger("atsbridge.sync")

#: Re-read this much before the last watermark: vendor clocks and commit delays are not exact.
LOOKBACK = timedelta(minutes=5)
#: Fail a stream when more than this share of its records cannot be mapped.
MAX_MAPPING_ERROR_RATIO = 0.05
#: Pages already fetched are written in one transaction up to this many records (commit by size; a
#: transaction never waits for the network), with at most this many pages read ahead of the writer.
COMMIT_RECORDS = 2500
PREFETCH_PAGES = 4
#: The deletion breaker ignores tiny models (deleting 1 of 3 jobs is not a mass deletion).
BREAKER_MIN_RECORDS = 5

#: FULL runs that are expected to change records (a new mapping, scope or account, confirmed deletions): their
#: repairs are not drift.
NOT_AUDITS = frozenset({"connect", "relink", "fields", "status_map", "scope-change", "confirm"})

Progress = Callable[[str, int], None]


class SyncCancelled(RuntimeError):
    """The integration was disabled or deleted while its sync ran: stop without writing anything more."""


def ensure_alive(conn: Connection, integration_id: str, run_id: str) -> None:
    """Called first in every write transaction of a run. The heartbeat write comes first so that SQLite takes
    its write lock before the check; PostgreSQL locks the integration row (FOR SHARE), so a concurrent
    disable/delete either committed before (seen here) or waits until this page committed."""
    runs.heartbeat(conn, run_id)
    row = conn.execute(
        select(integrations.c.enabled, integrations.c.status)
        .where(integrations.c.id == integration_id)
        .with_for_update(read=True)
    ).first()
    if row is None or not row.enabled or row.status == platform.DELETED:
        raise SyncCancelled(f"integration {integration_id} was disabled or deleted during the sync")


@dataclass
class ModelStats:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "deleted": self.deleted, "unchanged": self.unchanged}


@dataclass
class SyncResult:
    run_id: str
    integration_id: str
    type: str
    status: str = "RUNNING"
    models: dict[str, ModelStats] = field(default_factory=lambda: defaultdict(ModelStats))
    mapping_errors: list[str] = field(default_factory=list)
    breaker_trips: list[str] = field(default_factory=list)
    #: Deletions the breaker held back, per model ({"held", "live"}), awaiting an operator's confirmation.
    deletions_held: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Confirmed deletions this run applied, per model (who confirmed when, how many, how many applied).
    deletions_confirmed: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    #: HTTP counters of the run (requests, retries, rate_limited), for connectors that speak HTTP.
    http: dict[str, int] = field(default_factory=dict)
    #: Ids whose own fields changed, per model: as many as a data-changed event lists (bounded memory).
    changed: dict[str, ChangedIds] = field(default_factory=lambda: defaultdict(ChangedIds))
    #: Run-scoped: passthrough/custom-field plan (None: nothing to apply) and the integration fields seen.
    plan: FieldPlan | None = field(default=None, repr=False)
    discovery: Discovery = field(default_factory=Discovery, repr=False)
    #: A FULL run over a mirror that was listed completely before is a drift audit: what it repairs is what
    #: webhooks and deltas missed (or what changed since the last delta), reported as ``drift``.
    audit: bool = False
    #: The streams a limited DELTA listed (a vendor webhook's), None when it listed every stream.
    streams: list[str] | None = None
    #: Webhook deletions read by id at the vendor (None: the run carried none).
    deletion_checks: deletion_checks.Checked | None = None

    def drift(self) -> dict[str, dict[str, int]]:
        """Per model: records the mirror lacked (``missing``), held with other content (``stale``) and held
        though the vendor no longer lists them (``extra``: deleted, or held back by the breaker)."""
        models = set(self.models) | set(self.deletions_held)
        return {
            m: {
                "missing": self.models[m].created if m in self.models else 0,
                "stale": self.models[m].updated if m in self.models else 0,
                "extra": (self.models[m].deleted if m in self.models else 0)
                + self.deletions_held.get(m, {}).get("held", 0),
            }
            for m in sorted(models)
        }

    def stats(self) -> dict[str, Any]:
        audit = {"drift": self.drift()} if self.audit and self.status == "SUCCEEDED" else {}
        return {
            **audit,
            "models": {m: s.as_dict() for m, s in sorted(self.models.items())},
            "mapping_errors": self.mapping_errors[:50],
            "mapping_error_count": len(self.mapping_errors),
            "breaker_trips": self.breaker_trips,
            "deletions_held": self.deletions_held,
            "deletions_confirmed": self.deletions_confirmed,
            "http": self.http,
            **({"streams": self.streams} if self.streams is not None else {}),
            **({"deletion_checks": self.deletion_checks.as_dict()} if self.deletion_checks is not None else {}),
        }


def affected(streams: Sequence[Stream], touched: Collection[str]) -> frozenset[str]:
    """The touched streams and every stream that depends on them, transitively (fan-outs over their rows, rows
    derived from their lookups): what a change in the touched ones can change."""
    found = {name for name in touched if any(s.name == name for s in streams)}
    grew = True
    while grew:
        grew = False
        for s in streams:
            if s.name not in found and any(dep in found for dep in s.depends_on):
                found.add(s.name)
                grew = True
    return frozenset(found)


def authentication_failure(exc: BaseException) -> str | None:
    """The vendor's refusal of our credentials, if that is what ended the sync (anywhere in the chain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "code", None)
        if isinstance(code, str) and code in AUTH_FAILURE_CODES:
            return str(getattr(current, "message", None) or current)[:500]
        current = current.__cause__ or current.__context__
    return None


def _sync_token(source: Source, stream: str) -> str | None:
    """The vendor sync token a stream's listing handed out, to keep for the next run: kit sources keep them
    in ``sync_tokens``, older sources in ``state["sync_tokens"]``."""
    tokens = getattr(source, "sync_tokens", None)
    if tokens is None:
        tokens = getattr(source, "state", {}).get("sync_tokens", {})
    token = tokens.get(stream)
    return str(token) if token else None


def _mark_gone(
    conn: Connection, integration_id: str, model: str, remote_ids: Sequence[str], ts: datetime, result: SyncResult
) -> None:
    """Mark records the vendor says are gone deleted, with what hangs off them, counted and listed in the
    run's ``data-changed`` like any change."""
    ids = [record_id(integration_id, model, r) for r in remote_ids]
    gone: dict[str, set[str]] = {}
    for name, count in mark_deleted_cascade(conn, integration_id, model, ids, ts, deleted=gone).items():
        result.models[name].deleted += count
    for name, deleted_ids in gone.items():
        result.changed[name].update(deleted_ids)


class SyncEngine:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings

    def integration_info(self, integration: platform.Integration) -> IntegrationInfo:
        return integration_info(self.engine, self.settings, integration)

    async def run(
        self,
        integration_id: str,
        *,
        full: bool | None = None,
        progress: Progress | None = None,
        run_id: str | None = None,
        trigger: str = "cli",
    ) -> SyncResult:
        """Sync one integration. ``full=None`` picks full for the first sync, else delta.

        Raises :class:`SyncAlreadyRunning` when another sync of the integration is running anywhere.
        """
        with self.engine.connect() as conn:
            integration = platform.get_integration(conn, integration_id)
        if integration is None:
            raise KeyError(integration_id)
        connector = get_connector(integration.tool)
        states = self._load_state(integration_id)
        with self.engine.connect() as conn:
            scope = scope_for(conn, integration_id)
            plan = load_plan(conn, integration.environment_id, integration_id)
        if full is None:  # full when any in-scope stream was never listed completely
            full = not states or any(
                states.get(s.name, {}).get("watermark") is None
                for s in connector.streams
                if any(scope.model_enabled(m) for m in s.models)
            )
        sync_type = "FULL" if full else "DELTA"
        started_at = utcnow()
        run_id = runs.start(self.engine, integration_id, sync_type, trigger, run_id)
        run_started = utcnow()
        result = SyncResult(run_id=run_id, integration_id=integration_id, type=sync_type, plan=plan)
        queued = runs.queued_as(self.engine, run_id)
        result.audit = (
            full
            and (queued.trigger or trigger) not in NOT_AUDITS
            and integration.data_expired_at is None
            and any(st.get("last_full_sync_at") is not None for st in states.values())
        )
        tokens = {name: st["resume"] for name, st in states.items() if st.get("resume")}
        source = connector.open(dataclasses.replace(self.integration_info(integration), stream_state=tokens))
        auth_error: str | None = None
        no_host: str | None = None
        try:
            tracking = None
            if not syncs_all(integration.tool, integration.config):
                with self.engine.connect() as conn:
                    tracking = Tracking(conn, integration_id)
            ctx = MapContext(integration_id, status_map_of(integration.config))
            with time_budget(self.settings.sync_time_budget_seconds):
                only = None if full or queued.streams is None else affected(connector.streams, queued.streams)
                result.streams = sorted(only) if only is not None else None
                await self._sync(connector, source, ctx, full, states, result, progress, tracking, scope, only)
                if queued.deletions:
                    await self._check_deletions(connector, source, ctx, queued.deletions, result, tracking, scope)
            anonymise_deleted(self.engine, integration_id, self.settings.anonymise_after_days)
            result.status = "SUCCEEDED"
            with self.engine.begin() as conn:
                ensure_alive(conn, integration_id, run_id)
                now = utcnow()
                # setup COMPLETED is recorded by _finish, with its webhook event
                result.discovery.save(conn, integration_id, now)
                if full:  # the data now reflects the current field mappings
                    conn.execute(
                        update(integrations)
                        .where(integrations.c.id == integration_id, integrations.c.data_expired_at <= run_started)
                        .values(data_expired_at=None)
                    )
        except SyncCancelled as exc:
            result.status = "CANCELLED"
            result.error = str(exc)
            log.info("sync %s of %s cancelled: %s", run_id, integration_id, exc)
        except Exception as exc:  # the run is recorded as failed; nothing committed is wrong
            result.status = "FAILED"
            result.error = f"{type(exc).__name__}: {exc}"
            auth_error = authentication_failure(exc)
            no_host = unreachable(exc)
            log.error("sync %s of %s failed: %s\n%s", run_id, integration_id, exc, traceback.format_exc())
        finally:
            counters = getattr(getattr(source, "client", None), "counters", None)
            if counters is not None:
                result.http = counters.as_dict()
            await source.aclose()
            self._finish(result, started_at, auth_error, no_host)
        return result

    def _failure_reasons(
        self, conn: Connection, result: SyncResult, ended_at: datetime, no_host: str | None
    ) -> tuple[str | None, str | None]:
        """(reason to make the integration INVALID, reason to show on an integration that stays ACTIVE)
        for a failed run, from its failure streak (this run included)."""
        if result.status != "FAILED":
            return None, None
        streak = streaks(conn, ended_at, [result.integration_id]).get(result.integration_id)
        n = streak.failures if streak is not None else 1
        if no_host is not None and n >= self.settings.unreachable_invalid_after:
            return f"{no_host}, {n} syncs in a row", None
        again = retry_at(self.settings, streak)
        when = f"; next scheduled try after {format_ts(again)}" if again is not None else ""
        times = "once" if n == 1 else f"{n} times in a row"
        return None, f"sync failed {times}{when}: {(result.error or '')[:400]}"

    def _finish(
        self, result: SyncResult, started_at: datetime, auth_error: str | None, no_host: str | None = None
    ) -> None:
        """Record the run's end, the integration's state and the webhook events in one transaction, so
        subscribers hear of exactly what committed. Should the events fail, the run is still recorded."""
        ended_at = utcnow()
        state = "AUTHENTICATION_FAILED" if auth_error is not None else result.status
        try:
            with self.engine.begin() as conn:
                runs.record_finish(conn, result.run_id, result.status, result.stats(), result.error, ended_at)
                invalid_reason, failure_reason = self._failure_reasons(conn, result, ended_at, no_host)
                record_sync_outcome(
                    conn,
                    self.settings,
                    result.integration_id,
                    sync_id=result.run_id,
                    state=state,
                    started_at=started_at,
                    ended_at=ended_at,
                    changed=result.changed,
                    auth_error=auth_error,
                    invalid_reason=invalid_reason,
                    failure_reason=failure_reason,
                    deletions_held=result.deletions_held,
                )
        except Exception:
            log.exception("sync %s: could not record its webhook events; recording the run alone", result.run_id)
            with self.engine.begin() as conn:
                runs.record_finish(conn, result.run_id, result.status, result.stats(), result.error, ended_at)
                if result.status == "SUCCEEDED":
                    platform.mark_first_sync_done(conn, result.integration_id, ended_at)

    def _load_state(self, integration_id: str) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(sync_state).where(sync_state.c.integration_id == integration_id)).all()
        return {
            r.stream: {"watermark": r.watermark, "resume": r.resume, "last_full_sync_at": r.last_full_sync_at}
            for r in rows
        }

    def _save_state(
        self,
        integration_id: str,
        stream: str,
        watermark: datetime,
        full: bool,
        token: str | None = None,
        run_id: str | None = None,
    ) -> None:
        now = utcnow()
        values: dict[str, Any] = {"watermark": format_ts(watermark), "resume": token, "updated_at": now}
        if full:
            values["last_full_sync_at"] = now
        with self.engine.begin() as conn:
            if run_id is not None:
                ensure_alive(conn, integration_id, run_id)
            done = conn.execute(
                update(sync_state)
                .where(sync_state.c.integration_id == integration_id, sync_state.c.stream == stream)
                .values(**values)
            ).rowcount
            if not done:
                conn.execute(insert(sync_state).values(integration_id=integration_id, stream=stream, **values))

    async def _sync(
        self,
        connector: Connector,
        source: Source,
        ctx: MapContext,
        full: bool,
        states: dict[str, dict[str, Any]],
        result: SyncResult,
        progress: Progress | None,
        tracking: Tracking | None,
        scope: Scope = EVERYTHING,
        only: frozenset[str] | None = None,
    ) -> None:
        integration_id = ctx.integration_id
        seen: dict[str, SeenIds] = defaultdict(SeenIds)
        delta_floor: datetime | None = None
        for stream in ordered(connector.streams):  # publishers of lookups and parents first
            if not any(scope.model_enabled(m) for m in stream.models):
                continue  # out of scope: the vendor is not even asked
            if only is not None and stream.name not in only:
                continue  # a webhook's delta: nothing changed here (its lookups are listed on demand)
            watermark = states.get(stream.name, {}).get("watermark")
            since = None
            if not full and stream.incremental and watermark is not None:
                since = parse_ts(watermark) - LOOKBACK
                delta_floor = since if delta_floor is None else min(delta_floor, since)
            listing_started = utcnow()
            await self._sync_stream(stream, source, ctx, since, seen, result, progress, tracking, scope)
            if tracking is not None:
                tracking.save(self.engine)
            token = _sync_token(source, stream.name)
            self._save_state(integration_id, stream.name, listing_started, full or since is None, token, result.run_id)
        if connector.deletion_feed:
            feed = await source.deletions(None if full else delta_floor)
            ts = utcnow()
            with self.engine.begin() as conn:
                ensure_alive(conn, integration_id, result.run_id)
                for model, remote_ids in feed.by_model.items():
                    _mark_gone(conn, integration_id, model, remote_ids, ts, result)
        if full:
            self._detect_deletions(connector, integration_id, seen, result, scope)

    async def _check_deletions(
        self,
        connector: Connector,
        source: Source,
        ctx: MapContext,
        claims: Sequence[tuple[str, str]],
        result: SyncResult,
        tracking: Tracking | None,
        scope: Scope,
    ) -> None:
        """The records vendor webhooks said were deleted, read by id at the vendor
        (:mod:`~atsbridge.sync.deletion_checks`): gone ones marked deleted with their dependants, live ones
        written through the same path as a listed page."""
        seen: dict[str, SeenIds] = defaultdict(SeenIds)
        counts = {"total": 0, "failures": 0}

        async def store(stream: Stream, page: list[dict[str, Any]]) -> None:
            await asyncio.to_thread(self._store_page, stream, page, ctx, seen, result, tracking, counts, scope)

        def gone_now(model: str, remote_id: str) -> None:
            with self.engine.begin() as conn:
                ensure_alive(conn, ctx.integration_id, result.run_id)
                _mark_gone(conn, ctx.integration_id, model, [remote_id], utcnow(), result)

        async def mark_gone(model: str, remote_id: str) -> None:
            await asyncio.to_thread(gone_now, model, remote_id)

        streams = {s.name: s for s in connector.streams}
        result.deletion_checks = await deletion_checks.check(
            source, streams, claims, enabled=scope.model_enabled, store=store, mark_gone=mark_gone
        )

    async def _sync_stream(
        self,
        stream: Stream,
        source: Source,
        ctx: MapContext,
        since: datetime | None,
        seen: dict[str, SeenIds],
        result: SyncResult,
        progress: Progress | None,
        tracking: Tracking | None,
        scope: Scope = EVERYTHING,
    ) -> None:
        """Pipelined: while a batch of pages is mapped and written (in a worker thread), the next pages are
        being fetched (:func:`~atsbridge.sync.pages.coalesce`)."""
        counts = {"total": 0, "failures": 0}
        pages = coalesce(source.read(stream, since), max_records=COMMIT_RECORDS, prefetch=PREFETCH_PAGES)
        pending: asyncio.Future[list[dict[str, Any]]] = asyncio.ensure_future(anext(pages))
        try:
            while True:
                try:
                    page = await pending
                except StopAsyncIteration:
                    break
                pending = asyncio.ensure_future(anext(pages))
                await asyncio.to_thread(self._store_page, stream, page, ctx, seen, result, tracking, counts, scope)
                if progress is not None:
                    progress(stream.name, len(page))
        finally:
            if not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
            with contextlib.suppress(Exception):
                await pages.aclose()  # stops the read-ahead
        if counts["total"] and counts["failures"] / counts["total"] > MAX_MAPPING_ERROR_RATIO:
            raise MappingError(f"{stream.name}: {counts['failures']} of {counts['total']} records could not be mapped")

    def _store_page(
        self,
        stream: Stream,
        page: list[dict[str, Any]],
        ctx: MapContext,
        seen: dict[str, SeenIds],
        result: SyncResult,
        tracking: Tracking | None,
        counts: dict[str, int],
        scope: Scope = EVERYTHING,
    ) -> None:
        """Map one page and commit it in one transaction, with the run's heartbeat. Out-of-scope models are
        dropped and out-of-scope fields blanked before anything is hashed or stored."""
        records: dict[str, list[UnifiedRecord]] = defaultdict(list)
        plan = result.plan
        planned = plan.models if plan is not None else frozenset()
        first = stream.models[0]
        for raw in page:
            try:
                for rec in stream.mapper(raw, ctx):
                    if not scope.model_enabled(rec.model):
                        continue
                    for field_name in scope.fields_off(rec.model):
                        rec.fields[field_name] = None
                    if tracking is None or tracking.keep(rec):
                        if rec.model in planned:  # only with a plan: discover, then map, this record
                            result.discovery.observe_custom(rec)
                            plan.apply(rec, raw if rec.model == first else None)  # type: ignore[union-attr]
                        records[rec.model].append(rec)
            except (MappingError, KeyError, TypeError, ValueError) as exc:
                counts["failures"] += 1
                result.mapping_errors.append(f"{stream.name} {raw.get('id', '?')}: {exc}"[:500])
        counts["total"] += len(page)
        result.discovery.observe(first, page, records, skip=planned)
        ts = utcnow()
        with self.engine.begin() as conn:
            ensure_alive(conn, ctx.integration_id, result.run_id)
            for model, recs in records.items():
                batch: BatchResult = write_batch(conn, ctx.integration_id, model, recs, ts)
                stats = result.models[model]
                stats.created += batch.created
                stats.updated += batch.updated
                stats.unchanged += batch.unchanged
                result.changed[model].update(batch.changed_ids)
                seen[model].update(r.id for r in recs)

    def _detect_deletions(
        self,
        connector: Connector,
        integration_id: str,
        seen: dict[str, SeenIds],
        result: SyncResult,
        scope: Scope = EVERYTHING,
    ) -> None:
        """After a complete full listing: whatever we hold that the vendor no longer lists is deleted, unless
        that is more than the breaker allows; then the deletions are held (recorded, shown as needing
        attention) until an operator confirms them, and the next full sync applies the confirmed ones
        (:mod:`atsbridge.sync.holds`)."""
        ratio = self.settings.deletion_breaker_ratio
        ts = utcnow()
        for stream in connector.streams:
            for model in stream.models:
                if not scope.model_enabled(model):
                    continue
                with self.engine.begin() as conn:
                    live = live_ids(conn, integration_id, model)
                    missing = seen[model].missing(live) if model in seen else sorted(live)
                    confirmed = holds.confirmed_ids(conn, integration_id, model)
                    apply: list[str] = []
                    if confirmed is not None:  # exactly the confirmed ids that are still missing
                        ids, decision = confirmed
                        apply = [m for m in missing if m in ids]
                        missing = [m for m in missing if m not in ids]
                        result.deletions_confirmed[model] = {
                            "confirmed_by": decision.confirmed_by,
                            "confirmed_at": format_ts(decision.confirmed_at) if decision.confirmed_at else None,
                            "confirmed": decision.held,
                            "applied": len(apply),
                        }
                    remaining = len(live) - len(apply)
                    if len(missing) > BREAKER_MIN_RECORDS and len(missing) > ratio * remaining:
                        msg = (
                            f"{model}: refused to mark {len(missing)} of {remaining} records deleted "
                            f"(over the {ratio:.0%} breaker); check the connection's permissions, or confirm "
                            f"the deletions (atsbridge integrations confirm-deletions {integration_id})"
                        )
                        log.warning("sync of %s: %s", integration_id, msg)
                        result.breaker_trips.append(msg)
                        result.deletions_held[model] = {"held": len(missing), "live": remaining}
                        holds.hold(conn, integration_id, model, missing, remaining, result.run_id)
                        missing = []
                    else:  # nothing (more) held back for this model
                        holds.release(conn, integration_id, model)
                    gone = apply + missing
                    if not gone:
                        continue
                    result.models[model].deleted += mark_deleted(conn, integration_id, model, gone, ts)
                    result.changed[model].update(gone)


__all__ = ["SyncAlreadyRunning", "SyncCancelled", "SyncEngine", "SyncResult"]
