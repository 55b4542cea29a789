"""Chinese full-text search (core/search.py): search_entries, indexed by character trigrams — an FTS5 table with
the trigram tokenizer on SQLite (external content, kept in step by triggers), a GIN pg_trgm index on PostgreSQL.

Revision ID: l0a0search
Revises: k2a0fundfix
Create Date: 2026-12-01 11:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'l0a0search'
down_revision = 'k2a0fundfix'
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_entries_trgm ON search_entries USING gin ((title || ' ' || body) gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('ref', sa.String(length=80), nullable=False),
        sa.Column('group_key', sa.String(length=80), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('sort_key', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scope', 'ref', name='uq_search_entries_scope_ref'),
    )
    op.create_index('ix_search_entries_scope_group', 'search_entries', ['scope', 'group_key'])
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_entries_trgm")
    op.drop_index('ix_search_entries_scope_group', table_name='search_entries')
    op.drop_table('search_entries')
