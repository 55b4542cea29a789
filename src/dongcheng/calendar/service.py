"""Schedules an admin loads from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) for a year the
chinese-calendar package does not cover yet (the shape: schemas.ScheduleIn); rules.WorkingDays reads them first. A
loaded year replaces any earlier load of that year whole, in the caller's transaction, audited.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.calendar import repository
from dongcheng.calendar.models import ScheduleDay
from dongcheng.calendar.rules import PACKAGE_YEARS, LoadedDay, WorkingDays
from dongcheng.calendar.schemas import ScheduleIn
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import utcnow


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
    before = repository.source_of_year(session, schedule.year)
    now = utcnow()
    repository.replace_year(session, schedule.year, (
        ScheduleDay(day=day, year=schedule.year, working=entry.working, name=entry.name,
                    source=schedule.source.strip(), loaded_at=now, loaded_by=actor.username)
        for day, entry in sorted(days.items())))
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
    for row in repository.loaded_days(session):
        loaded.setdefault(row.year, {})[row.day] = LoadedDay(row.working, row.name)
        sources[row.year] = row.source
    return WorkingDays(loaded, sources)
