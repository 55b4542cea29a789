"""§6.8.3 凡区政府批准的拨款事宜，在1个工作日内完成相关手续 — the deadline on the official calendar, to the second;
§6.8.2 经区政府批准后启动专项准备资金; who approves (a leader holding a post that day) and who completes (区财政局)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dongcheng.calendar.rules import PACKAGE_YEARS, LoadedDay, WorkingDays
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.time import BEIJING
from dongcheng.emergency.funds import rules

CAL = WorkingDays()


def bj(y, m, d, hh=10, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=BEIJING)


def test_the_clause_is_the_one_working_day_the_gazette_prints():
    text = (REPO_ROOT / "data" / "gazette" / "2022-03.txt").read_text(encoding="utf-8")
    assert "6.8.3 按照“急事急办”的原则，简化工作环节，凡区政府批准的拨款事宜，在1个工作日内完成相关手续" in text
    assert rules.WORKING_DAYS_TO_COMPLETE == 1
    assert rules.DEADLINE_BASIS.clause == "§6.8.3" and "1个工作日" in str(rules.DEADLINE_BASIS)


def test_approved_on_30_september_2026_is_due_by_the_end_of_8_october():
    """2026 is in the official schedule the platform ships (chinese-calendar): 国庆节 1–7 October, 10 October (a
    Saturday) a make-up working day. The first working day after Wednesday 30 September is Thursday 8 October."""
    assert 2026 in PACKAGE_YEARS and CAL.coverage(2026) == "package"
    assert not any(CAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert CAL.day(date(2026, 10, 10)).working and CAL.day(date(2026, 10, 10)).name == "调休上班"
    due = rules.due(bj(2026, 9, 30, 16, 30), CAL)
    assert due.approved_on == date(2026, 9, 30) and due.on == date(2026, 10, 8)
    assert due.at == bj(2026, 10, 8, 23, 59, 59) and not due.provisional
    assert due.basis == rules.DEADLINE_BASIS


def test_the_make_up_saturday_counts_where_it_falls():
    """Approved on Friday 9 October 2026: the next working day is Saturday 10 October (调休上班), not Monday 12."""
    assert rules.due(bj(2026, 10, 9), CAL).on == date(2026, 10, 10)
    assert rules.due(bj(2026, 10, 10), CAL).on == date(2026, 10, 12)  # approved on the make-up day itself


def test_approved_during_the_holiday_or_late_at_night_counts_from_the_beijing_day():
    assert rules.due(bj(2026, 10, 3), CAL).on == date(2026, 10, 8)
    # 2026-09-30 23:30 Beijing is 15:30 UTC the same day; 2026-10-08 00:30 Beijing is still 7 October in UTC
    assert rules.due(datetime(2026, 9, 30, 15, 30, tzinfo=UTC), CAL).on == date(2026, 10, 8)
    assert rules.due(datetime(2026, 10, 7, 16, 30, tzinfo=UTC), CAL).on == date(2026, 10, 9)


def test_a_year_not_yet_published_is_provisional_until_loaded():
    estimated = rules.due(bj(2026, 12, 31), CAL)  # 2027: not in the package → the estimate (元旦 fixed)
    assert estimated.on == date(2027, 1, 4) and estimated.provisional
    loaded = WorkingDays({2027: {date(2027, 1, 4): LoadedDay(False, "元旦")}}, {2027: "国办发明电〔2026〕X号（测试）"})
    official = rules.due(bj(2026, 12, 31), loaded)
    assert official.on == date(2027, 1, 1) and not official.provisional  # a loaded 2027 lists 1 Jan as ordinary


def test_on_time_to_the_second():
    due = bj(2026, 10, 8, 23, 59, 59)
    assert rules.timeliness(due, due, due) == rules.Timeliness.MET
    assert rules.timeliness(due, due + timedelta(seconds=1), due) == rules.Timeliness.LATE
    assert rules.timeliness(due, None, due) == rules.Timeliness.PENDING
    assert rules.timeliness(due, None, due + timedelta(seconds=1)) == rules.Timeliness.OVERDUE


def test_only_a_leader_holding_a_post_that_day_approves_for_the_district_government():
    assert rules.may_approve("leader", ["副区长"]).allowed
    refused = rules.may_approve("leader", [])
    assert not refused.allowed and refused.status == 403 and "§6.8.2" in refused.basis.clause
    assert not rules.may_approve("department", ["局长"]).allowed
    assert not rules.may_approve("duty_officer", []).allowed


def test_only_the_finance_bureau_completes():
    assert rules.may_complete("department", "区财政局", None).allowed
    assert not rules.may_complete("department", "区应急局", None).allowed
    assert not rules.may_complete("duty_officer", "区财政局", None).allowed


def test_nothing_is_completed_before_the_district_government_approves():
    """§6.8.2 经区政府批准后启动应对突发事件专项准备资金: completion is a step from approved only."""
    step = rules.FLOW.step(rules.Status.REQUESTED, "complete")
    assert not step.allowed and step.status == 409 and "§6.8.2" in step.basis.clause
    assert rules.FLOW.step(rules.Status.APPROVED, "complete").allowed
    assert not rules.FLOW.step(rules.Status.COMPLETED, "approve").allowed
    assert "经区政府批准后启动应对突发事件专项准备资金" in str(rules.SOURCE_BASIS[rules.Source.SPECIAL_RESERVE])
