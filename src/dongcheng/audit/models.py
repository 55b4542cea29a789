"""Append-only audit entries: one per mutation, written in the mutation's transaction with its leaf hash; the
sequencer later sets ``seq``, ``prev_hash``, ``hash`` (the keyed chain), ``key_id`` and ``sequenced_at`` — once,
the only update the database allows (migration m8a0auditlog's triggers)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        # the sequencer's queue: entries not yet given a sequence number, in the order they were written
        Index("ix_audit_entries_unsequenced", "id", sqlite_where="seq IS NULL", postgresql_where="seq IS NULL"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(60))
    post: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(80))
    basis: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the server's time of the insert
    leaf_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the canonical form (audit/rules.py)
    # set by the sequencer (NULL until then; entries before m8a0auditlog: key_id NULL, the unkeyed chain)
    seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(40))
    sequenced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
