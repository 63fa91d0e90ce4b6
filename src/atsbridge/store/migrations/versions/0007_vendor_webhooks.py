"""vendor webhooks in: one registration per integration (hashed path token, sealed secret) and the log of
deliveries received (accepted, duplicate or refused)

Revision ID: 0007_vendor_webhooks
Revises: 0006_deletion_holds
Create Date: 2026-12-07 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import atsbridge.store.types

revision = "0007_vendor_webhooks"
down_revision = "0006_deletion_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vendor_webhooks",
        sa.Column("integration_id", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", atsbridge.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integrations.id"],
            name=op.f("fk_vendor_webhooks_integration_id_integrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("integration_id", name=op.f("pk_vendor_webhooks")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_vendor_webhooks_token_hash")),
    )
    op.create_table(
        "vendor_webhook_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("integration_id", sa.String(length=80), nullable=False),
        sa.Column("received_at", atsbridge.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("delivery_id", sa.String(length=200), nullable=True),
        sa.Column("streams", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integrations.id"],
            name=op.f("fk_vendor_webhook_events_integration_id_integrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_webhook_events")),
    )
    op.create_index(
        "ix_vendor_webhook_events_integration_received",
        "vendor_webhook_events",
        ["integration_id", "received_at"],
        unique=False,
    )
    op.create_index(
        "uq_vendor_webhook_events_delivery", "vendor_webhook_events", ["integration_id", "delivery_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_vendor_webhook_events_delivery", table_name="vendor_webhook_events")
    op.drop_index("ix_vendor_webhook_events_integration_received", table_name="vendor_webhook_events")
    op.drop_table("vendor_webhook_events")
    op.drop_table("vendor_webhooks")
