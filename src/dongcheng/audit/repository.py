"""Queries of the audit log: the sequencer's queue and head, its batch update, entries by sequence, the pending."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, String, bindparam, cast, func, insert, literal, select, update
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

INSERT_ENTRY = insert(_TABLE).returning(_TABLE.c.id)  # audit.service.record: one entry, its id back
_ENTRY_FIELDS = ("at", "recorded_at", "actor", "post", "unit", "action", "target_type", "basis", "before", "after",
                 "note")


def insert_pending(target_id):
    """An INSERT, for a data-modifying CTE, of ``audit.service.pending_entry``'s entry (its ``params``) about the row
    whose id is ``target_id`` (a column of the statement's new row): PostgreSQL computes the leaf hash, the same as
    ``audit.rules.leaf_hash``, as sha256(0x00 ‖ head ‖ id ‖ tail) (``sha256()``: PostgreSQL 11 and later)."""
    ref = cast(target_id, String)
    form = bindparam("audit_head", type_=String).op("||")(ref).op("||")(bindparam("audit_tail", type_=String))
    leaf = func.encode(func.sha256(literal(b"\x00").op("||")(func.convert_to(form, "UTF8"))), "hex")
    return insert(_TABLE).from_select(
        [*_ENTRY_FIELDS, "target_id", "leaf_hash"],
        select(*(bindparam(f"audit_{f}", type_=_TABLE.c[f].type) for f in _ENTRY_FIELDS), ref, leaf))

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
