"""Incubators: 第十二条 re-evaluations, 第十四条 change reports, the 附件3 entry of a former base (第十条) (东人社发〔2021〕101号);
commissioners: the waiver of the 意向书 on a renewal (东人社发〔2021〕111号 §四（二）).

Revision ID: l7a0fidelity
Revises: l1a0preparedness
Create Date: 2026-12-01 10:38:47.229157
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dongcheng.core.db

revision = 'l7a0fidelity'
down_revision = 'l1a0preparedness'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incubator_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', dongcheng.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['incubator_applications.id'], name=op.f('fk_incubator_changes_application_id_incubator_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator_changes'))
    )
    with op.batch_alter_table('incubator_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubator_changes_application_id'), ['application_id'], unique=False)

    op.create_table('incubator_reevaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('recorded_at', dongcheng.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['incubator_applications.id'], name=op.f('fk_incubator_reevaluations_application_id_incubator_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator_reevaluations')),
    sa.UniqueConstraint('application_id', 'year', name=op.f('uq_incubator_reevaluations_application_id_year'))
    )
    with op.batch_alter_table('incubator_reevaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubator_reevaluations_application_id'), ['application_id'], unique=False)

    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal_waiver', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('incubator_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_recognition', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('incubator_applications', schema=None) as batch_op:
        batch_op.drop_column('former_recognition')

    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.drop_column('renewal_waiver')

    with op.batch_alter_table('incubator_reevaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubator_reevaluations_application_id'))

    op.drop_table('incubator_reevaluations')
    with op.batch_alter_table('incubator_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubator_changes_application_id'))

    op.drop_table('incubator_changes')
