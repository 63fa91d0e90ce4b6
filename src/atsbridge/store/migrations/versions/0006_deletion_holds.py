"""deletion holds (deletions the breaker held back until an operator confirms them); an index of failed runs

Revision ID: 0006_deletion_holds
Revises: 0005_create_claims
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import atsbridge.store.types

revision = "0006_deletion_holds"
down_revision = "0005_create_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deletion_holds",
        sa.Column("integration_id", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("ids", sa.Text(), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("live", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("detected_at", atsbridge.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("confirmed_at", atsbridge.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integrations.id"],
            name=op.f("fk_deletion_holds_integration_id_integrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("integration_id", "model", name=op.f("pk_deletion_holds")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_runs_failed_finished_at",
            ["finished_at"],
            unique=False,
            sqlite_where=sa.text("status = 'FAILED'"),
            postgresql_where=sa.text("status = 'FAILED'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_sync_runs_failed_finished_at",
            sqlite_where=sa.text("status = 'FAILED'"),
            postgresql_where=sa.text("status = 'FAILED'"),
        )
    op.drop_table("deletion_holds")
