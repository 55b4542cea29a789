"""Working days (SPEC §3): the official schedule with its make-up days, an estimate marked provisional where the
schedule is not published yet, and a loaded schedule taking over. Pure: no database."""
from __future__ import annotations

from datetime import date

import pytest

from dongcheng.calendar.rules import ESTIMATE_SOURCE, PACKAGE_YEARS, LoadedDay, WorkingDays

CAL = WorkingDays()


class TestOfficialSchedule:
    def test_the_national_day_week_and_its_make_up_days_2026(self):
        """2026: 国庆节 1–7 October off; Sunday 20 September and Saturday 10 October worked (调休)."""
        assert [CAL.is_working_day(date(2026, 10, d)) for d in range(1, 9)] == [False] * 7 + [True]
        sunday, saturday = CAL.day(date(2026, 9, 20)), CAL.day(date(2026, 10, 10))
        assert sunday.working and sunday.name == "调休上班" and not sunday.provisional
        assert saturday.working and saturday.name == "调休上班"
        assert CAL.day(date(2026, 10, 1)).name == "国庆节"

    def test_spring_festival_2026(self):
        assert CAL.day(date(2026, 2, 15)).name == "春节" and not CAL.is_working_day(date(2026, 2, 23))
        assert CAL.is_working_day(date(2026, 2, 14)) and CAL.is_working_day(date(2026, 2, 28))  # 调休

    def test_one_working_day_after_the_eve_of_national_day(self):
        """§6.8.3: a disbursement approved on 30 September 2026 is due by 8 October, not 1 October."""
        span = CAL.add(date(2026, 9, 30), 1)
        assert span.end == date(2026, 10, 8) and not span.provisional

    def test_five_working_days_of_public_notice_over_a_weekend(self):
        span = CAL.add(date(2026, 11, 26), 5)  # Thursday → Fri, Mon, Tue, Wed, Thu
        assert span.end == date(2026, 12, 3) and not span.provisional

    def test_between_counts_working_days(self):
        assert CAL.between(date(2026, 9, 30), date(2026, 10, 8)) == 1
        assert CAL.between(date(2026, 10, 8), date(2026, 10, 8)) == 0


class TestBeyondThePublishedSchedule:
    def test_a_span_into_an_unpublished_year_is_provisional(self):
        assert 2027 not in PACKAGE_YEARS
        span = CAL.add(date(2026, 12, 28), 5)  # 29, 30, 31 Dec; 1 Jan 元旦 (fixed date); Mon 4 and Tue 5 Jan
        assert span.end == date(2027, 1, 5) and span.provisional and ESTIMATE_SOURCE in span.sources

    def test_the_estimate_keeps_the_fixed_date_holidays_only(self):
        assert CAL.day(date(2027, 10, 1)).name == "国庆节" and not CAL.is_working_day(date(2027, 10, 1))
        assert CAL.is_working_day(date(2027, 2, 8))  # a Monday: the estimate cannot know the Spring Festival
        assert CAL.day(date(2027, 2, 8)).provisional

    def test_a_span_inside_a_published_year_is_not_provisional(self):
        assert not CAL.add(date(2026, 3, 2), 20).provisional


class TestLoadedSchedule:
    """An admin loads the State Council's notice for a year the package does not cover yet."""

    SCHEDULE = {2027: {date(2027, 1, 1): LoadedDay(False, "元旦"), date(2027, 1, 4): LoadedDay(False, "元旦"),
                       date(2027, 1, 9): LoadedDay(True)}}

    def test_loaded_days_take_over_and_are_final(self):
        cal = WorkingDays(self.SCHEDULE, {2027: "国办发明电〔2026〕X号（测试）"})
        assert cal.coverage(2027) == "loaded"
        span = cal.add(date(2026, 12, 31), 2)  # 1 Jan off, 2–3 weekend, 4 Jan off (in this test schedule), 5, 6
        assert span.end == date(2027, 1, 6) and not span.provisional
        assert cal.day(date(2027, 1, 9)).name == "调休上班" and cal.is_working_day(date(2027, 1, 9))
        assert cal.day(date(2027, 1, 4)).source == "国办发明电〔2026〕X号（测试）"

    def test_a_loaded_year_lists_only_its_exceptions(self):
        cal = WorkingDays(self.SCHEDULE)
        assert cal.is_working_day(date(2027, 3, 1)) and not cal.is_working_day(date(2027, 3, 6))


@pytest.mark.parametrize("n", [-1, 10_000])
def test_absurd_spans_are_refused(n):
    with pytest.raises(ValueError):
        CAL.add(date(2026, 1, 1), n)
