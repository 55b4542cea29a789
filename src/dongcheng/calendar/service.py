"""Schedules an admin loads from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) for a year the
chinese-calendar package does not cover yet; calendar/rules.py reads them first. A loaded year replaces any earlier
load of that year whole, in one transaction, audited.

The file (YAML) or request body::

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔……〕……号）
    holidays:                       # 放假
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    working_days: [2027-02-07]      # 调休上班 (weekend days worked)
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Boolean, Date, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dongcheng.audit import service as audit
from dongcheng.calendar.rules import PACKAGE_YEARS, LoadedDay, WorkingDays
from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import utcnow


class ScheduleDay(Base):
    """One exception to the ordinary week in a loaded year: a holiday (放假) or a make-up working day (调休上班)."""

    __tablename__ = "working_day_schedule"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(300))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    loaded_by: Mapped[str] = mapped_column(String(60))


class HolidayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1, max_length=40)
    first: date = Field(alias="from")
    last: date = Field(alias="to")


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=4, max_length=300, description="the State Council notice it is transcribed from")
    holidays: list[HolidayIn] = Field(min_length=1, max_length=40)
    working_days: list[date] = Field(default_factory=list, max_length=40)


def _days(schedule: ScheduleIn) -> dict[date, LoadedDay]:
    """The schedule as days, checked: every date in its year, ranges forward, no day both off and worked."""
    errors: list[FieldError] = []
    days: dict[date, LoadedDay] = {}
    for i, holiday in enumerate(schedule.holidays):
        if holiday.last < holiday.first or (holiday.last - holiday.first).days > 14:
            errors.append(FieldError(f"holidays.{i}.to", "放假截止日期应在起始日期之后、且不超过 15 天",
                                     "must be on or after 'from' and at most 15 days later"))
            continue
        day = holiday.first
        while day <= holiday.last:
            if day.year != schedule.year:
                errors.append(FieldError(f"holidays.{i}", f"{day} 不在 {schedule.year} 年", f"{day} is not in {schedule.year}"))
                break
            days[day] = LoadedDay(False, holiday.name.strip())
            day += timedelta(days=1)
    for i, day in enumerate(schedule.working_days):
        if day.year != schedule.year:
            errors.append(FieldError(f"working_days.{i}", f"{day} 不在 {schedule.year} 年", f"{day} is not in {schedule.year}"))
        elif day in days:
            errors.append(FieldError(f"working_days.{i}", f"{day} 既放假又上班", f"{day} is both a holiday and a working day"))
        elif day.weekday() < 5:
            errors.append(FieldError(f"working_days.{i}", f"{day} 是工作日，无需调休", f"{day} is a weekday already"))
        else:
            days[day] = LoadedDay(True)
    if errors:
        raise DomainError("节假日安排有误", "Invalid holiday schedule", 422, errors)
    return days


def load_schedule(session: Session, *, schedule: ScheduleIn, actor: audit.Actor) -> int:
    """Replace the year's loaded schedule; returns the number of exception days stored."""
    days = _days(schedule)
    before = session.scalar(select(ScheduleDay.source).where(ScheduleDay.year == schedule.year).limit(1))
    session.execute(delete(ScheduleDay).where(ScheduleDay.year == schedule.year))
    now = utcnow()
    session.add_all(ScheduleDay(day=day, year=schedule.year, working=entry.working, name=entry.name,
                                source=schedule.source.strip(), loaded_at=now, loaded_by=actor.username)
                    for day, entry in sorted(days.items()))
    session.flush()
    audit.record(session, actor=actor, action="calendar.load", target_type="calendar_year", target_id=schedule.year,
                 basis=schedule.source.strip(), before={"source": before} if before else None,
                 after={"days_off": sum(not e.working for e in days.values()),
                        "make_up_days": sum(e.working for e in days.values()),
                        "package_covers_year": schedule.year in PACKAGE_YEARS})
    return len(days)


def working_days(session: Session) -> WorkingDays:
    """The calendar: loaded years first, then the package, then the estimate."""
    loaded: dict[int, dict[date, LoadedDay]] = {}
    sources: dict[int, str] = {}
    for row in session.scalars(select(ScheduleDay).order_by(ScheduleDay.day)):
        loaded.setdefault(row.year, {})[row.day] = LoadedDay(row.working, row.name)
        sources[row.year] = row.source
    return WorkingDays(loaded, sources)
