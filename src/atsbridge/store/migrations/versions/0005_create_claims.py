"""create claims: one create per (integration, person, job)

Revision ID: 0005_create_claims
Revises: 0004
Create Date: 2026-12-07 01:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import atsbridge.store.types

revision = '0005_create_claims'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('create_claims',
    sa.Column('integration_id', sa.String(length=80), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('job_id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=255), nullable=True),
    sa.Column('lease_until', atsbridge.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('application_id', sa.String(length=40), nullable=True),
    sa.Column('candidate_id', sa.String(length=40), nullable=True),
    sa.Column('claimed_at', atsbridge.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['integration_id'], ['integrations.id'], name=op.f('fk_create_claims_integration_id_integrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('integration_id', 'email_hash', 'job_id', name=op.f('pk_create_claims'))
    )


def downgrade() -> None:
    op.drop_table('create_claims')
