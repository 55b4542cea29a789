"""Queries of the calendar: the loaded schedules, a year at a time."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dongcheng.calendar.models import ScheduleDay


def source_of_year(session: Session, year: int) -> str | None:
    """The notice the year was loaded from, or None if it was never loaded."""
    return session.scalar(select(ScheduleDay.source).where(ScheduleDay.year == year).limit(1))


def replace_year(session: Session, year: int, days: Iterable[ScheduleDay]) -> None:
    """The year's loaded days, all of them replaced by ``days``."""
    session.execute(delete(ScheduleDay).where(ScheduleDay.year == year))
    session.add_all(days)
    session.flush()


def loaded_days(session: Session) -> list[ScheduleDay]:
    """Every loaded day of every year, in date order."""
    return list(session.scalars(select(ScheduleDay).order_by(ScheduleDay.day)))
