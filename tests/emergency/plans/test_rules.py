"""The §7 rules, pure: filing (§7.1.4) and its 20 working days (国办发〔2024〕5号 第二十六条), evaluation (§7.1.5,
3 years a platform default), revision triggers (§7.1.5), the validation drill (§7.2.1), the yearly drills (§7.2.2),
the five phases (§7.2.3)."""
from __future__ import annotations

from datetime import date

from dongcheng.calendar.rules import WorkingDays
from dongcheng.emergency.plans import files, rules
from dongcheng.emergency.plans.rules import Acting, DrillFact, DrillKind, Phase, PlanKind, RevisionFact

M = files.shipped()


class TestFiling:
    def test_each_kind_files_where_7_1_4_says(self):
        district = rules.filing_for(PlanKind.DISTRICT_GENERAL, M.filing)
        assert district.recipient == "北京市人民政府" and not district.reviewer and district.basis.clause == "§7.1.4"
        street = rules.filing_for(PlanKind.STREET_GENERAL, M.filing)
        assert street.recipient == "区政府" and street.reviewer == "区应急局"
        special = rules.filing_for(PlanKind.SPECIAL, M.filing)
        assert special.recipient == "北京市人民政府有关牵头部门" and special.text.startswith("专项应急预案抄送")
        for kind in (PlanKind.DEPARTMENT, PlanKind.CATASTROPHE):
            f = rules.filing_for(kind, M.filing)
            assert (f.recipient, f.reviewer) == ("区政府", "区应急局")

    def test_twenty_working_days_on_the_official_calendar(self):
        """The national rule: 国办发〔2024〕5号 第二十六条. Issued Wednesday 2026-09-16: the make-up Sunday 20 September
        and Saturday 10 October count, 中秋节 (25 September) and 国庆节 (1–7 October) do not → 10 working days by 30
        September, the 20th is Tuesday 2026-10-20."""
        assert rules.FILING_WORKING_DAYS == 20
        assert rules.FILING_PERIOD_BASIS.document == "国办发〔2024〕5号" and "国家规定" in rules.FILING_PERIOD_BASIS.note
        due = rules.filing_due(date(2026, 9, 16), WorkingDays())
        assert due.end == date(2026, 10, 20) and not due.provisional

    def test_filing_status(self):
        due = date(2026, 10, 21)
        assert rules.filing_status(None, None, None, date(2026, 11, 1)) == rules.FilingStatus.NOT_ISSUED
        assert rules.filing_status(date(2026, 9, 16), None, due, due) == rules.FilingStatus.PENDING
        assert rules.filing_status(date(2026, 9, 16), None, due, date(2026, 10, 22)) == rules.FilingStatus.OVERDUE
        assert rules.filing_status(date(2026, 9, 16), due, due, date(2027, 1, 1)) == rules.FilingStatus.FILED
        assert rules.filing_status(date(2026, 9, 16), date(2026, 10, 22), due, due) == rules.FilingStatus.FILED_LATE


def test_evaluation_every_three_years_is_a_platform_default():
    assert rules.EVALUATION_YEARS == 3 and "平台默认" in str(rules.EVALUATION_BASIS)
    assert rules.evaluation_due(date(2022, 2, 1), None) == date(2025, 2, 1)
    assert rules.evaluation_due(date(2022, 2, 1), date(2024, 6, 30)) == date(2027, 6, 30)
    assert rules.evaluation_due(None, None) is None


class TestTriggers:
    def test_the_four_and_nothing_else(self):
        for code in ("law_changed", "command_changed", "risk_changed"):
            assert rules.check_trigger(code, M.triggers, incident_id=None, drill_id=None).allowed
        refused = rules.check_trigger("budget_cut", M.triggers, incident_id=None, drill_id=None)
        assert not refused.allowed and refused.status == 422 and refused.field == "trigger"
        assert refused.basis.clause == "§7.1.5"

    def test_a_problem_found_names_its_incident_or_drill(self):
        refused = rules.check_trigger("problem_found", M.triggers, incident_id=None, drill_id=None)
        assert not refused.allowed and refused.field == "incident_id"
        assert rules.check_trigger("problem_found", M.triggers, incident_id=3, drill_id=None).allowed
        assert rules.check_trigger("problem_found", M.triggers, incident_id=None, drill_id=4).allowed


def test_a_special_plan_leaves_revision_only_after_its_validation_drill():
    """§7.2.1 区级专项应急预案在修订过程中，专项指挥部办公室需开展验证性应急演练."""
    refused = rules.may_close_revision(PlanKind.SPECIAL, 0)
    assert not refused.allowed and refused.status == 409 and refused.basis.clause == "§7.2.1"
    assert rules.may_close_revision(PlanKind.SPECIAL, 1).allowed
    assert not rules.may_close_revision(PlanKind.SUPPORT, 0).allowed
    assert rules.may_close_revision(PlanKind.DEPARTMENT, 0).allowed


