"""The incubator rules against the text of 东人社发〔2021〕101号, clause by clause, figures at their boundaries."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dongcheng.calendar.rules import WorkingDays
from dongcheng.incubators import management_rules as m
from dongcheng.incubators import rules
from dongcheng.incubators.enums import Action, Outcome, Route, Status

ON = date(2022, 3, 1)
GOOD = rules.Facts(
    legal_entity_in_dongcheng=True, tax_registered_in_dongcheng=True, social_insurance_in_dongcheng=True,
    incubation_main_business=True, no_violations=True, no_open_disputes=True, operating_since=date(2020, 3, 1),
    incubation_area_m2=1500, management_and_services=True, utilisation_pct=(80, 95.5), incubated_entities=(20, 31),
    jobs=(250, 350), success_rate_pct=60, renewal_pct=(15, 20), service_activities=True)


def outcome(facts: rules.Facts, key: str, on: date = ON) -> Outcome:
    return next(c for c in rules.eligibility(facts, on) if c.key == key).outcome


class TestEligibility第七条:
    def test_every_condition_met_at_its_boundary(self):
        criteria = rules.eligibility(GOOD, ON)
        assert rules.overall(criteria) == Outcome.MET
        assert len(criteria) == 15
        assert all(c.basis.document == "东人社发〔2021〕101号" and c.basis.clause.startswith("第七条") for c in criteria)

    def test_area_1499_is_short_of_1500(self):
        c = next(c for c in rules.eligibility(replace(GOOD, incubation_area_m2=1499), ON) if c.key == "incubation_area_m2")
        assert c.outcome == Outcome.NOT_MET
        assert (c.required, c.actual, str(c.basis)) == ("不少于1500平方米", "1499平方米", "东人社发〔2021〕101号 第七条（二）")

    def test_utilisation_each_of_two_years(self):
        assert outcome(replace(GOOD, utilisation_pct=(79.9, 99)), "utilisation_pct") == Outcome.NOT_MET
        assert outcome(replace(GOOD, utilisation_pct=(99, 79.9)), "utilisation_pct") == Outcome.NOT_MET
        assert outcome(replace(GOOD, utilisation_pct=(80, 80)), "utilisation_pct") == Outcome.MET
        assert outcome(replace(GOOD, utilisation_pct=(90,)), "utilisation_pct") == Outcome.NOT_MET  # one year is not 2

    def test_entities_each_year_at_least_20(self):
        assert outcome(replace(GOOD, incubated_entities=(19, 40)), "incubated_entities") == Outcome.NOT_MET

    def test_jobs_300_on_average_not_each_year(self):
        assert outcome(replace(GOOD, jobs=(300, 300)), "jobs") == Outcome.MET
        assert outcome(replace(GOOD, jobs=(100, 500)), "jobs") == Outcome.MET
        assert outcome(replace(GOOD, jobs=(299, 300)), "jobs") == Outcome.NOT_MET

    def test_success_rate_and_renewal(self):
        assert outcome(replace(GOOD, success_rate_pct=59.9), "success_rate_pct") == Outcome.NOT_MET
        assert outcome(replace(GOOD, renewal_pct=(15, 14.9)), "renewal_pct") == Outcome.NOT_MET

    def test_operating_two_years_inclusive(self):
        assert outcome(replace(GOOD, operating_since=date(2020, 3, 1)), "operating_since") == Outcome.MET
        assert outcome(replace(GOOD, operating_since=date(2020, 3, 2)), "operating_since") == Outcome.NOT_MET

    def test_not_given_and_not_met(self):
        facts = replace(GOOD, no_open_disputes=None)
        assert outcome(facts, "no_open_disputes") == Outcome.NOT_GIVEN
        assert rules.overall(rules.eligibility(facts, ON)) == Outcome.NOT_GIVEN
        facts = replace(facts, tax_registered_in_dongcheng=False)
        assert rules.overall(rules.eligibility(facts, ON)) == Outcome.NOT_MET

    def test_materials_check_names_what_fails(self):
        decision = rules.may_pass_materials(rules.eligibility(replace(GOOD, incubation_area_m2=1499), ON))
        assert not decision.allowed and decision.status == 409 and "东城区内孵化场所面积（第七条（二）" in decision.zh


class TestDirectRecognition第十条:
    @pytest.mark.parametrize("level", ["国家级", "市级"])
    def test_national_and_municipal(self, level):
        assert rules.may_recognise_directly(Route.DIRECT, level).allowed

    def test_a_direct_application_names_its_title(self):
        refused = rules.check_direct_title(Route.DIRECT, None)
        assert not refused.allowed and refused.status == 422 and refused.field == "title_level"
        assert refused.error().to_dict()["detail"][0]["field"] == "title_level"
        assert rules.check_direct_title(Route.STANDARD, None).allowed
        assert rules.check_direct_title(Route.DIRECT, "市级").allowed

    def test_district_title_or_standard_route_refused(self):
        assert not rules.may_recognise_directly(Route.DIRECT, "区级").allowed
        assert not rules.may_recognise_directly(Route.STANDARD, "国家级").allowed
        assert not rules.route_allows(Route.DIRECT, Action.START_NOTICE).allowed
        assert not rules.route_allows(Route.STANDARD, Action.RECOGNISE).allowed


class TestStateTable第八条:
    def test_the_order(self):
        s = Status.APPLIED
        for action in (Action.CHECK_MATERIALS, Action.VISIT_SITE, Action.REVIEW, Action.START_NOTICE, Action.CERTIFY):
            assert rules.step(s, action).allowed
            s = rules.leads_to(s, action)
        assert s == Status.CERTIFIED

    def test_out_of_order_is_409(self):
        d = rules.step(Status.APPLIED, Action.START_NOTICE)
        assert not d.allowed and d.status == 409 and d.basis.clause == "第八条（二）"
        assert d.zh == "当前状态下不能执行此步骤（start-notice）"
        assert d.en == "Step start-notice is out of order in status applied"
        assert not rules.step(Status.CERTIFIED, Action.REJECT).allowed
        assert rules.step(Status.CERTIFIED, Action.REVOKE).allowed

    def test_every_action_is_a_step_of_the_table_in_the_order_a_page_offers(self):
        assert list(rules.FLOW.steps) == [a.value for a in Action]
        assert rules.FLOW.available(Status.NOTICE) == [Action.OBJECT, Action.RESOLVE_OBJECTION, Action.CERTIFY,
                                                       Action.REJECT]
        assert rules.FLOW.available(Status.REJECTED) == []

    def test_a_failed_review_and_an_upheld_objection_end_as_rejected(self):
        assert rules.leads_to(Status.SITE_VISITED, Action.REVIEW, passed=False) == Status.REJECTED
        assert rules.leads_to(Status.NOTICE, Action.RESOLVE_OBJECTION, upheld=True) == Status.REJECTED
        assert rules.leads_to(Status.NOTICE, Action.RESOLVE_OBJECTION, upheld=False) == Status.NOTICE
        assert rules.leads_to(Status.NOTICE, Action.OBJECT) == Status.NOTICE

    def test_resolving_needs_an_open_objection(self):
        refused = rules.may_resolve_objection(0)
        assert not refused.allowed and refused.status == 409 and refused.basis.clause == "第八条（三）"
        assert rules.may_resolve_objection(1).allowed


class TestNotice第八条:
    def test_five_working_days_after_publication(self):
        # published Monday 2022-01-24; 25, 26, 27, 28 (Fri) and Saturday 29 January — a make-up working day — count
        span, basis = rules.notice_period(date(2022, 1, 24), WorkingDays())
        assert span.end == date(2022, 1, 29) and not span.provisional
        assert basis.clause == "第八条（二）"

    def test_over_the_spring_festival(self):
        # make-up days Saturday 29 and Sunday 30 January, 31 January–6 February off, then 7, 8, 9 February
        span, _ = rules.notice_period(date(2022, 1, 28), WorkingDays())
        assert span.end == date(2022, 2, 9)

    def test_unpublished_year_is_provisional(self):
        span, _ = rules.notice_period(date(2099, 12, 28), WorkingDays())
        assert span.provisional

    def test_certify_after_the_last_day_without_open_objections(self):
        end = date(2022, 1, 29)
        assert not rules.may_certify(end, end, 0).allowed
        assert rules.may_certify(end, date(2022, 1, 30), 0).allowed
        refused = rules.may_certify(end, date(2022, 1, 30), 1)
        assert not refused.allowed and "异议" in refused.zh


class TestCertificationAndReports:
    def test_certification_day_not_in_the_future_names_on(self):
        refused = rules.check_certification_day(date(2022, 3, 2), date(2022, 3, 1))
        assert not refused.allowed and refused.status == 422 and refused.field == "on"
        assert rules.check_certification_day(date(2022, 3, 1), date(2022, 3, 1)).allowed

    def test_a_certified_base_reports_once_a_quarter_第十一条(self):
        assert rules.may_report(Status.CERTIFIED, False, 2022, 2).allowed
        refused = rules.may_report(Status.NOTICE, False, 2022, 2)
        assert not refused.allowed and refused.status == 409 and refused.basis.clause == "第十一条（一）"
        again = rules.may_report(Status.CERTIFIED, True, 2022, 2)
        assert not again.allowed and again.zh == "2022年第2季度报表已报送"


class TestBan第十三条:
    def test_three_years_to_the_day(self):
        revoked = date(2022, 3, 1)
        assert rules.may_reapply_from(revoked) == date(2025, 3, 1)
        refused = rules.may_apply(date(2025, 2, 28), [("甲基地", revoked)])
        assert not refused.allowed and "2022-03-01" in refused.zh and "2025-02-28止" in refused.zh
        assert rules.may_apply(date(2025, 3, 1), [("甲基地", revoked)]).allowed

    def test_leap_day(self):
        assert rules.may_reapply_from(date(2024, 2, 29)) == date(2027, 2, 28)

    def test_five_grounds(self):
        assert list(rules.REVOCATION_GROUNDS) == ["（一）", "（二）", "（三）", "（四）", "（五）"]


class TestManagement:
    def test_incubation_period_第三条(self):
        last, basis = m.incubation_ends(date(2022, 3, 1))
        assert last == date(2025, 2, 28) and basis.clause == "第三条"
        assert not m.incubation_exceeded(date(2022, 3, 1), date(2025, 2, 28))[0]
        assert m.incubation_exceeded(date(2022, 3, 1), date(2025, 3, 1))[0]

    def test_quarterly_reports_第十一条(self):
        qs = m.quarters_due(date(2022, 2, 10), date(2022, 10, 1))
        assert [q.label() for q in qs] == ["2022年第2季度", "2022年第3季度", "2022年第4季度"]
        q2 = qs[0]
        assert (q2.last_day, q2.due_on) == (date(2022, 6, 30), date(2022, 7, 15))
        assert m.report_status(q2, date(2022, 7, 15), date(2022, 8, 1)) == "submitted"
        assert m.report_status(q2, date(2022, 7, 16), date(2022, 8, 1)) == "late"
        assert m.report_status(q2, None, date(2022, 7, 16)) == "missing"
        assert m.report_status(q2, None, date(2022, 7, 15)) == "pending"
        assert m.two_missed_in_a_year([(qs[0], "missing"), (qs[1], "missing")])[0]
        assert not m.two_missed_in_a_year([(qs[0], "missing"), (qs[1], "submitted"), (qs[2], "missing")])[0]

    def test_re_evaluation_第十二条(self):
        assert m.failed_two_years_running({2022: False, 2023: False})[0]
        assert not m.failed_two_years_running({2022: False, 2023: True, 2024: False})[0]

    def test_change_report_30_days_第十四条(self):
        assert m.change_report_due(date(2022, 3, 1))[0] == date(2022, 3, 31)

    def test_subsidies_第十七条(self):
        items = m.subsidies(certified=True, offline_participants=[40, 1], online_sessions=3)
        assert [(s.item, s.amount) for s in items] == [
            ("一次性资金奖补", 30_000), ("线下活动第1场", 1000), ("线下活动第2场", 25), ("线上活动", 1500)]
        assert [s.basis.clause for s in items] == ["第十七条（一）", "第十七条（二）", "第十七条（二）", "第十七条（二）"]
        assert m.subsidies(certified=False, offline_participants=[], online_sessions=0) == []
