"""The audit trail as a transparency log: entries carry a leaf hash and wait for the sequencer, which sets their
sequence number and keyed chain hash once (the only update the triggers allow). Entries already there keep their
unkeyed chain (key_id NULL) and get sequence numbers in id order; the first keyed entry links to the last of them.

Revision ID: m8a0auditlog
Revises: l6a0idempotency
Create Date: 2026-12-01 13:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm8a0auditlog'
down_revision = 'm1a0escalation'
branch_labels = None
depends_on = None

# the columns of what an entry says: never changed once written
CONTENT = ("id", "at", "actor", "post", "unit", "action", "target_type", "target_id", "basis", "before", "after",
           "note", "recorded_at", "leaf_hash")
BIGINT = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _sqlite_triggers() -> None:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
    op.execute("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
               f"WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR {changed} "
               "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only (only the sequencer sets seq, once)'); END")
    op.execute("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
               "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END")


def _postgres_function() -> None:
    def cols(row: str) -> str:
        return ", ".join(f"{row}.{c}::text" if c in ("before", "after") else f"{row}.{c}" for c in CONTENT)

    op.execute(
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL "
        f"AND ({cols('NEW')}) IS NOT DISTINCT FROM ({cols('OLD')}) THEN RETURN NEW; END IF; "
        "RAISE EXCEPTION 'audit_entries is append-only (only the sequencer sets seq, once)'; END $$"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # the table is rebuilt below, which drops its triggers anyway
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('leaf_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seq', BIGINT, nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('sequenced_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_seq'), ['seq'])
    op.create_index('ix_audit_entries_unsequenced', 'audit_entries', ['id'], unique=False,
                    sqlite_where=sa.text('seq IS NULL'), postgresql_where=sa.text('seq IS NULL'))
    if not sqlite:
        _postgres_function()  # the existing trigger now lets the sequencer set seq once
    # entries already written: their place in the log is their id order (their unkeyed chain is in that order)
    op.execute("UPDATE audit_entries SET seq = ranked.n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
               "FROM audit_entries) AS ranked WHERE audit_entries.id = ranked.id")
    if sqlite:
        _sqlite_triggers()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    op.drop_index('ix_audit_entries_unsequenced', table_name='audit_entries')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:  # fails while keyed entries exist
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_seq'), type_='unique')
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        for column in ('sequenced_at', 'key_id', 'seq', 'leaf_hash', 'recorded_at'):
            batch_op.drop_column(column)
    if sqlite:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries "
                       "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END")
    else:
        op.execute("CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$")
