"""Queries of the audit log: the sequencer's queue and head, its batch update, entries by sequence, the pending."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from dongcheng.audit.models import AuditEntry


def head(session: Session) -> tuple[int, str | None]:
    """The last sequenced entry's (seq, hash), or (0, None) for an empty log."""
    row = session.execute(select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.seq.is_not(None))
                          .order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, None)


def unsequenced(session: Session, limit: int) -> list[tuple[int, str]]:
    """(id, leaf hash) of entries waiting for a sequence number, in the order they were written."""
    return [(r[0], r[1]) for r in session.execute(
        select(AuditEntry.id, AuditEntry.leaf_hash).where(AuditEntry.seq.is_(None)).order_by(AuditEntry.id)
        .limit(limit))]


_TABLE = AuditEntry.__table__
_SET_SEQUENCE = (update(_TABLE).where(_TABLE.c.id == bindparam("b_id"))
                 .values(seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"), hash=bindparam("b_hash"),
                         key_id=bindparam("b_key"), sequenced_at=bindparam("b_at")))


def set_sequence(session: Session, rows: list[dict]) -> None:
    """One executemany UPDATE by primary key (rows of b_id, b_seq, b_prev, b_hash, b_key, b_at)."""
    if rows:
        session.execute(_SET_SEQUENCE, rows)


def sequenced_after(session: Session, last_seq: int, limit: int) -> list[Row]:
    """Entries (as rows: the walk of a large log needs no ORM objects) after ``last_seq``, by sequence."""
    return list(session.execute(select(_TABLE).where(_TABLE.c.seq > last_seq).order_by(_TABLE.c.seq).limit(limit)))


def pending_after(session: Session, last_id: int, limit: int) -> list[Row]:
    return list(session.execute(select(_TABLE).where(_TABLE.c.seq.is_(None), _TABLE.c.id > last_id)
                                .order_by(_TABLE.c.id).limit(limit)))


def count_entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def pending_summary(session: Session) -> tuple[int, datetime | None]:
    """How many entries wait for a sequence number, and when the oldest of them was written."""
    n, oldest = session.execute(select(func.count(), func.min(AuditEntry.recorded_at))
                                .where(AuditEntry.seq.is_(None))).one()
    return n or 0, oldest


def latest_entries(session: Session, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first (pending ones included, with seq None)."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
