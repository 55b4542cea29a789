"""The commissioner rules against the gazette (东人社发〔2021〕111号, 112号), figures at the boundaries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dongcheng.commissioners import rules
from dongcheng.commissioners.enums import HiringRoute, Rating

S, B, U = Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED


class TestQuota:
    """111号 §二（一）: 原则上按照不超过 2000:1 的比例."""

    @pytest.mark.parametrize(("retirees", "expected"), [(0, 0), (1, 1), (2000, 1), (2001, 2), (4000, 2),
                                                        (4001, 3), (13_500, 7)])
    def test_ceil_of_retirees_over_2000(self, retirees, expected):
        n, basis = rules.quota(retirees)
        assert n == expected and str(basis).startswith("东人社发〔2021〕111号 §二（一）")

    def test_over_quota_only_by_adjustment(self):
        assert rules.may_add_to_street(active=1, retirees=4000, adjusted=False).allowed
        refused = rules.may_add_to_street(active=2, retirees=4000, adjusted=False)
        assert not refused.allowed and refused.status == 409 and "名额为2名" in refused.zh
        adjusted = rules.may_add_to_street(active=2, retirees=4000, adjusted=True)
        assert adjusted.allowed and adjusted.basis.clause == "§二（二）"


class TestAge:
    """111号 §三（六）: 退休人员年龄一般不超过65周岁；特别优秀且经组织认定并推荐可放宽至68周岁."""

    BIRTH = date(1957, 6, 1)

    def test_65_in_whole_years_is_within(self):
        assert rules.check_age(HiringRoute.RETIREE, self.BIRTH, date(2023, 5, 31), False).allowed  # 65
        refused = rules.check_age(HiringRoute.RETIREE, self.BIRTH, date(2023, 6, 1), False)  # 66th birthday
        assert not refused.allowed and refused.basis.clause == "§三（六）" and "可放宽至68周岁" in refused.zh

    def test_68_when_recommended(self):
        assert rules.check_age(HiringRoute.RETIREE, self.BIRTH, date(2026, 5, 31), True).allowed  # 68
        refused = rules.check_age(HiringRoute.RETIREE, self.BIRTH, date(2026, 6, 1), True)  # 69
        assert not refused.allowed and "超过68周岁上限" in refused.zh

    def test_other_routes_have_no_age_figure_here(self):
        assert rules.check_age(HiringRoute.PROCUREMENT, date(1940, 1, 1), date(2022, 1, 1), False).allowed
        assert rules.check_age(HiringRoute.PUBLIC_WELFARE, None, date(2022, 1, 1), False).allowed

    def test_retiree_needs_a_birth_date(self):
        assert rules.check_age(HiringRoute.RETIREE, None, date(2022, 1, 1), False).status == 422


class TestDates:
    """111号 §四（二）: 试用期2个月，聘用期限1年，到期前30日发出意向书; §四（三）: 采购合同不超过三年."""

    def test_trial_two_months(self):
        assert rules.trial_end(date(2022, 1, 1))[0] == date(2022, 2, 28)
        assert rules.trial_end(date(2023, 12, 31))[0] == date(2024, 2, 28)  # 29 Feb is the clamp, minus a day
        assert rules.trial_end(date(2022, 3, 15))[0] == date(2022, 5, 14)

    def test_term_one_year_and_the_notice(self):
        end, basis = rules.term_end(date(2022, 1, 1))
        assert end == date(2022, 12, 31) and basis.clause == "§四（二）"
        assert rules.notice_due(end)[0] == date(2022, 12, 1)
        assert rules.term_end(date(2024, 2, 29))[0] == date(2025, 2, 27)

    def test_notice_status(self):
        end = date(2022, 12, 31)
        assert rules.notice_status(end, date(2022, 11, 30), None) == "upcoming"
        assert rules.notice_status(end, date(2022, 12, 1), None) == "due"
        assert rules.notice_status(end, date(2022, 12, 2), None) == "overdue"
        assert rules.notice_status(end, date(2022, 12, 2), date(2022, 12, 1)) == "sent"
        assert rules.notice_status(end, date(2022, 12, 5), date(2022, 12, 2)) == "late"

    def test_retiree_term_is_fixed(self):
        end, d = rules.term_for(HiringRoute.RETIREE, date(2022, 1, 1), None)
        assert end == date(2022, 12, 31) and d.allowed
        assert rules.term_for(HiringRoute.RETIREE, date(2022, 1, 1), date(2023, 6, 30))[1].status == 422

    def test_procurement_at_most_three_years(self):
        end, d = rules.term_for(HiringRoute.PROCUREMENT, date(2022, 1, 1), date(2024, 12, 31))
        assert end == date(2024, 12, 31) and d.allowed
        _, d = rules.term_for(HiringRoute.PROCUREMENT, date(2022, 1, 1), date(2025, 1, 1))
        assert not d.allowed and d.basis.clause == "§四（三）" and "2024-12-31" in d.zh


class TestPay:
    """112号 第七条: 1700/月 + 月均绩效1000, 年度绩效≤12000; 第八条: 满意100%、基本满意80%、不满意0."""

    def test_bonus_by_rating(self):
        assert rules.bonus_for(S)[0] == Decimal(1000)
        assert rules.bonus_for(B)[0] == Decimal(800)
        assert rules.bonus_for(U)[0] == Decimal(0)
        assert rules.bonus_for(B)[1].clause == "第八条"

    def test_a_year_of_satisfied_is_exactly_the_cap(self):
        months = rules.year_pay([(m, S, 1000) for m in range(1, 13)], 2022)
        assert sum(m.bonus for m in months) == 12_000 and not any(m.capped for m in months)
        assert sum(m.total for m in months) == 12 * 1700 + 12_000

    def test_the_yearly_cap_cuts_a_larger_base(self):
        months = rules.year_pay([(m, S, 1500) for m in range(1, 13)], 2022)
        assert [m.bonus for m in months[6:9]] == [Decimal(1500), Decimal(1500), Decimal(0)]  # 8×1500 = 12000
        assert months[7].capped is False and months[8].capped and months[8].basis.clause == "第七条"
        assert sum(m.bonus for m in months) == 12_000

    def test_unrated_month_pays_the_subsidy_only(self):
        (m,) = rules.year_pay([(3, None, 1000)], 2022)
        assert m.total == 1700 and m.rating is None

    def test_insurance_at_most_200(self):
        assert rules.check_insurance(200).allowed
        refused = rules.check_insurance(Decimal("200.01"))
        assert not refused.allowed and refused.basis.clause == "第七条"


class TestRehire:
    """111号 §六: 年度内满意度评价两次为不满意的，下一年度不再聘用."""

    def test_two_unsatisfied_bar_next_year(self):
        assert rules.may_rehire({2022: [U, S, S]}, date(2023, 1, 1), date(2023, 12, 31)).allowed
        refused = rules.may_rehire({2022: [U, S, U]}, date(2023, 1, 1), date(2023, 12, 31))
        assert not refused.allowed and "2023年度不再聘用" in refused.zh and refused.basis.clause == "§六"

    def test_a_term_reaching_into_the_barred_year(self):
        assert not rules.may_rehire({2022: [U, U]}, date(2022, 7, 1), date(2023, 6, 30)).allowed
        assert rules.may_rehire({2021: [U, U]}, date(2023, 1, 1), date(2023, 12, 31)).allowed


class TestFunds:
    def test_months_in_year(self):
        assert rules.months_in_year(date(2022, 1, 1), date(2022, 12, 31), 2022) == 12
        assert rules.months_in_year(date(2022, 7, 15), date(2023, 7, 14), 2022) == 6
        assert rules.months_in_year(date(2022, 7, 15), date(2023, 7, 14), 2023) == 7
        assert rules.months_in_year(date(2022, 7, 15), date(2023, 7, 14), 2024) == 0

    def test_fund_plan(self):
        plan = rules.fund_plan([12, 6, 0])
        assert plan.people == 2 and plan.subsidy == 1700 * 18 and plan.bonus == 12_000 + 6_000
        assert plan.insurance == 400 and plan.total == 30_600 + 18_000 + 400

    def test_self_report_due_in_q1(self):
        due, basis = rules.self_report_due(2022)
        assert due == date(2023, 3, 31) and basis.clause == "第九条"

    def test_only_retiree_and_procurement_are_paid_from_the_funds(self):
        assert not rules.paid_from_funds(HiringRoute.PUBLIC_WELFARE)
        assert rules.paid_from_funds(HiringRoute.RETIREE) and rules.paid_from_funds(HiringRoute.PROCUREMENT)


class TestWhoMayAct:
    def test_bureau_centre_and_own_street(self):
        assert rules.may_manage("区人力社保局", "department", "东四街道").allowed
        assert rules.may_manage("区劳动服务管理中心", "agency", "东四街道").allowed
        assert rules.may_manage("东四街道", "street", "东四街道").allowed
        refused = rules.may_manage("东四街道", "street", "景山街道")
        assert not refused.allowed and refused.status == 403
        assert not rules.may_manage("区城市管理委", "department", "东四街道").allowed


class TestFundApproval:
    """112号 第五条: 审核合格后，提交劳服中心主任办公会、局长办公会、局党组会审议，同意后银行转账拨付."""

    def test_the_chain_in_order(self):
        status = "submitted"
        for step in ("review", "centre-meeting", "bureau-meeting", "party-group", "disburse"):
            status, d = rules.fund_step(status, step)
            assert d.allowed and d.basis.clause == "第五条"
        assert status == "disbursed"

    def test_out_of_order_and_reject(self):
        status, d = rules.fund_step("submitted", "party-group")
        assert status == "submitted" and d.status == 409 and "局党组会" in d.zh
        assert rules.fund_step("bureau_approved", "reject")[0] == "rejected"
        assert not rules.fund_step("disbursed", "reject")[1].allowed

    def test_only_centre_and_bureau_review(self):
        assert rules.may_review("区劳动服务管理中心").allowed and rules.may_review("区人力社保局").allowed
        assert rules.may_review("东四街道").status == 403

    def test_self_report_status(self):
        assert rules.self_report_status(2022, date(2023, 3, 31), date(2023, 4, 5)) == "on_time"
        assert rules.self_report_status(2022, date(2023, 4, 1), date(2023, 4, 5)) == "late"
        assert rules.self_report_status(2022, None, date(2023, 3, 31)) == "pending"
        assert rules.self_report_status(2022, None, date(2023, 4, 1)) == "overdue"
