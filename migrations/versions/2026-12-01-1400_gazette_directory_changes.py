"""The directory follows the gazette: the changes an imported issue proposes (gazette_directory_changes), and
portfolio lines held over dates (portfolio_entries.starts_on / ends_on) so a new division of work moves a line.

Revision ID: m6a0gazdir
Revises: l6a0idempotency
Create Date: 2026-12-01 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dongcheng.core.db

revision = 'm6a0gazdir'
down_revision = 'l6a0idempotency'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gazette_directory_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=80), nullable=False),
    sa.Column('decided_at', dongcheng.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['gazette_issues.id'],
                            name=op.f('fk_gazette_directory_changes_issue_id_gazette_issues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazette_directory_changes')),
    sa.UniqueConstraint('issue_id', 'document_number', 'kind', 'seq',
                        name=op.f('uq_gazette_directory_changes_issue_id_document_number_kind_seq'))
    )
    with op.batch_alter_table('gazette_directory_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gazette_directory_changes_issue_id'), ['issue_id'], unique=False)
    with op.batch_alter_table('portfolio_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('portfolio_entries', schema=None) as batch_op:
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
    with op.batch_alter_table('gazette_directory_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gazette_directory_changes_issue_id'))
    op.drop_table('gazette_directory_changes')
