"""双随机: a declared conflict can be withdrawn (who, when, why kept on the row); one standing declaration per
inspector and institution (a partial unique index) instead of one ever, so a pair may be declared again after a
withdrawal and the history keeps both.

Revision ID: m9a0conflictwithdraw
Revises: n1a0refgen
Create Date: 2026-12-01 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dongcheng.core.db

revision = 'm9a0conflictwithdraw'
down_revision = 'n1a0refgen'
branch_labels = None
depends_on = None

STANDING = "withdrawn_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('supervision_inspector_conflicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', dongcheng.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.drop_constraint('uq_supervision_inspector_conflicts_inspector_id_institution_id', type_='unique')
        batch_op.create_index('uq_supervision_inspector_conflicts_standing', ['inspector_id', 'institution_id'],
                              unique=True, postgresql_where=sa.text(STANDING), sqlite_where=sa.text(STANDING))


def downgrade() -> None:
    with op.batch_alter_table('supervision_inspector_conflicts', schema=None) as batch_op:
        batch_op.drop_index('uq_supervision_inspector_conflicts_standing')
    op.execute("DELETE FROM supervision_inspector_conflicts WHERE withdrawn_at IS NOT NULL")  # history lost on downgrade
    with op.batch_alter_table('supervision_inspector_conflicts', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_supervision_inspector_conflicts_inspector_id_institution_id',
                                          ['inspector_id', 'institution_id'])
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')
