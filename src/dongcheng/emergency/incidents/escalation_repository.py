"""Queries of the escalation waves (escalation.py): the open clocks still owed a wave, raising a wave once,
the notices of an incident, the duty contacts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, false, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dongcheng.directory.models import Post
from dongcheng.emergency.incidents.escalation_models import DutyContact, EscalationDelivery, EscalationNotice
from dongcheng.emergency.incidents.escalation_rules import Wave
from dongcheng.emergency.incidents.models import Deadline, Incident


def clocks_owed_a_wave(session: Session, due_by: datetime, limit: int = 500) -> list[tuple[Deadline, Incident]]:
    """Open deadlines due by ``due_by`` (now + the lead time) whose last wave has not been raised yet."""
    last_raised = exists().where(EscalationNotice.deadline_id == Deadline.id, EscalationNotice.wave == Wave.OVERDUE.value)
    out: list[tuple[Deadline, Incident]] = []
    for drill in (False, True):  # one partial index each (ix_deadlines_open_due, ix_deadlines_open_due_drill)
        stmt = (select(Deadline, Incident).join(Incident, Incident.id == Deadline.incident_id)
                .where(Deadline.met_at.is_(None), Deadline.closed_at.is_(None),
                       Deadline.is_drill == (true() if drill else false()),
                       Deadline.due_at <= due_by, ~last_raised)
                .order_by(Deadline.due_at, Deadline.id).limit(limit))
        out += [(d, i) for d, i in session.execute(stmt)]
    return out


def raised_waves(session: Session, deadline_ids: list[int]) -> set[tuple[int, str]]:
    if not deadline_ids:
        return set()
    rows = session.execute(select(EscalationNotice.deadline_id, EscalationNotice.wave)
                           .where(EscalationNotice.deadline_id.in_(deadline_ids)))
    return {(d, w) for d, w in rows}


def insert_notice_once(session: Session, values: dict) -> int | None:
    """Insert the notice unless its (incident, deadline, wave) exists: a concurrent worker's insert waits for the
    other's commit and then inserts nothing. Returns the new id, or None when the wave was raised already."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (insert(EscalationNotice).values(**values)
            .on_conflict_do_nothing(index_elements=["incident_id", "deadline_id", "wave"])
            .returning(EscalationNotice.id))
    return session.execute(stmt).scalar()


def notice(session: Session, notice_id: int, *, for_update: bool = False) -> EscalationNotice | None:
    stmt = select(EscalationNotice).where(EscalationNotice.id == notice_id).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def deadline(session: Session, deadline_id: int, *, for_update: bool = False) -> Deadline | None:
    """The deadline, locked on PostgreSQL: a report filed meanwhile waits, so a notice is never sent after it."""
    stmt = select(Deadline).where(Deadline.id == deadline_id).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def notices_of_incident(session: Session, incident_id: int) -> list[EscalationNotice]:
    return list(session.scalars(select(EscalationNotice).where(EscalationNotice.incident_id == incident_id)
                                .order_by(EscalationNotice.threshold_at, EscalationNotice.id)))


def notices_of_deadlines(session: Session, deadline_ids: list[int]) -> list[EscalationNotice]:
    if not deadline_ids:
        return []
    return list(session.scalars(select(EscalationNotice).where(EscalationNotice.deadline_id.in_(deadline_ids))
                                .order_by(EscalationNotice.id)))


def cancel_pending(session: Session, notice_ids: list[int], reason: str) -> int:
    if not notice_ids:
        return 0
    return session.execute(update(EscalationDelivery)
                           .where(EscalationDelivery.notice_id.in_(notice_ids), EscalationDelivery.status == "pending")
                           .values(status="cancelled", reason=reason)
                           .execution_options(synchronize_session=False)).rowcount


def contacts_of_unit(session: Session, unit_id: int) -> list[DutyContact]:
    return list(session.scalars(select(DutyContact).where(DutyContact.unit_id == unit_id).order_by(DutyContact.id)))


def contacts_of_post(session: Session, post_id: int) -> list[DutyContact]:
    return list(session.scalars(select(DutyContact).where(DutyContact.post_id == post_id).order_by(DutyContact.id)))


def add_contact(session: Session, *, unit_id: int | None = None, post_id: int | None = None, channel: str,
                contact: str, label: str) -> DutyContact | None:
    """Add a contact unless the same one is on record (returns None then)."""
    found = session.scalar(select(DutyContact).where(DutyContact.unit_id.is_(unit_id) if unit_id is None
                                                     else DutyContact.unit_id == unit_id,
                                                     DutyContact.post_id.is_(post_id) if post_id is None
                                                     else DutyContact.post_id == post_id,
                                                     DutyContact.channel == channel, DutyContact.contact == contact))
    if found is not None:
        return None
    row = DutyContact(unit_id=unit_id, post_id=post_id, channel=channel, contact=contact, label=label)
    session.add(row)
    session.flush()
    return row


def all_contacts(session: Session) -> list[DutyContact]:
    return list(session.scalars(select(DutyContact).order_by(DutyContact.unit_id, DutyContact.post_id, DutyContact.id)))


def post(session: Session, post_id: int) -> Post | None:
    return session.get(Post, post_id)
