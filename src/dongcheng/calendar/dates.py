"""The platform's date arithmetic, one copy for every domain (pure): terms in years and months as the gazette counts
them (聘用期限1年, 试用期2个月, 3年内不得再次申请), whole years (周岁, 满N年), and times as shown (Asia/Shanghai, ISO 8601).

A day that does not exist in the target month is the month's last day (31 January + 1 month → 28/29 February;
29 February + 1 year → 28 February). Working days are a different count: ``dongcheng.calendar.rules``.
"""
from __future__ import annotations

from calendar import monthrange  # the standard library's calendar, not this package
from datetime import date, datetime, timedelta

from dongcheng.core.time import to_local


def add_years(d: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February → 28 February in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Dec + 2 months → 28/29 Feb)."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def add_months_last_day(start: date, months: int) -> date:
    """Last day of a term of ``months`` starting on ``start`` (试用期一年 from 2021-11-15 → 2022-11-14)."""
    return add_months(start, months) - timedelta(days=1)


def years_between(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end``: 周岁 on ``end`` of someone born on ``start``, or 满N年 of a thing
    running since ``start`` (2020-03-01 → 2022-03-01 is 2; negative when ``end`` is earlier)."""
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def end_of_month(text: str | date) -> date:
    """The last day of the month ``YYYY-MM`` (a full date's month too): a 挂职 term "至2023年5月" ends 2023-05-31."""
    year, month = (int(x) for x in str(text).split("-")[:2])
    return date(year, month, monthrange(year, month)[1])


def iso(value: datetime | None) -> str | None:
    """A stored time (UTC; naive means UTC) as shown: ISO 8601 in Asia/Shanghai with its offset; None stays None."""
    return to_local(value).isoformat() if value else None
