"""Every query of the 12345 complaints."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.core.time import BEIJING
from dongcheng.directory.models import Unit
from dongcheng.supervision.complaints.models import Complaint


def get(session: Session, complaint_id: int) -> Complaint:
    return get_or_404(session, Complaint, complaint_id, "投诉工单", "complaint")


def by_ticket(session: Session, ticket_no: str) -> Complaint | None:
    return session.scalar(select(Complaint).where(Complaint.ticket_no == ticket_no))


def _local_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=BEIJING)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in Beijing time, as [start, end) instants."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return _local_start(start), _local_start(end)


def assigned_in_month(session: Session, year: int, month: int, unit_id: int | None = None) -> list[Complaint]:
    """Tickets received in the month (Beijing time) and assigned to a unit (or to ``unit_id``)."""
    start, end = month_bounds(year, month)
    stmt = select(Complaint).where(Complaint.received_at >= start, Complaint.received_at < end,
                                   Complaint.assigned_unit_id.is_not(None))
    if unit_id is not None:
        stmt = stmt.where(Complaint.assigned_unit_id == unit_id)
    return list(session.scalars(stmt.order_by(Complaint.received_at, Complaint.id)))


def listing(session: Session, *, unit_id: int | None = None, limit: int = 200) -> list[Complaint]:
    stmt = select(Complaint).order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(limit)
    if unit_id is not None:
        stmt = stmt.where(Complaint.assigned_unit_id == unit_id)
    return list(session.scalars(stmt))


def count_for_institution(session: Session, institution_id: int, start: date, end: date) -> tuple[int, int]:
    """(all tickets naming the institution, those received from ``start`` to ``end`` inclusive)."""
    total = session.scalar(select(func.count()).select_from(Complaint)
                           .where(Complaint.institution_id == institution_id)) or 0
    within = session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.institution_id == institution_id, Complaint.received_at >= _local_start(start),
        Complaint.received_at < _local_start(end + timedelta(days=1)))) or 0
    return total, within


def units_by_id(session: Session, ids: set[int]) -> dict[int, Unit]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None
