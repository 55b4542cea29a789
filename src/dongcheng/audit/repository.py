"""Queries of the audit trail: the chain's last hash (under the appenders' lock) and the entries in id order."""
from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dongcheng.audit.models import AuditEntry

_PG_LOCK_KEY = 0x44434155  # "DCAU": serialises appenders on PostgreSQL


def lock_chain(session: Session) -> None:
    """One appender at a time on PostgreSQL (until the transaction ends); SQLite writers queue anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def last_hash(session: Session) -> str | None:
    return session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()


def entries_after(session: Session, last_id: int, limit: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(limit)))


def count_entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def latest_entries(session: Session, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
