"""Units: the emergency_office flag (its staff act as the 区应急办, 东政发〔2022〕3号 §2.2.1), read from units.yaml.

Revision ID: k1a0emergencyoffice
Revises: j0a0commissioners
Create Date: 2026-12-01 08:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'k1a0emergencyoffice'
down_revision = 'j0a0commissioners'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emergency_office', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('emergency_office')
