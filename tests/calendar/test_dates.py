"""calendar/dates.py at its edges (29 February, month ends, year ends). These cases were first pinned against every
copy the tree had (commissioners and incubators rules, reference/files.py, three views' iso()); the one set gives the
same answers."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dongcheng.calendar import dates


@pytest.mark.parametrize(("start", "years", "expected"), [
    (date(2024, 2, 29), 1, date(2025, 2, 28)),   # 29 February → 28 February in a common year
    (date(2024, 2, 29), 4, date(2028, 2, 29)),   # … and stays 29 February in a leap year
    (date(2024, 2, 29), -1, date(2023, 2, 28)),
    (date(2024, 2, 28), 1, date(2025, 2, 28)),
    (date(2023, 3, 1), 1, date(2024, 3, 1)),
    (date(2021, 12, 31), 3, date(2024, 12, 31)),
    (date(2022, 1, 1), 0, date(2022, 1, 1)),
])
def test_add_years(start, years, expected):
    assert dates.add_years(start, years) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2020, 3, 1), date(2022, 3, 1), 2),     # the anniversary itself counts
    (date(2020, 3, 1), date(2022, 2, 28), 1),
    (date(2000, 2, 29), date(2001, 2, 28), 0),   # born 29 February: not a year old on 28 February
    (date(2000, 2, 29), date(2001, 3, 1), 1),
    (date(2000, 2, 29), date(2004, 2, 29), 4),
    (date(1962, 12, 31), date(2022, 12, 30), 59),
    (date(1962, 12, 31), date(2022, 12, 31), 60),
    (date(2022, 5, 5), date(2022, 5, 5), 0),
    (date(2022, 1, 1), date(2020, 1, 1), -2),    # end before start: negative, not clamped
])
def test_years_between(start, end, expected):
    assert dates.years_between(start, end) == expected


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2021, 12, 31), 2, date(2022, 2, 28)),  # clamped to the month's last day
    (date(2023, 12, 31), 2, date(2024, 2, 29)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 3, 31), 1, date(2024, 4, 30)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 11, 15), 2, date(2025, 1, 15)),  # across the year end
    (date(2024, 1, 1), 2, date(2024, 3, 1)),
    (date(2024, 5, 31), 0, date(2024, 5, 31)),
])
def test_add_months(start, months, expected):
    assert dates.add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2021, 11, 15), 12, date(2022, 11, 14)),  # 试用期一年 from 15 November
    (date(2024, 1, 31), 1, date(2024, 2, 28)),     # the day before the clamped 29 February
    (date(2023, 1, 31), 1, date(2023, 2, 27)),
    (date(2024, 3, 1), 1, date(2024, 3, 31)),
    (date(2023, 12, 31), 2, date(2024, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 27)),
    (date(2022, 1, 1), 12, date(2022, 12, 31)),
])
def test_add_months_last_day(start, months, expected):
    assert dates.add_months_last_day(start, months) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-02", date(2024, 2, 29)),
    ("2023-02", date(2023, 2, 28)),
    ("2022-12", date(2022, 12, 31)),
    ("2022-04-10", date(2022, 4, 30)),
    (date(2022, 6, 3), date(2022, 6, 30)),  # YAML may hand over a date
])
def test_end_of_month(text, expected):
    assert dates.end_of_month(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    (datetime(2022, 2, 1, 0, 0, tzinfo=UTC), "2022-02-01T08:00:00+08:00"),
    (datetime(2022, 12, 31, 16, 0, tzinfo=UTC), "2023-01-01T00:00:00+08:00"),  # the year turns in Beijing
    (datetime(2024, 2, 28, 16, 0, 0, 250000, tzinfo=UTC), "2024-02-29T00:00:00.250000+08:00"),
    (datetime(2022, 2, 1, 0, 0), "2022-02-01T08:00:00+08:00"),  # naive: as the database hands it back, UTC
    (datetime(2022, 2, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))), "2022-02-01T08:00:00+08:00"),
])
def test_iso(value, expected):
    assert dates.iso(value) == expected
