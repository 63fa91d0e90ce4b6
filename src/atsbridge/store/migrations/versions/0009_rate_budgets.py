"""vendor request budgets shared across processes: a sliding window of slot rows per (integration, limit) and
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
        sa.Column("budget", sa.String(length=160), nullable=False),
        sa.Column("writes_waiting", sa.Integer(), nullable=False),
        sa.Column("writes_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("budget", name=op.f("pk_rate_budgets")),
    )
    op.create_table(
        "rate_budget_slots",
        sa.Column("budget", sa.String(length=160), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("budget", "slot", name=op.f("pk_rate_budget_slots")),
    )
    op.create_index("ix_rate_budget_slots_budget_used_at", "rate_budget_slots", ["budget", "used_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rate_budget_slots_budget_used_at", table_name="rate_budget_slots")
    op.drop_table("rate_budget_slots")
    op.drop_table("rate_budgets")
