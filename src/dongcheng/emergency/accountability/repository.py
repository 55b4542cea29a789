"""Queries of the accountability report (§5.5.2)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.directory.models import Unit
from dongcheng.emergency.incidents.models import Deadline, Incident, Report


def deadlines_due(session: Session, start: datetime, end: datetime, *, drill: bool) -> list:
    """(deadline, incident title, responsible unit's name, the meeting report's missing elements) for every mandated
    report due in [start, end), not cancelled and not of a duplicate merged away (rules.MERGE), by unit then due time."""
    return list(session.execute(
        select(Deadline, Incident.title, Unit.name, Report.missing_elements)
        .join(Incident, Incident.id == Deadline.incident_id)
        .outerjoin(Unit, Unit.id == Deadline.responsible_unit_id)
        .outerjoin(Report, Report.id == Deadline.report_id)
        .where(Deadline.due_at >= start, Deadline.due_at < end, Deadline.is_drill.is_(drill),
               Deadline.status != "cancelled", Incident.merged_into_id.is_(None))  # a merged duplicate's clocks
        .order_by(Unit.name, Deadline.due_at, Deadline.id)
    ).all())
