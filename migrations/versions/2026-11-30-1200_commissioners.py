"""Retiree service commissioners (东人社发〔2021〕111号, 112号; SPEC §2.4): streets' retirees, commissioners, ratings,
fund applications.

Revision ID: j0a0commissioners
Revises: h8a0incubators
Create Date: 2026-11-30 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'j0a0commissioners'
down_revision = 'h8a0incubators'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commissioner_streets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('street_id', sa.Integer(), nullable=False),
    sa.Column('retirees', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('updated_by', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['street_id'], ['units.id'], name=op.f('fk_commissioner_streets_street_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioner_streets')),
    sa.UniqueConstraint('street_id', name=op.f('uq_commissioner_streets_street_id'))
    )
    op.create_table('commissioners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('street_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('recommended', sa.Boolean(), nullable=False),
    sa.Column('over_quota', sa.Boolean(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('trial_end', sa.Date(), nullable=True),
    sa.Column('term_no', sa.Integer(), nullable=False),
    sa.Column('notice_sent_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['street_id'], ['units.id'], name=op.f('fk_commissioners_street_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioners'))
    )
    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioners_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioners_street_id'), ['street_id'], unique=False)

    op.create_table('commissioner_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commissioner_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=12), nullable=False),
    sa.Column('bonus_base', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commissioner_id'], ['commissioners.id'],
                            name=op.f('fk_commissioner_ratings_commissioner_id_commissioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioner_ratings')),
    sa.UniqueConstraint('commissioner_id', 'year', 'month',
                        name=op.f('uq_commissioner_ratings_commissioner_id_year_month'))
    )
    with op.batch_alter_table('commissioner_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioner_ratings_commissioner_id'), ['commissioner_id'], unique=False)

    op.create_table('commissioner_fund_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('street_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('insurance_per_person', sa.Integer(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('total', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('report_submitted_on', sa.Date(), nullable=True),
    sa.Column('filed_by', sa.String(length=60), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['street_id'], ['units.id'], name=op.f('fk_commissioner_fund_applications_street_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioner_fund_applications')),
    sa.UniqueConstraint('street_id', 'year', name=op.f('uq_commissioner_fund_applications_street_id_year'))
    )
    with op.batch_alter_table('commissioner_fund_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioner_fund_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioner_fund_applications_street_id'), ['street_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('commissioner_fund_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioner_fund_applications_street_id'))
        batch_op.drop_index(batch_op.f('ix_commissioner_fund_applications_status'))
    op.drop_table('commissioner_fund_applications')
    with op.batch_alter_table('commissioner_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioner_ratings_commissioner_id'))
    op.drop_table('commissioner_ratings')
    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioners_street_id'))
        batch_op.drop_index(batch_op.f('ix_commissioners_status'))
    op.drop_table('commissioners')
    op.drop_table('commissioner_streets')
