"""Working days (SPEC §3): the holiday schedules an admin loads for years the chinese-calendar package does not cover.

Revision ID: g7a0calendar
Revises: f6a0heritage
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'g7a0calendar'
down_revision = 'f6a0heritage'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('working_day_schedule',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_working_day_schedule'))
    )
    with op.batch_alter_table('working_day_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_day_schedule_year'), ['year'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('working_day_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_day_schedule_year'))
    op.drop_table('working_day_schedule')
