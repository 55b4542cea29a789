"""The gazette (SPEC §2.7): issues, table-of-contents entries, documents and their clauses.

Revision ID: d4a0gazette
Revises: c3d0merge
Create Date: 2026-11-30 07:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'd4a0gazette'
down_revision = 'c3d0merge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gazette_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('total_number', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('sponsor', sa.String(length=100), nullable=False),
    sa.Column('colophon', sa.JSON(), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_chars', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazette_issues')),
    sa.UniqueConstraint('source_sha256', name=op.f('uq_gazette_issues_source_sha256')),
    sa.UniqueConstraint('year', 'number', name=op.f('uq_gazette_issues_year_number'))
    )
    op.create_table('gazette_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issuing_organ', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('disclosure', sa.String(length=60), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['gazette_issues.id'], name=op.f('fk_gazette_documents_issue_id_gazette_issues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazette_documents')),
    sa.UniqueConstraint('issue_id', 'number', name=op.f('uq_gazette_documents_issue_id_number')),
    sa.UniqueConstraint('issue_id', 'seq', name=op.f('uq_gazette_documents_issue_id_seq'))
    )
    with op.batch_alter_table('gazette_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gazette_documents_issue_id'), ['issue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gazette_documents_number'), ['number'], unique=False)

    op.create_table('gazette_clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('anchor', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['gazette_documents.id'], name=op.f('fk_gazette_clauses_document_id_gazette_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazette_clauses')),
    sa.UniqueConstraint('document_id', 'anchor', name=op.f('uq_gazette_clauses_document_id_anchor'))
    )
    with op.batch_alter_table('gazette_clauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gazette_clauses_document_id'), ['document_id'], unique=False)

    op.create_table('gazette_toc_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['gazette_documents.id'], name=op.f('fk_gazette_toc_entries_document_id_gazette_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issue_id'], ['gazette_issues.id'], name=op.f('fk_gazette_toc_entries_issue_id_gazette_issues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gazette_toc_entries')),
    sa.UniqueConstraint('issue_id', 'seq', name=op.f('uq_gazette_toc_entries_issue_id_seq'))
    )
    with op.batch_alter_table('gazette_toc_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gazette_toc_entries_issue_id'), ['issue_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('gazette_toc_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gazette_toc_entries_issue_id'))

    op.drop_table('gazette_toc_entries')
    with op.batch_alter_table('gazette_clauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gazette_clauses_document_id'))

    op.drop_table('gazette_clauses')
    with op.batch_alter_table('gazette_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gazette_documents_number'))
        batch_op.drop_index(batch_op.f('ix_gazette_documents_issue_id'))

    op.drop_table('gazette_documents')
    op.drop_table('gazette_issues')
