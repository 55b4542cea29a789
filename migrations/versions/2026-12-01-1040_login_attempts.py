"""Login attempts for the throttle (auth.ratelimit; OWASP ASVS V2.2.1, NIST SP 800-63B §5.2.2): in the database so
every server worker sees the same counts.

Revision ID: l5a0throttle
Revises: l4a0supervisioncredit
Create Date: 2026-12-01 10:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'l5a0throttle'
down_revision = 'l4a0supervisioncredit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=60), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    op.create_index('ix_login_attempts_account_at', 'login_attempts', ['account', 'at'], unique=False)
    op.create_index('ix_login_attempts_client_at', 'login_attempts', ['client', 'at'], unique=False)
    op.create_index('ix_login_attempts_at', 'login_attempts', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_login_attempts_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_client_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_account_at', table_name='login_attempts')
    op.drop_table('login_attempts')