class TestAuthority:
    office = Acting("department", "区应急局", None, True)
    duty = Acting("duty_officer", "区应急指挥中心", "区应急局", True)
    cgw = Acting("department", "区城市管理委")
    water = Acting("department", "区水务局", "区城市管理委")

    def test_the_emergency_office_manages_every_plan_a_unit_its_own(self):
        for a in (self.office, self.duty):
            assert rules.may_manage_plan(a, "区卫生健康委").allowed
        assert rules.may_manage_plan(self.cgw, "区城市管理委").allowed
        assert rules.may_manage_plan(self.water, "区城市管理委").allowed
        refused = rules.may_manage_plan(self.cgw, "区卫生健康委")
        assert not refused.allowed and refused.status == 403 and "§7.1.1" in refused.basis.clause
        assert not rules.may_manage_plan(Acting("leader"), "区城市管理委").allowed

    def test_drills_likewise(self):
        assert rules.may_manage_drill(self.duty, "东四街道").allowed
        assert rules.may_manage_drill(Acting("department", "东四街道"), "东四街道").allowed
        assert not rules.may_manage_drill(Acting("department", "东四街道"), "朝阳门街道").allowed

    def test_catalogue_plans_are_not_added_by_hand_and_a_street_plan_is_a_streets(self):
        refused = rules.may_add_plan(self.office, PlanKind.SPECIAL, "区应急局", "government")
        assert not refused.allowed and refused.field == "kind"
        refused = rules.may_add_plan(self.cgw, PlanKind.STREET_GENERAL, "区城市管理委", "government")
        assert not refused.allowed and refused.field == "lead_unit"
        assert rules.may_add_plan(Acting("department", "东四街道"), PlanKind.STREET_GENERAL, "东四街道", "street").allowed


class TestPhases:
    """§7.2.3 计划、准备、实施、评估总结和改进五个阶段, in order."""

    def test_in_order_and_dated_forward(self):
        assert rules.check_phase(Phase.PLAN, {}, date(2026, 3, 1)).allowed
        skipped = rules.check_phase(Phase.CONDUCT, {Phase.PLAN: date(2026, 3, 1)}, date(2026, 4, 1))
        assert not skipped.allowed and skipped.status == 409 and "准备" in skipped.zh
        assert skipped.basis.clause == "§7.2.3"
        backwards = rules.check_phase(Phase.PREPARE, {Phase.PLAN: date(2026, 3, 1)}, date(2026, 2, 28))
        assert not backwards.allowed and backwards.status == 422 and backwards.field == "on_date"
        again = rules.check_phase(Phase.PLAN, {Phase.PLAN: date(2026, 3, 1)}, date(2026, 3, 1))
        assert not again.allowed and again.status == 409

    def test_improvement_waits_for_every_follow_up_action(self):
        done = {p: date(2026, 3, i + 1) for i, p in enumerate(rules.PHASES[:4])}
        refused = rules.check_phase(Phase.IMPROVE, done, date(2026, 3, 9), open_actions=2)
        assert not refused.allowed and refused.status == 409 and "2项" in refused.zh
        assert rules.check_phase(Phase.IMPROVE, done, date(2026, 3, 9), open_actions=0).allowed


class TestCompliance:
    def lines(self, drills, revisions=()):
        return {(line.section, line.subject): line for line in rules.compliance(
            2026, units=["区城市管理委", "区防汛应急指挥部"], streets=["东四街道", "朝阳门街道", "景山街道"],
            drills=drills, revisions=revisions)}

    def test_a_street_with_only_a_single_drill_is_not_compliant(self):
        """§7.2.2 各街道（地区）…每年组织开展综合应急演练: a 单项 drill does not count for a street."""
        lines = self.lines([DrillFact("东四街道", DrillKind.SINGLE, date(2026, 5, 12)),
                            DrillFact("朝阳门街道", DrillKind.COMPREHENSIVE, date(2026, 6, 1)),
                            DrillFact("景山街道", DrillKind.COMPREHENSIVE, date(2025, 12, 31))])
        dongsi = lines[("streets", "东四街道")]
        assert not dongsi.compliant and "仅组织单项1次" in dongsi.detail and dongsi.basis.clause == "§7.2.2"
        assert "每年组织开展综合应急演练" in dongsi.basis.note
        assert lines[("streets", "朝阳门街道")].compliant
        assert not lines[("streets", "景山街道")].compliant  # last year's drill is not this year's

    def test_a_unit_complies_with_a_comprehensive_or_single_drill(self):
        lines = self.lines([DrillFact("区城市管理委", DrillKind.SINGLE, date(2026, 5, 12))])
        assert lines[("units", "区城市管理委")].compliant
        hq = lines[("units", "区防汛应急指挥部")]
        assert not hq.compliant and hq.detail == "本年未组织应急演练" and "综合应急演练或单项应急演练" in hq.basis.note

    def test_a_plan_under_revision_needs_its_validation_drill_during_the_revision(self):
        revisions = [RevisionFact(1, "东城区防汛应急预案", "区应急局", date(2026, 3, 1), None, (date(2026, 2, 1),)),
                     RevisionFact(2, "东城区地震应急预案", "区应急局", date(2026, 3, 1), None, (date(2026, 4, 1),)),
                     RevisionFact(3, "东城区燃气突发事件应急预案", "区城市管理委", date(2024, 1, 1), date(2025, 6, 1), ())]
        lines = self.lines([], revisions)
        flood = lines[("revisions", "东城区防汛应急预案（区应急局）")]
        assert not flood.compliant and flood.basis.clause == "§7.2.1" and flood.plan_id == 1  # drill before it opened
        assert lines[("revisions", "东城区地震应急预案（区应急局）")].compliant
        assert ("revisions", "东城区燃气突发事件应急预案（区城市管理委）") not in lines  # closed before the year
