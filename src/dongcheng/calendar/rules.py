"""Working days (工作日) for deadlines counted in working days: the 5-working-day public notice of the incubator
measures, the 1-working-day disbursement of §6.8.3, … (SPEC §3). Pure: the schedule is passed in.

Where a day's status comes from, in order:
1. a schedule an admin loaded from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知), for a year
   the package below does not know yet (calendar/service.py);
2. the maintained package ``chinese-calendar`` (the official schedules it ships, holidays and make-up working days);
3. otherwise an estimate — Monday to Friday work, except the fixed-date holidays of the 全国年节及纪念日放假办法
   (元旦 1 January, 劳动节 1 May, 国庆节 1–3 October); the lunar holidays and the make-up days are unknown until the
   State Council publishes them, so every answer that rests on an estimated day is marked ``provisional``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import constants as _package

# The package's holiday names, in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# 全国年节及纪念日放假办法: the holidays on fixed Gregorian dates (the estimate's only holidays).
FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节"}
PACKAGE_YEARS = range(min(d.year for d in _package.holidays), max(d.year for d in _package.holidays) + 1)
PACKAGE_SOURCE = "国务院办公厅公布的当年节假日安排（chinese-calendar 所载）"
ESTIMATE_SOURCE = "估算：周一至周五为工作日，固定日期节日（元旦、劳动节、国庆节）放假；待国务院公布当年安排后确定"
MAX_SPAN = 3660  # working days asked for at most (ten years): a larger figure is an input error, not a deadline
BASIS = "SPEC §3（工作日以国务院公布的节假日安排为准；未公布年份为估算，标注 provisional）"


@dataclass(frozen=True)
class LoadedDay:
    """A day of a schedule an admin loaded: whether it is worked, and the holiday's name if it is not."""

    working: bool
    name: str = ""


@dataclass(frozen=True)
class Day:
    day: date
    working: bool
    name: str  # 春节, 国庆节 …; "调休上班" for a make-up working day; "" for an ordinary day
    provisional: bool
    source: str


@dataclass(frozen=True)
class Span:
    """The answer to "N working days after D": the last day, and whether any day counted rests on an estimate."""

    start: date
    working_days: int
    end: date
    provisional: bool
    sources: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "working_days": self.working_days, "end": self.end.isoformat(),
                "provisional": self.provisional, "sources": list(self.sources)}


class WorkingDays:
    """``loaded``: year → {date: LoadedDay} for the years an admin loaded (a loaded year is complete: a day it does
    not list is an ordinary day — weekends off, weekdays worked); ``loaded_sources``: year → the notice it came from."""

    def __init__(self, loaded: Mapping[int, Mapping[date, LoadedDay]] | None = None,
                 loaded_sources: Mapping[int, str] | None = None) -> None:
        self._loaded = loaded or {}
        self._sources = loaded_sources or {}

    def coverage(self, year: int) -> str:
        """"loaded", "package" or "estimate": where the year's days come from."""
        if year in self._loaded:
            return "loaded"
        return "package" if year in PACKAGE_YEARS else "estimate"

    def day(self, d: date) -> Day:
        coverage = self.coverage(d.year)
        if coverage == "loaded":
            entry = self._loaded[d.year].get(d)
            source = self._sources.get(d.year, "")
            if entry is None:
                return Day(d, d.weekday() < 5, "", False, source)
            name = entry.name or ("调休上班" if entry.working and d.weekday() >= 5 else "")
            return Day(d, entry.working, name, False, source)
        if coverage == "package":
            working = chinese_calendar.is_workday(d)
            _, english = chinese_calendar.get_holiday_detail(d)
            if working and d.weekday() >= 5:
                name = "调休上班"
            elif not working and english:
                name = HOLIDAY_NAMES.get(english, english)
            else:
                name = ""
            return Day(d, working, name, False, PACKAGE_SOURCE)
        fixed = FIXED_HOLIDAYS.get((d.month, d.day), "")
        return Day(d, d.weekday() < 5 and not fixed, fixed, True, ESTIMATE_SOURCE)

    def is_working_day(self, d: date) -> bool:
        return self.day(d).working

    def named_days(self, year: int) -> list[Day]:
        """The year's holidays and make-up working days (every day with a name), in date order."""
        days, current = [], date(year, 1, 1)
        while current.year == year:
            day = self.day(current)
            if day.name:
                days.append(day)
            current += timedelta(days=1)
        return days

    def add(self, start: date, working_days: int) -> Span:
        """The ``working_days``-th working day after ``start`` (``start`` itself not counted): a thing due "within N
        working days" of ``start`` is due by the end of that day. 0 → ``start`` itself."""
        if not 0 <= working_days <= MAX_SPAN:
            raise ValueError(f"working_days must be between 0 and {MAX_SPAN}")
        current, counted, provisional, sources = start, 0, False, {}
        while counted < working_days:
            current += timedelta(days=1)
            day = self.day(current)
            provisional = provisional or day.provisional
            sources.setdefault(day.source, None)
            if day.working:
                counted += 1
        return Span(start, working_days, current, provisional, tuple(sources))

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not after ``start``)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.day(current).working
        return count
