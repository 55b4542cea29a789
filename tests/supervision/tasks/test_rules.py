"""东政办发〔2021〕17号 tasks as rules: the first named leads, who contributes, the quarters from the plan's signing,
a report met on its due day and late the day after (the due day a platform default), the overview's readers."""
from __future__ import annotations

from datetime import date

import pytest

from dongcheng.core.config import REPO_ROOT
from dongcheng.supervision.tasks import rules
from dongcheng.supervision.tasks.files import read_tasks

ADMIN = "区卫生健康委"
STREETS = ["东华门街道", "东四街道"]


@pytest.fixture(scope="module")
def tasks():
    return {t.key: t for t in read_tasks(REPO_ROOT / "data").tasks}


def test_the_first_named_leads_and_the_rest_contribute(tasks):
    t = tasks["三（二）8"]  # 区卫生健康委、区公安分局、区住建委、区应急局、区消防救援支队
    assert rules.role_of(t, "区卫生健康委", "government", ADMIN) == "lead"
    assert rules.role_of(t, "东城公安分局", "police", ADMIN) == "co"
    assert rules.role_of(t, "区住房城乡建设委", "government", ADMIN) == "co"
    assert rules.role_of(t, "区教委", "government", ADMIN) is None
    assert [u for _, u in rules.co_units(t, STREETS, ADMIN)] == ["东城公安分局", "区住房城乡建设委", "区应急局",
                                                                 "东城消防救援支队"]


def test_a_group_without_an_account_is_reported_by_the_commission(tasks):
    t = tasks["三（一）2"]  # 责任单位：各级各类医疗卫生机构
    assert rules.reporting_units(t, ADMIN) == (ADMIN,)
    assert rules.role_of(t, ADMIN, "government", ADMIN) == "lead"
    assert rules.co_units(t, STREETS, ADMIN) == [("各级各类医疗卫生机构", None)]
    related = tasks["五（二）"]  # 各相关部门
    assert rules.role_of(related, "区司法局", "government", ADMIN) == "co"
    assert rules.role_of(related, "东四街道", "street", ADMIN) is None  # a street is not a 部门


def test_each_street_is_a_co_unit_of_各街道办事处(tasks):
    t = tasks["五（一）"]
    assert rules.role_of(t, "东四街道", "street", ADMIN) == "co"
    assert [u for p, u in rules.co_units(t, STREETS, ADMIN) if p == "各街道办事处"] == STREETS


def test_two_units_in_one_printed_name(tasks):
    t = tasks["三（二）6"]
    assert t.entries[-1].units == ("区城市管理委", "区城管执法局")
    assert rules.role_of(t, "区城管执法局", "government", ADMIN) == "co"


def test_quarters_from_the_plans_signing():
    ps = rules.periods(date(2021, 12, 9), date(2022, 4, 1))
    assert [p.code for p in ps] == ["2021Q4", "2022Q1", "2022Q2"]
    assert (ps[0].start, ps[0].end, ps[0].due) == (date(2021, 10, 1), date(2021, 12, 31), date(2022, 1, 15))
    assert rules.period_of(2022, 1).due == date(2022, 4, 15)
    assert rules.last_due(date(2021, 12, 9), date(2022, 4, 16)).code == "2022Q1"
    assert rules.last_due(date(2021, 12, 9), date(2022, 4, 15)).code == "2021Q4"  # due day itself: not yet overdue


def test_met_on_the_due_day_late_the_day_after():
    p = rules.period_of(2022, 1)
    assert rules.report_status(p, date(2022, 4, 15), date(2022, 5, 1)) == "met"
    assert rules.report_status(p, date(2022, 4, 16), date(2022, 5, 1)) == "late"
    assert rules.report_status(p, None, date(2022, 4, 15)) == "open"
    assert rules.report_status(p, None, date(2022, 4, 16)) == "overdue"
    assert "平台默认" in str(rules.PERIOD_BASIS)


def test_periods_one_may_file():
    signed = date(2021, 12, 9)
    assert rules.may_file_period(rules.period_of(2021, 4), signed, date(2021, 12, 10)).allowed
    early = rules.may_file_period(rules.period_of(2021, 3), signed, date(2022, 1, 1))
    assert (early.status, early.field) == (422, "year")
    future = rules.may_file_period(rules.period_of(2022, 2), signed, date(2022, 3, 31))
    assert (future.status, future.field) == (422, "quarter")


def test_the_overview_readers():
    assert rules.may_view_overview("leader", None, ADMIN).allowed
    assert rules.may_view_overview("department", ADMIN, ADMIN).allowed
    assert rules.may_view_overview("department", "区司法局", ADMIN).status == 403
    assert rules.may_view_overview("duty_officer", "区应急局", ADMIN).status == 403
