"""The reference data's generation: a token every change of ``units``, ``event_types`` or ``event_type_leads``
replaces, by trigger, in the changing transaction (so no path — the loader, the directory service, a gazette
change, an operator's SQL — can change them unnoticed). Intake keeps streets, event types and their lead departments
in memory (reference/cache.py) and reloads them when the token it read differs. A fresh random token per change, never
a counter: a change rolled back and another one made after it cannot meet the same value.

Revision ID: n1a0refgen
Revises: m8a0auditlog
Create Date: 2026-12-01 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'n1a0refgen'
down_revision = 'm8a0auditlog'
branch_labels = None
depends_on = None

TABLES = ("units", "event_types", "event_type_leads")


def upgrade() -> None:
    op.create_table(
        "reference_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_generation")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO reference_generation (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))")
        op.execute("CREATE FUNCTION reference_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE reference_generation SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
                   "RETURN NULL; END $$")
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_bump()")
    else:
        op.execute("INSERT INTO reference_generation (id, token) VALUES (1, lower(hex(randomblob(16))))")
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_reference_generation_{event.lower()} AFTER {event} ON {table} "
                           "BEGIN UPDATE reference_generation SET token = lower(hex(randomblob(16))) WHERE id = 1; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_reference_generation ON {table}")
        op.execute("DROP FUNCTION reference_generation_bump()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_reference_generation_{event}")
    op.drop_table("reference_generation")
