"""Intangible cultural heritage list (东政发〔2022〕2号, SPEC §2.6): batches and their items.

Revision ID: f6a0heritage
Revises: e5a0statements
Create Date: 2026-11-30 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'f6a0heritage'
down_revision = 'e5a0statements'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heritage_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('document', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=60), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=True),
    sa.Column('batches_to_date', sa.Integer(), nullable=True),
    sa.Column('items_to_date', sa.Integer(), nullable=True),
    sa.Column('clause', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heritage_batches')),
    sa.UniqueConstraint('number', name=op.f('uq_heritage_batches_number'))
    )
    op.create_table('heritage_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('applicant', sa.String(length=200), nullable=False),
    sa.Column('clause', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['heritage_batches.id'], 
                            name=op.f('fk_heritage_items_batch_id_heritage_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heritage_items')),
    sa.UniqueConstraint('batch_id', 'seq', name=op.f('uq_heritage_items_batch_id_seq'))
    )
    with op.batch_alter_table('heritage_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_heritage_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_heritage_items_category'), ['category'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('heritage_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_heritage_items_category'))
        batch_op.drop_index(batch_op.f('ix_heritage_items_batch_id'))
    op.drop_table('heritage_items')
    op.drop_table('heritage_batches')
