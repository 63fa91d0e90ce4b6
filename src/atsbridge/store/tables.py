"""All tables. Unified-model tables are derived from the model registry; platform tables are listed here.

Every unified table has the same spine: ``data`` (own fields, JSON text), ``nested`` (nested data that is
not the record's own), their hashes, ``changed_at`` (own fields changed), ``effective_changed_at``
(own or nested or related data changed: what ``updated_after`` compares), ``remote_deleted_at``, and the
promoted columns of its :class:`~atsbridge.model.registry.ModelSpec`. ``integration_id`` leads every index.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from atsbridge.model.registry import MODELS, ModelSpec
from atsbridge.store.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

environments = Table(
    "environments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

integrations = Table(
    "integrations",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("tool", String(40), nullable=False),
    Column("end_user_organization_name", String(300), nullable=False),
    Column("end_user_email", String(300), nullable=True),
    Column("end_user_origin_id", String(300), nullable=True),
    #: Tool-specific, non-secret settings (sandbox seed and size, base URLs, ...), JSON.
    Column("config", Text, nullable=False, default="{}"),
    #: Encrypted vendor credentials (never returned, never logged).
    Column("credentials", LargeBinary, nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    #: The scope config in force (None: the environment's default, else everything enabled).
    Column("scope_config_id", String(40), nullable=True),
    Column("status", String(20), nullable=False, default="ACTIVE"),
    Column("setup_status", String(30), nullable=False, default="FINAL_SYNC_PENDING"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("first_synced_at", UTCDateTime(), nullable=True),
    #: Set when a configuration change (field mapping, scope) made synced data stale; cleared by the next
    #: successful full sync.
    Column("data_expired_at", UTCDateTime(), nullable=True),
    #: Why the integration is INVALID (the vendor's answer to our credentials), for the dashboard.
    Column("status_reason", Text, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=True),
    Index("ix_integrations_environment_id", "environment_id"),
)

#: What an environment's integrations may touch: read models, per-model fields, write actions.
#: ``settings`` JSON: {"models": {model: {"enabled": bool, "fields": {field: bool}}}, "actions": {action: bool}};
#: anything not mentioned is enabled.
scope_configs = Table(
    "scope_configs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("settings", Text, nullable=False, default="{}"),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_scope_configs_environment_id", "environment_id"),
)

#: Per (integration, model) sync state: the watermark is written only after the batch it covers commits.
sync_state = Table(
    "sync_state",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("stream", String(60), primary_key=True),
    Column("watermark", Text, nullable=True),
    Column("resume", Text, nullable=True),
    Column("last_full_sync_at", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: One inbound vendor webhook per integration: the unguessable path token (hashed, like API keys) and, sealed
#: like vendor credentials, the signing secret (plus, when registered through the vendor API, the vendor's
#: webhook ids and any secrets the vendor generated).
vendor_webhooks = Table(
    "vendor_webhooks",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("secret_sealed", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

#: Every delivery received for an integration: accepted, duplicate (a retry of one already taken) or refused
#: (with the reason, for the operator). The vendor's delivery id makes retries recognisable.
vendor_webhook_events = Table(
    "vendor_webhook_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("reason", String(300), nullable=True),
    Column("delivery_id", String(200), nullable=True),
    #: JSON list of the streams the event touched.
    Column("streams", Text, nullable=True),
    Index("ix_vendor_webhook_events_integration_received", "integration_id", "received_at"),
    Index("uq_vendor_webhook_events_delivery", "integration_id", "delivery_id", unique=True),
)

#: Deletions the breaker held back, per (integration, model), until an operator confirms them: the ids a
#: full listing no longer showed, and who confirmed them when (the next full sync then applies them).
deletion_holds = Table(
    "deletion_holds",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(60), primary_key=True),
    #: JSON list of the held record ids (sorted).
    Column("ids", Text, nullable=False),
    Column("held", Integer, nullable=False),
    Column("live", Integer, nullable=False),
    Column("run_id", String(40), nullable=False),
    Column("detected_at", UTCDateTime(), nullable=False),
    Column("confirmed_by", String(200), nullable=True),
    Column("confirmed_at", UTCDateTime(), nullable=True),
)

#: One vendor request budget shared by every process (distributed mode), see :mod:`atsbridge.store.rate_budgets`:
#: per integration and limit, whether a write waits for it (reads then leave the next slot to the write) ...
#: (No foreign key: a budget is made by the first request, whatever its key; purging an integration, which
#: finds tables by their ``integration_id``, removes its budgets all the same.)
rate_budgets = Table(
    "rate_budgets",
    metadata,
    Column("integration_id", String(80), primary_key=True),
    #: The limit, ``requests/per_seconds`` (``100/60.0``): a changed limit is another budget.
    Column("rate", String(40), primary_key=True),
    Column("writes_waiting", Integer, nullable=False),
    #: The waiting writes' lease (database epoch seconds): they renew it while they wait; a dead one's expires.
    Column("writes_until", Float, nullable=False),
)

#: ... and its sliding window: one row per request the limit allows, holding when it was last taken.
rate_budget_slots = Table(
    "rate_budget_slots",
    metadata,
    Column("integration_id", String(80), primary_key=True),
    Column("rate", String(40), primary_key=True),
    Column("slot", Integer, primary_key=True),
    #: Database epoch seconds (0: never taken).
    Column("used_at", Float, nullable=False),
    Index("ix_rate_budget_slots_integration_id_rate_used_at", "integration_id", "rate", "used_at"),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(10), nullable=False),
    #: QUEUED, RUNNING, SUCCEEDED or FAILED.
    Column("status", String(20), nullable=False),
    Column("queued_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime(), nullable=True),
    Column("finished_at", UTCDateTime(), nullable=True),
    #: Refreshed after every committed page; a RUNNING run whose heartbeat is old died with its process.
    Column("heartbeat_at", UTCDateTime(), nullable=True),
    #: scheduler, force-sync, cli.
    Column("trigger", String(20), nullable=False, default="cli"),
    #: ``host:pid`` of the process running it: a run whose process is gone is reaped at once.
    Column("worker", String(200), nullable=True),
    #: JSON: per-model counts {created, updated, deleted, unchanged}, requests, retries, breaker trips.
    Column("stats", Text, nullable=False, default="{}"),
    Column("error", Text, nullable=True),
    #: JSON list: a DELTA limited to these streams (and what depends on them); NULL: every stream.
    Column("streams", Text, nullable=True),
    #: JSON list of [stream, remote id]: records a vendor webhook said were deleted, each read by id at the
    #: vendor when the run executes (marked deleted only if the vendor answers it is gone); NULL: none.
    Column("deletions", Text, nullable=True),
    Index("ix_sync_runs_integration_id_queued_at", "integration_id", "queued_at"),
    # At most one running sync per integration, and one queued per type: enforced by the database itself.
    Index(
        "uq_sync_runs_one_running",
        "integration_id",
        unique=True,
        sqlite_where=text("status = 'RUNNING'"),
        postgresql_where=text("status = 'RUNNING'"),
    ),
    Index(
        "uq_sync_runs_one_queued_per_type",
        "integration_id",
        "type",
        unique=True,
        sqlite_where=text("status = 'QUEUED'"),
        postgresql_where=text("status = 'QUEUED'"),
    ),
    # Recent failures, for the scheduler's backoff: small (only FAILED rows), so a tick finds them cheaply.
    Index(
        "ix_sync_runs_failed_finished_at",
        "finished_at",
        sqlite_where=text("status = 'FAILED'"),
        postgresql_where=text("status = 'FAILED'"),
    ),
)

#: Applications atsbridge created or was asked to import: by default only these are synced.
tracked_applications = Table(
    "tracked_applications",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("application_id", String(24), primary_key=True),
    Column("remote_id", String(255), nullable=False),
    Column("candidate_id", String(24), nullable=True),
    #: created or imported.
    Column("source", String(20), nullable=False),
    Column("tracked_at", UTCDateTime(), nullable=False),
    Index("ix_tracked_applications_integration_id_candidate_id", "integration_id", "candidate_id"),
)

#: One create per (integration, person, job): claimed before the vendor call, so racing creates cannot both
#: reach the ATS (see ``atsbridge.writes.claims``). ``email_hash``: SHA-256 of the normalised address.
create_claims = Table(
    "create_claims",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("email_hash", String(64), primary_key=True),
    Column("job_id", String(40), primary_key=True),
    #: pending (a request is calling the ATS), held (stopped half-way; its Idempotency-Key may resume it),
    #: created (done: every later create for the pair is refused).
    Column("status", String(20), nullable=False),
    #: A random token of the request holding the claim: only it may release or convert it.
    Column("owner", String(40), nullable=False),
    Column("idempotency_key", String(255), nullable=True),
    #: pending/held: past this the claim is stale (its process died) and may be taken over.
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("application_id", String(40), nullable=True),
    Column("candidate_id", String(40), nullable=True),
    Column("claimed_at", UTCDateTime(), nullable=False),
)

#: Connect links (create-link, relink, setup-link). Only hashes of the link secret and of the exchange
#: token handed to ``integration-by-token`` are stored.
connect_links = Table(
    "connect_links",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    #: connect, relink or setup.
    Column("purpose", String(20), nullable=False),
    #: relink/setup: the integration concerned; connect: the integration it created (once completed).
    Column("integration_id", String(80), nullable=True),
    Column("end_user_email", String(300), nullable=True),
    Column("end_user_organization_name", String(300), nullable=False),
    Column("end_user_origin_id", String(300), nullable=True),
    Column("integration_category", String(20), nullable=False, default="ATS"),
    Column("integration_tool", String(60), nullable=True),
    Column("remote_environment", String(100), nullable=True),
    Column("language", String(5), nullable=False, default="en"),
    Column("scope_config_id", String(40), nullable=True),
    Column("link_type", String(20), nullable=False, default="EMBEDDED"),
    #: JSON: enable_field_mapping, enable_filtering, enable_static_ips...
    Column("options", Text, nullable=False, default="{}"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    #: Failed credential verifications (the flow stays open; each failure is an event).
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("exchange_token_hash", String(64), nullable=True, unique=True),
    Column("exchange_expires_at", UTCDateTime(), nullable=True),
    Index("ix_connect_links_environment_id_created_at", "environment_id", "created_at"),
)

#: Webhook endpoints of an environment. The signing secret is sealed like vendor credentials (it must be
#: read back to sign); after a rotation the previous one also signs until ``previous_secret_expires_at``.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("description", String(300), nullable=True),
    Column("secret", LargeBinary, nullable=False),
    Column("previous_secret", LargeBinary, nullable=True),
    Column("previous_secret_expires_at", UTCDateTime(), nullable=True),
    #: JSON list of event types, or NULL for every type.
    Column("event_types", Text, nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_endpoints_environment_id", "environment_id"),
)

#: The event log (outbox): written in the same transaction as the change it reports. ``seq`` orders
#: events and is the ``GET /v1/events`` cursor.
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    #: No foreign key: events outlive the integration they report on (integration-deleted).
    Column("integration_id", String(80), nullable=True),
    Column("type", String(60), nullable=False),
    #: The whole webhook body, serialised once: ``{"id", "type", "data"}``.
    Column("payload", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_events_environment_id_seq", "environment_id", "seq"),
)

#: One row per (endpoint, event): at-least-once delivery with backoff, ordered per integration.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("endpoint_id", String(40), ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("event_seq", BigInteger, nullable=False),
    Column("event_id", String(40), nullable=False),
    Column("environment_id", String(40), nullable=False),
    #: Deliveries sharing a key (the integration id, or "" for environment-wide events) go out in order.
    Column("ordering_key", String(80), nullable=False, default=""),
    #: PENDING, SUCCEEDED or FAILED (gave up after the retry window).
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    #: A dispatcher holding the delivery (multi-process safety); NULL or past means free.
    Column("locked_until", UTCDateTime(), nullable=True),
    Column("last_attempt_at", UTCDateTime(), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("give_up_at", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint_id_ordering_key_event_seq", "endpoint_id", "ordering_key", "event_seq"),
    Index("ix_webhook_deliveries_event_id", "event_id"),
)

#: Every attempt of every delivery: the delivery log the dashboard shows.
webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("delivery_id", String(40), ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False, default=0),
)

#: The tool's own fields per model, discovered while syncing (DEFAULT: top-level vendor keys; CUSTOM: the
#: vendor's custom fields). Passthrough-enabled ones are emitted in records' ``integration_fields``.
integration_fields = Table(
    "integration_fields",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), nullable=False),
    Column("model", String(40), nullable=False),
    Column("key", String(255), nullable=False),
    Column("type", String(10), nullable=False),
    Column("label", String(300), nullable=True),
    Column("is_passthrough_enabled", Boolean, nullable=False, default=False),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    UniqueConstraint("integration_id", "model", "type", "key"),
)

#: Custom fields the environment defines per model (keys inside records' ``custom_fields``).
custom_fields = Table(
    "custom_fields",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("environment_id", String(40), ForeignKey("environments.id", ondelete="CASCADE"), nullable=False),
    Column("model", String(40), nullable=False),
    Column("key", String(100), nullable=False),
    Column("label", String(300), nullable=True),
    Column("description", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("environment_id", "model", "key"),
)

#: Which integration field fills a custom field, per integration.
custom_field_mappings = Table(
    "custom_field_mappings",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("custom_field_id", String(40), ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True),
    Column("integration_field_id", String(40), ForeignKey("integration_fields.id", ondelete="CASCADE"), nullable=False),
)

#: Operators of the dashboard (self-hosting admins): only token hashes are stored.
operators = Table(
    "operators",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

#: Platform-wide values generated once (the development signing key, when none is configured).
kv = Table(
    "kv",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

#: The sandbox ATS's own state: what `sandbox simulate` changed on top of the seeded generator.
sandbox_changes = Table(
    "sandbox_changes",
    metadata,
    Column("integration_id", String(80), ForeignKey("integrations.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("remote_id", String(80), primary_key=True),
    #: The vendor record as the sandbox ATS now serves it (JSON), or NULL once deleted.
    Column("payload", Text, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("seq", Integer, nullable=False),
    Index("ix_sandbox_changes_integration_id_updated_at", "integration_id", "updated_at"),
)


def _model_table(spec: ModelSpec) -> Table:
    name = spec.table
    cols: list[Column[object]] = [
        Column("id", String(24), primary_key=True),
        Column("integration_id", String(80), nullable=False),
        Column("remote_id", String(255), nullable=True),
        Column("data", Text, nullable=False),
        Column("nested", Text, nullable=True),
        #: Pre-serialised projection used when the record is embedded in another (see model.projections).
        Column("embed", Text, nullable=True),
        Column("content_hash", LargeBinary(16), nullable=False),
        Column("nested_hash", LargeBinary(16), nullable=True),
        Column("changed_at", UTCDateTime(), nullable=False),
        Column("effective_changed_at", UTCDateTime(), nullable=False),
        Column("remote_deleted_at", UTCDateTime(), nullable=True),
        Column("first_seen_at", UTCDateTime(), nullable=False),
    ]
    indexes = [
        Index(f"ix_{name}_integration_id_id", "integration_id", "id"),
        Index(f"ix_{name}_integration_id_effective_changed_at", "integration_id", "effective_changed_at"),
        Index(f"ix_{name}_integration_id_remote_id", "integration_id", "remote_id"),
    ]
    for promoted in spec.promoted:
        col_type = UTCDateTime() if promoted.type == "datetime" else String(512)
        cols.append(Column(promoted.column, col_type, nullable=True))
        if promoted.index:
            indexes.append(Index(f"ix_{name}_integration_id_{promoted.column}", "integration_id", promoted.column))
    return Table(name, metadata, *cols, *indexes)


MODEL_TABLES: dict[str, Table] = {name: _model_table(spec) for name, spec in MODELS.items()}


def _side_table(spec: ModelSpec, side: str) -> Table:
    name = f"{spec.table}_{side}"
    return Table(
        name,
        metadata,
        Column("integration_id", String(80), nullable=False),
        Column("record_id", String(24), nullable=False),
        Column("value", String(512), nullable=False),
        UniqueConstraint("record_id", "value"),
        Index(f"ix_{name}_integration_id_value", "integration_id", "value"),
    )


SIDE_TABLES: dict[tuple[str, str], Table] = {
    (spec.name, side): _side_table(spec, side) for spec in MODELS.values() for side in spec.sides
}


#: Idempotent writes: the first response under a key is replayed; a half-done multi-step write resumes
#: from ``progress`` (what was already created in the ATS) instead of creating it again.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("environment_id", String(40), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("integration_id", String(80), nullable=False),
    Column("request_hash", String(64), nullable=False),
    #: in_progress, partial (failed after some vendor steps), done.
    Column("status", String(20), nullable=False),
    Column("locked_until", UTCDateTime(), nullable=True),
    Column("progress", Text, nullable=False, default="{}"),
    Column("response_status", Integer, nullable=True),
    Column("response_body", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
)
