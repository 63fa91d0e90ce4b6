"""vendor request budgets shared across processes: per (integration, limit) a sliding window of slot rows and
whether writes wait for it

Revision ID: 0009_rate_budgets
Revises: 0008_sync_run_streams
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_rate_budgets"
down_revision = "0008_sync_run_streams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_budgets",
        sa.Column("integration_id", sa.String(length=80), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("writes_waiting", sa.Integer(), nullable=False),
        sa.Column("writes_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("integration_id", "rate", name=op.f("pk_rate_budgets")),
    )
    op.create_table(
        "rate_budget_slots",
        sa.Column("integration_id", sa.String(length=80), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("integration_id", "rate", "slot", name=op.f("pk_rate_budget_slots")),
    )
    op.create_index(
        "ix_rate_budget_slots_integration_id_rate_used_at",
        "rate_budget_slots",
        ["integration_id", "rate", "used_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_rate_budget_slots_integration_id_rate_used_at", table_name="rate_budget_slots")
    op.drop_table("rate_budget_slots")
    op.drop_table("rate_budgets")
