"""Information release (信息发布, 东政发〔2022〕3号 §4.7.1): statements on an incident, private until released.

Revision ID: e5a0statements
Revises: d4a0gazette
Create Date: 2026-11-30 08:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'e5a0statements'
down_revision = 'd4a0gazette'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_drill', sa.Boolean(), nullable=False),
    sa.Column('drafted_by', sa.String(length=60), nullable=False),
    sa.Column('drafting_unit', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.String(length=120), nullable=True),
    sa.Column('release_basis', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_incident_statements_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_statements'))
    )
    with op.batch_alter_table('incident_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_statements_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_incident_statements_public', ['status', 'is_drill', 'released_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident_statements', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_statements_public')
        batch_op.drop_index(batch_op.f('ix_incident_statements_incident_id'))
    op.drop_table('incident_statements')
