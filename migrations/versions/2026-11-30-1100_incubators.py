"""Demonstration incubation bases (东人社发〔2021〕101号, SPEC §2.3): applications, their timeline, quarterly reports.

Revision ID: h8a0incubators
Revises: g7a0calendar
Create Date: 2026-11-30 11:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'h8a0incubators'
down_revision = 'g7a0calendar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incubator_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_name', sa.String(length=200), nullable=False),
    sa.Column('operator_name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('route', sa.String(length=10), nullable=False),
    sa.Column('title_level', sa.String(length=10), nullable=True),
    sa.Column('title_name', sa.String(length=200), nullable=True),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('notice_start', sa.Date(), nullable=True),
    sa.Column('notice_end', sa.Date(), nullable=True),
    sa.Column('notice_provisional', sa.Boolean(), nullable=False),
    sa.Column('open_objections', sa.Integer(), nullable=False),
    sa.Column('certified_on', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revocation_ground', sa.String(length=10), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator_applications'))
    )
    with op.batch_alter_table('incubator_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubator_applications_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubator_applications_status'), ['status'], unique=False)

    op.create_table('incubator_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['incubator_applications.id'],
                            name=op.f('fk_incubator_events_application_id_incubator_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator_events'))
    )
    with op.batch_alter_table('incubator_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubator_events_application_id'), ['application_id'], unique=False)

    op.create_table('incubator_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['incubator_applications.id'],
                            name=op.f('fk_incubator_reports_application_id_incubator_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator_reports')),
    sa.UniqueConstraint('application_id', 'year', 'quarter', name=op.f('uq_incubator_reports_application_id_year_quarter'))
    )
    with op.batch_alter_table('incubator_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubator_reports_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incubator_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubator_reports_application_id'))

    op.drop_table('incubator_reports')
    with op.batch_alter_table('incubator_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubator_events_application_id'))

    op.drop_table('incubator_events')
    with op.batch_alter_table('incubator_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubator_applications_status'))
        batch_op.drop_index(batch_op.f('ix_incubator_applications_credit_code'))

    op.drop_table('incubator_applications')
