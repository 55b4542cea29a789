"""Supervision (东政办发〔2021〕17号; SPEC §2.5): the tasks' progress reports and contributions, the first-aid
network's station records.

Revision ID: l3a0supervisiontasks
Revises: l2a0plansdrills
Create Date: 2026-12-01 10:37:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'l3a0supervisiontasks'
down_revision = 'l2a0plansdrills'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervision_station_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_key', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_station_records'))
    )
    with op.batch_alter_table('supervision_station_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_station_records_station_key'), ['station_key'], unique=False)

    op.create_table('supervision_task_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_key', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('issues', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_task_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_task_reports')),
    sa.UniqueConstraint('task_key', 'year', 'quarter', 'unit_id', name=op.f('uq_supervision_task_reports_task_key_year_quarter_unit_id'))
    )
    with op.batch_alter_table('supervision_task_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_task_reports_task_key'), ['task_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_task_reports_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('supervision_task_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_task_reports_unit_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_task_reports_task_key'))

    op.drop_table('supervision_task_reports')
    with op.batch_alter_table('supervision_station_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_station_records_station_key'))

    op.drop_table('supervision_station_records')
