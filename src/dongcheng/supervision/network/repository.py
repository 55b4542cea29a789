"""Every query of the network's records."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.supervision.network.models import StationRecord


def records(session: Session) -> list[StationRecord]:
    return list(session.scalars(select(StationRecord).order_by(StationRecord.day, StationRecord.id)))
