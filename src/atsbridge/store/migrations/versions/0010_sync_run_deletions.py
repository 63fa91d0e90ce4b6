"""a queued run may carry the records vendor webhooks said were deleted, to check by id at the vendor

Revision ID: 0010_sync_run_deletions
Revises: 0009_rate_budgets
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_sync_run_deletions"
down_revision = "0009_rate_budgets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deletions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_column("deletions")
