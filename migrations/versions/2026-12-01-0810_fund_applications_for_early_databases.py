"""Fund applications for a database that ran j0a0commissioners as it first landed (112号 第五条, 附件1).

j0a0commissioners was edited after it landed: the commissioner_fund_applications table was added to its text. A
database already at that revision never ran the addition, so it has no such table. This revision creates the table,
with its indexes and constraints exactly as j0a0commissioners (and the model) have them, only where it is missing;
on a database that ran the edited text it does nothing. Both end at the same schema.

Revision ID: k2a0fundfix
Revises: k1a0emergencyoffice
Create Date: 2026-12-01 08:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'k2a0fundfix'
down_revision = 'k1a0emergencyoffice'
branch_labels = None
depends_on = None

TABLE = 'commissioner_fund_applications'


def upgrade() -> None:
    if TABLE in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(TABLE,
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
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioner_fund_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioner_fund_applications_street_id'), ['street_id'], unique=False)


def downgrade() -> None:
    # Nothing: the table belongs to j0a0commissioners as it stands now, whose downgrade drops it. Dropping it here
    # would leave a database that ran the edited text without the table at j0a0commissioners.
    pass
