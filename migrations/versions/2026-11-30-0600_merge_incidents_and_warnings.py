"""Merge the incidents branch and the warnings branch into one head.

Revision ID: c3d0merge
Revises: b2c0cmdpost, b7e1warnings
Create Date: 2026-11-30 06:00:00
"""
from __future__ import annotations

revision = "c3d0merge"
down_revision = ("b2c0cmdpost", "b7e1warnings")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
