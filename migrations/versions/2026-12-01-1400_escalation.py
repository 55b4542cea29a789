"""Escalation waves of the reporting clock: duty contacts, escalation notices (one per incident + clock + wave) and
their per-recipient deliveries.

Revision ID: m1a0escalation
Revises: l6a0idempotency
Create Date: 2026-12-01 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'm1a0escalation'
down_revision = 'm2a0incidentsearch'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('duty_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('contact', sa.String(length=120), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_duty_contacts_post_id_posts')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_duty_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_contacts')),
    sa.UniqueConstraint('unit_id', 'post_id', 'channel', 'contact', name=op.f('uq_duty_contacts_unit_id_post_id_channel_contact'))
    )
    with op.batch_alter_table('duty_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_contacts_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_contacts_unit_id'), ['unit_id'], unique=False)

    op.create_table('escalation_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('wave', sa.String(length=10), nullable=False),
    sa.Column('audience', sa.String(length=30), nullable=False),
    sa.Column('threshold_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('wave_basis', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_drill', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_escalation_notices_deadline_id_deadlines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_escalation_notices_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_notices')),
    sa.UniqueConstraint('incident_id', 'deadline_id', 'wave', name='uq_escalation_notices_wave')
    )
    with op.batch_alter_table('escalation_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_notices_deadline_id'), ['deadline_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_notices_incident_id'), ['incident_id'], unique=False)

    op.create_table('escalation_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('contact', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=200), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['escalation_notices.id'], name=op.f('fk_escalation_deliveries_notice_id_escalation_notices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_deliveries'))
    )
    with op.batch_alter_table('escalation_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_escalation_deliveries_notice_status', ['notice_id', 'status'], unique=False)
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_open_due_drill', ['due_at'], unique=False,
                              postgresql_where=sa.text('met_at IS NULL AND closed_at IS NULL AND is_drill = true'),
                              sqlite_where=sa.text('met_at IS NULL AND closed_at IS NULL AND is_drill = 1'))



def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_open_due_drill',
                            postgresql_where=sa.text('met_at IS NULL AND closed_at IS NULL AND is_drill = true'),
                            sqlite_where=sa.text('met_at IS NULL AND closed_at IS NULL AND is_drill = 1'))
    with op.batch_alter_table('escalation_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_escalation_deliveries_notice_status')

    op.drop_table('escalation_deliveries')
    with op.batch_alter_table('escalation_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_notices_incident_id'))
        batch_op.drop_index(batch_op.f('ix_escalation_notices_deadline_id'))

    op.drop_table('escalation_notices')
    with op.batch_alter_table('duty_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_contacts_unit_id'))
        batch_op.drop_index(batch_op.f('ix_duty_contacts_post_id'))

    op.drop_table('duty_contacts')
