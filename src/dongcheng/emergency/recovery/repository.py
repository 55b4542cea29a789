"""Queries of recovery and rebuilding (恢复与重建, §5)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.recovery.models import Recovery


def recovery_of(session: Session, incident: Incident) -> Recovery | None:
    return session.scalar(select(Recovery).where(Recovery.incident_id == incident.id))
