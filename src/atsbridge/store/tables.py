"""All tables. Unified-model tables are derived from the model registry; platform tables are listed here.

Every unified table has the same spine: ``data`` (own fields, JSON text), ``nested`` (nested data that is
not the record's own), their hashes, ``changed_at`` (own fields changed), ``effective_changed_at``
(own or nested or related data changed: what ``updated_after`` compares), ``remote_deleted_at``, and the
promoted columns of its :class:`~atsbridge.model.registry.ModelSpec`. ``integration_id`` leads every index.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
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
