"""a queued run may be limited to some streams (a vendor webhook's delta of the streams its events touched)

Revision ID: 0008_sync_run_streams
Revises: 0007_vendor_webhooks
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_sync_run_streams"
down_revision = "0007_vendor_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("streams", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_column("streams")
