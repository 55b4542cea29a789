"""Every query of the funds module (§6.8)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.directory.models import Unit
from dongcheng.emergency.funds.models import Disbursement
from dongcheng.emergency.funds.rules import Status
from dongcheng.emergency.incidents.models import Incident


def get(session: Session, disbursement_id: int) -> Disbursement:
    return get_or_404(session, Disbursement, disbursement_id, "拨款申请", "disbursement")


def incident(session: Session, incident_id: int) -> Incident | None:
    return session.get(Incident, incident_id)


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def listing(session: Session, *, unit_ids: list[int] | None = None, incident_id: int | None = None,
            status: str | None = None, limit: int = 500) -> list[Disbursement]:
    """Newest first; ``unit_ids`` None = every unit."""
    q = select(Disbursement).order_by(Disbursement.id.desc()).limit(limit)
    if unit_ids is not None:
        q = q.where(Disbursement.requesting_unit_id.in_(unit_ids))
    if incident_id is not None:
        q = q.where(Disbursement.incident_id == incident_id)
    if status is not None:
        q = q.where(Disbursement.status == status)
    return list(session.scalars(q))


def overdue(session: Session, at: datetime, *, drill: bool = False) -> list[Disbursement]:
    """Approved, past the §6.8.3 deadline, not completed — oldest deadline first."""
    return list(session.scalars(
        select(Disbursement).join(Incident, Incident.id == Disbursement.incident_id)
        .where(Disbursement.status == Status.APPROVED.value, Disbursement.due_at < at, Incident.is_drill.is_(drill))
        .order_by(Disbursement.due_at, Disbursement.id)))


def due_between(session: Session, start: datetime, end: datetime, at: datetime, *,
                drill: bool = False) -> list[Disbursement]:
    """Disbursements whose deadline falls in [start, end) and that were late or are overdue at ``at``."""
    return list(session.scalars(
        select(Disbursement).join(Incident, Incident.id == Disbursement.incident_id)
        .where(Disbursement.due_at >= start, Disbursement.due_at < end, Disbursement.due_at < at,
               Incident.is_drill.is_(drill),
               or_(Disbursement.status == Status.APPROVED.value,
                   (Disbursement.status == Status.COMPLETED.value) & (Disbursement.completed_at > Disbursement.due_at)))
        .order_by(Disbursement.due_at, Disbursement.id)))


def units_by_id(session: Session, ids: set[int]) -> dict[int, Unit]:
    return {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}


def incidents_by_id(session: Session, ids: set[int]) -> dict[int, Incident]:
    return {i.id: i for i in session.scalars(select(Incident).where(Incident.id.in_(ids)))} if ids else {}
