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
        refused = rules.check_age(HiringRoute.RETIREE, None, date(2022, 1, 1), False)
        assert refused.status == 422 and refused.field == "birth_date"


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
        refused = rules.term_for(HiringRoute.RETIREE, date(2022, 1, 1), date(2023, 6, 30))[1]
        assert refused.status == 422 and refused.field == "end_on"

    def test_procurement_at_most_three_years(self):
        end, d = rules.term_for(HiringRoute.PROCUREMENT, date(2022, 1, 1), date(2024, 12, 31))
        assert end == date(2024, 12, 31) and d.allowed
        _, d = rules.term_for(HiringRoute.PROCUREMENT, date(2022, 1, 1), date(2025, 1, 1))
        assert not d.allowed and d.basis.clause == "§四（三）" and "2024-12-31" in d.zh


class TestNoticeRenewalAndEnd:
    """111号 §三 (不再聘用), §四（二） (意向书, 续签, 协议到期终止)."""

    def test_a_notice_for_a_hire_in_force_with_an_end(self):
        assert rules.may_send_notice(True, date(2022, 12, 31)).allowed
        assert rules.may_send_notice(False, date(2022, 12, 31)).status == 409
        assert not rules.may_send_notice(True, None).allowed

    def test_an_open_ended_hire_is_not_renewed(self):
        assert rules.may_renew(HiringRoute.RETIREE, True).allowed
        refused = rules.may_renew(HiringRoute.PUBLIC_WELFARE, True, open_ended=True)
        assert not refused.allowed and refused.status == 409 and "无固定期限" in refused.zh

    def test_end_not_before_the_start_and_ground_1_only_in_the_trial(self):
        start, trial = date(2022, 1, 1), date(2022, 2, 28)
        assert rules.may_end(True, date(2022, 2, 28), start, trial, "1").allowed
        late = rules.may_end(True, date(2022, 3, 1), start, trial, "1")
        assert late.status == 422 and late.field == "ground" and late.basis.clause == "§三"
        early = rules.may_end(True, date(2021, 12, 31), start, trial, "3")
        assert early.status == 422 and early.field == "on"
        assert rules.may_end(False, date(2022, 3, 1), start, trial, "3").status == 409
        assert rules.end_ground("expiry") == ("协议到期终止", rules.plan("§四（二）", "协议到期终止"))
        assert str(rules.end_ground("5")[1]) == "东人社发〔2021〕111号 §三（5.依法被追究刑事责任的）"

    def test_a_month_is_rated_once(self):
        refused = rules.may_rate(date(2022, 1, 1), None, 2022, 3, date(2022, 6, 1), already_rated=True)
        assert not refused.allowed and refused.status == 409 and refused.zh == "2022年3月已评价"


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

    def test_a_month_of_the_term(self):
        assert rules.in_term(date(2022, 3, 15), date(2023, 3, 14), 2022, 3)  # any day of the month counts
        assert rules.in_term(date(2022, 3, 15), date(2023, 3, 14), 2023, 3)
        assert not rules.in_term(date(2022, 3, 15), date(2023, 3, 14), 2022, 2)
        assert not rules.in_term(date(2022, 3, 15), date(2023, 3, 14), 2023, 4)
        assert rules.in_term(date(2021, 6, 1), None, 2099, 12)  # open-ended

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

    def test_ratings_grouped_by_year(self):
        assert rules.ratings_by_year([(2021, U), (2022, S), (2021, B)]) == {2021: [U, B], 2022: [S]}

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

    def test_self_report_after_disbursement_once(self):
        assert rules.may_self_report("disbursed", None).allowed
        assert not rules.may_self_report("approved", None).allowed
        refused = rules.may_self_report("disbursed", date(2023, 3, 1))
        assert refused.status == 409 and refused.basis.clause == "第九条"

    def test_one_application_a_street_and_year_for_people_paid_from_the_funds(self):
        assert rules.may_file_funds("东四街道", 2022, False, 1).allowed
        again = rules.may_file_funds("东四街道", 2022, True, 1)
        assert again.status == 409 and again.zh == "东四街道2022年度岗补资金已申报"
        nobody = rules.may_file_funds("东四街道", 2022, False, 0)
        assert nobody.status == 409 and nobody.basis.clause == "第三条"

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
            d = rules.fund_step(status, step)
            assert d.allowed and d.basis.clause == "第五条"
            status = rules.FUND_FLOW.target(status, step)
        assert status == "disbursed"

    def test_out_of_order_and_reject(self):
        d = rules.fund_step("submitted", "party-group")
        assert d.status == 409 and d.zh == "当前状态（已申报）下不能执行“局党组会审议同意”"
        assert d.en == "Step party-group is out of order in status submitted"
        assert rules.fund_step("bureau_approved", "reject").allowed
        assert rules.FUND_FLOW.target("bureau_approved", "reject") == "rejected"
        refused = rules.fund_step("disbursed", "reject")
        assert not refused.allowed and refused.zh == "已拨付或已退回的申请不能退回"

    def test_the_steps_a_page_offers(self):
        assert rules.FUND_FLOW.available("submitted") == ["review", "reject"]
        assert rules.FUND_FLOW.available("approved") == ["disburse", "reject"]
        assert rules.FUND_FLOW.available("disbursed") == rules.FUND_FLOW.available("rejected") == []

    def test_only_centre_and_bureau_review(self):
        assert rules.may_review("区劳动服务管理中心").allowed and rules.may_review("区人力社保局").allowed
        assert rules.may_review("东四街道").status == 403

    def test_self_report_status(self):
        assert rules.self_report_status(2022, date(2023, 3, 31), date(2023, 4, 5)) == "on_time"
        assert rules.self_report_status(2022, date(2023, 4, 1), date(2023, 4, 5)) == "late"
        assert rules.self_report_status(2022, None, date(2023, 3, 31)) == "pending"
        assert rules.self_report_status(2022, None, date(2023, 4, 1)) == "overdue"


def test_fund_steps_by_the_bodies_of_article_five_and_never_twice_by_one_person():
    from dongcheng.commissioners import rules as r
    centre, bureau = "区劳动服务管理中心", "区人力社保局"
    assert [r.fund_step_body(s, st) for s, st in (("submitted", "review"), ("reviewed", "centre-meeting"),
            ("centre_approved", "bureau-meeting"), ("bureau_approved", "party-group"), ("approved", "disburse"))] \
        == [centre, centre, bureau, bureau, centre]
    assert r.fund_step_body("bureau_approved", "reject") == bureau and r.fund_step_body("approved", "reject") == centre
    assert r.may_take_fund_step("submitted", "review", centre, "a", ["filer"]).allowed
    assert r.may_take_fund_step("submitted", "review", bureau, "a", ["filer"]).status == 403
    twice = r.may_take_fund_step("reviewed", "centre-meeting", centre, "a", ["filer", "a"])
    assert not twice.allowed and twice.basis.clause == "第五条" and "职责分离" in twice.basis.note


def test_only_the_centre_adjusts_the_quota():
    from dongcheng.commissioners import rules as r
    assert r.may_adjust_quota("区劳动服务管理中心").allowed
    assert [r.may_adjust_quota(u).status for u in ("区人力社保局", "东四街道", None)] == [403, 403, 403]
