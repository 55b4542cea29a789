"""The warning rules against the gazette, clause by clause (东政发〔2022〕3号 §3.2). Pure: no database."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dongcheng.core.basis import Basis
from dongcheng.core.errors import DomainError
from dongcheng.emergency.warnings import rules
from dongcheng.emergency.warnings.enums import Action, Level, Status
from dongcheng.emergency.warnings.rules import Acting, Content, Leader

MAYOR = Leader("mayor", "区长", "周金星")
SUN_YANG = Leader("vice-mayor-city-management", "副区长", "孙扬", Basis("东政办发〔2021〕18号", "分管 区城市管理委员会"))
CGW = Acting("department", "区城市管理委")
DUTY = Acting("duty_officer", "区应急局", emergency_office=True)  # units.yaml marks 区应急局 as the 区应急办
DONGSI = Acting("department", "东四街道")
as_mayor = Acting("leader", post_codes=frozenset({"mayor"}))
as_sun = Acting("leader", post_codes=frozenset({"vice-mayor-city-management"}))
as_li = Acting("leader", post_codes=frozenset({"executive-vice-mayor"}))


class TestLevels:
    @pytest.mark.parametrize(("level", "grade"), [(Level.RED, "一级"), (Level.ORANGE, "二级"), (Level.YELLOW, "三级"),
                                                   (Level.BLUE, "四级")])
    def test_colour_is_grade(self, level, grade):
        got, basis = rules.level_grade(level)
        assert got == grade and basis.clause == "§3.2.2"

    def test_red_is_highest(self):
        assert max(Level, key=lambda lv: lv.rank) == Level.RED


class TestContent:
    def complete(self, **over) -> Content:
        base = dict(category="自然灾害", level=Level.YELLOW, starts_at=datetime(2022, 7, 1, tzinfo=UTC),
                    expected_duration_hours=12, area_streets=("东四街道",), precautions="注意防范", measures="减少外出")
        return Content(**{**base, **over})

    def test_complete_draft_misses_nothing(self):
        missing, basis = rules.missing_content(self.complete())
        assert missing == [] and basis.clause == "§3.2.4"

    def test_each_missing_element_is_named(self):
        content = self.complete(category=None, expected_duration_hours=0, area_streets=(), precautions=" ", measures=None)
        missing, _ = rules.missing_content(content)
        assert [m.field for m in missing] == ["event_type", "expected_duration_hours", "area_streets", "precautions",
                                              "measures"]
        assert all("§3.2.4" in m.zh and m.en for m in missing)


class TestStateTable:
    def test_happy_path(self):
        s = Status.DRAFT
        for action, expected in [(Action.SUBMIT, Status.SUBMITTED), (Action.APPROVE, Status.APPROVED),
                                 (Action.PUBLISH, Status.PUBLISHED), (Action.CHANGE_LEVEL, Status.PUBLISHED),
                                 (Action.LIFT, Status.LIFTED)]:
            assert rules.FLOW.step(s, action).allowed
            s = rules.FLOW.target(s, action)
            assert s == expected

    def test_a_return_makes_it_a_draft_again(self):
        assert rules.FLOW.target(Status.SUBMITTED, Action.RETURN) == Status.DRAFT

    @pytest.mark.parametrize(("status", "action"), [(Status.DRAFT, Action.APPROVE), (Status.SUBMITTED, Action.PUBLISH),
                                                    (Status.APPROVED, Action.LIFT), (Status.LIFTED, Action.LIFT),
                                                    (Status.PUBLISHED, Action.APPROVE), (Status.DRAFT, Action.CHANGE_LEVEL)])
    def test_out_of_order_is_refused(self, status, action):
        decision = rules.FLOW.step(status, action)
        assert not decision.allowed and decision.status == 409
        assert decision.zh == f"当前状态（{status.value}）不能执行此步骤（{action.value}）"
        assert decision.en == f"Step {action.value} is out of order for a warning in status {status.value}"

    def test_every_step_names_its_clause_and_who_takes_it(self):
        assert {s.basis.clause for s in rules.FLOW.steps.values()} == {"§3.2.3(2)", "§3.2.3(3)", "§3.2.6", "§3.2.7"}
        assert all(s.by for s in rules.FLOW.steps.values())

    def test_what_a_page_offers_follows_the_table(self):
        assert rules.FLOW.available(Status.SUBMITTED) == [Action.APPROVE, Action.RETURN]
        assert rules.FLOW.available(Status.PUBLISHED) == [Action.LIFT, Action.CHANGE_LEVEL]
        assert rules.FLOW.available(Status.LIFTED) == []


class TestApprovalChain:
    """§3.2.3(2): blue/yellow by the drafting unit; orange by the 分管区领导; red by the 区长."""

    def approver(self, level):
        return rules.required_approver(level, "区城市管理委", mayor=MAYOR, supervisor=SUN_YANG)

    def test_red_needs_the_mayor(self):
        a = self.approver(Level.RED)
        assert (a.post, a.person, a.post_code, a.via_emergency_office) == ("区长", "周金星", "mayor", True)
        assert a.basis.clause == "§3.2.3(2)" and "区长" in a.basis.note
        assert rules.may_approve(a, as_mayor).allowed
        for other in (as_sun, as_li, CGW, DUTY):
            assert not rules.may_approve(a, other).allowed

    def test_orange_from_city_management_needs_sun_yang_not_li_yan(self):
        a = self.approver(Level.ORANGE)
        assert (a.post, a.person) == ("副区长", "孙扬")
        assert rules.may_approve(a, as_sun).allowed
        decision = rules.may_approve(a, as_li)
        assert not decision.allowed and "孙扬" in decision.zh
        assert not rules.may_approve(a, as_mayor).allowed  # the 区长 is not the 分管区领导 of 区城市管理委
        assert not rules.may_approve(a, DUTY).allowed

    def test_orange_without_supervisor_waits_for_designation(self):
        a = rules.required_approver(Level.ORANGE, "京诚集团", mayor=MAYOR, supervisor=None)
        assert a.person is None and "§4.3.5" in a.basis.note
        assert not any(rules.may_approve(a, x).allowed for x in (as_mayor, as_sun, as_li, DUTY))

    @pytest.mark.parametrize("level", [Level.BLUE, Level.YELLOW])
    def test_blue_and_yellow_by_the_drafting_unit(self, level):
        a = self.approver(level)
        assert a.kind == "unit" and a.unit == "区城市管理委" and a.person is None and not a.via_emergency_office
        assert rules.may_approve(a, CGW).allowed
        assert rules.may_approve(a, Acting("department", "区水务局", "区城市管理委")).allowed  # sits inside it
        for other in (DUTY, DONGSI, as_mayor, as_sun):
            assert not rules.may_approve(a, other).allowed

    def test_authority_follows_the_post_not_the_name(self):
        """After an appointment the new holder carries the seat's code: the rule only looks at post codes."""
        a = rules.required_approver(Level.RED, "区城市管理委", mayor=Leader("mayor", "区长", "新区长"), supervisor=None)
        assert a.person == "新区长" and rules.may_approve(a, as_mayor).allowed


class TestPublication:
    def test_public_only_through_the_publication_centre(self):
        unit, basis = rules.publisher(True, "区城市管理委")
        assert unit == "区预警信息发布中心" and basis.clause == "§3.2.3(3)"
        assert rules.may_publish(True, "区城市管理委", DUTY).allowed
        assert rules.may_publish(True, "区城市管理委", Acting("department", "区预警信息发布中心", "区应急局",
                                                           emergency_office=True)).allowed
        assert not rules.may_publish(True, "区城市管理委", CGW).allowed

    def test_the_emergency_office_is_a_fact_about_the_unit_not_its_name(self):
        """Whether a unit acts as the 区应急办 comes from units.yaml (``emergency_office``), not from its name."""
        assert not rules.may_publish(True, "区城市管理委", Acting("department", "区应急局")).allowed
        assert rules.may_publish(True, "区城市管理委", Acting("department", "某单位", emergency_office=True)).allowed
        assert not rules.may_publish(True, "区城市管理委", Acting("leader", "区应急局", emergency_office=True)).allowed

    def test_internal_by_the_drafting_unit_itself(self):
        assert rules.may_publish(False, "区城市管理委", CGW).allowed
        assert not rules.may_publish(False, "区城市管理委", DUTY).allowed
        assert not rules.may_publish(False, "区城市管理委", DONGSI).allowed

    def test_leaders_do_not_publish(self):
        assert not rules.may_publish(True, "区城市管理委", as_mayor).allowed


class TestLifting:
    """§3.2.7 谁发布、谁解除."""

    def test_issuer_of_blue_yellow_is_the_department(self):
        assert rules.issuing_unit(Level.YELLOW, True, "区城市管理委", "区应急局")[0] == "区城市管理委"

    def test_issuer_of_public_orange_red_is_the_emergency_office(self):
        unit, basis = rules.issuing_unit(Level.RED, True, "区城市管理委", "区应急局")
        assert unit == "区应急局" and basis.clause == "§3.2.3(2)"

    def test_internal_orange_is_issued_by_the_authorised_department(self):
        assert rules.issuing_unit(Level.ORANGE, False, "区城市管理委", "区应急局")[0] == "区城市管理委"

    def test_only_the_issuer_lifts(self):
        assert rules.may_lift("区城市管理委", CGW).allowed
        decision = rules.may_lift("区城市管理委", DONGSI)
        assert not decision.allowed and decision.basis.clause == "§3.2.7" and "谁发布、谁解除" in decision.zh
        assert not rules.may_lift("区城市管理委", as_mayor).allowed


class TestLevelChange:
    def test_raising_to_red_needs_the_mayor(self):
        a = rules.change_level_approver(Level.YELLOW, Level.RED, "区城市管理委", mayor=MAYOR, supervisor=SUN_YANG)
        assert a.person == "周金星" and a.basis.clause == "§3.2.6"

    def test_lowering_orange_needs_the_supervising_leader(self):
        a = rules.change_level_approver(Level.ORANGE, Level.BLUE, "区城市管理委", mayor=MAYOR, supervisor=SUN_YANG)
        assert a.person == "孙扬"

    def test_blue_yellow_changes_stay_with_the_unit(self):
        a = rules.change_level_approver(Level.BLUE, Level.YELLOW, "区城市管理委", mayor=MAYOR, supervisor=SUN_YANG)
        assert rules.may_approve(a, CGW).allowed and not rules.may_approve(a, DONGSI).allowed

    def test_filing_targets(self):
        assert rules.filing_targets(Action.CHANGE_LEVEL, Level.RED)[1].clause == "§3.2.6"
        targets, basis = rules.filing_targets(Action.PUBLISH, Level.BLUE)
        assert "市应急办" in targets and basis.clause == "§3.2.3(2)"


class TestResponseMeasures:
    def test_blue_yellow_list(self):
        lists, basis = rules.response_measure_lists(Level.BLUE)
        assert lists == ("blue_yellow",) and basis.clause == "§3.2.5(1)"

    def test_orange_red_add_their_list_to_blue_yellow(self):
        lists, basis = rules.response_measure_lists(Level.RED)
        assert lists == ("blue_yellow", "orange_red") and basis.clause == "§3.2.5(2)"

    def test_units_concerned_each_once(self):
        got = rules.units_concerned("区城市管理委", ("区城市管理委", "区气象局"), ("东四街道", "东四街道", "景山街道"))
        assert got == ("区城市管理委", "区气象局", "东四街道", "景山街道")


class TestRefusals:
    """Every refusal is a Decision: the service only calls .require()."""

    def test_only_the_drafting_unit_edits_and_only_a_draft(self):
        assert rules.may_edit("区城市管理委", Status.DRAFT, CGW).allowed
        assert rules.may_edit("区城市管理委", Status.DRAFT, DONGSI).status == 403
        assert rules.may_edit("区城市管理委", Status.SUBMITTED, CGW).status == 409
        assert not rules.may_submit("区城市管理委", DUTY).allowed and rules.may_submit("区城市管理委", CGW).allowed

    def test_a_return_needs_a_reason(self):
        d = rules.return_reason("  ")
        assert (d.allowed, d.status, d.field) == (False, 422, "reason")
        assert rules.return_reason("补充范围").allowed

    def test_a_level_change_is_to_another_level(self):
        d = rules.level_change(Level.RED, Level.RED)
        assert (d.status, d.field) == (422, "level") and "红色" in d.zh
        assert rules.level_change(Level.RED, Level.BLUE).allowed

    def test_a_unit_ticks_its_own_measures_once(self):
        assert rules.may_tick("东四街道", False, DONGSI).allowed
        assert rules.may_tick("东四街道", False, CGW).status == 403
        assert rules.may_tick("东四街道", True, DONGSI).status == 409

    def test_incomplete_content_names_every_missing_element_in_one_422(self):
        content = Content(None, Level.YELLOW, None, None, (), None, None)
        with pytest.raises(DomainError) as err:
            rules.content_complete(content).require()
        assert err.value.status_code == 422 and "§3.2.4" in err.value.zh
        assert [f.field for f in err.value.fields][:2] == ["event_type", "starts_at"]

    def test_unknown_event_type_and_streets_are_each_named(self):
        d = rules.valid_content(("不存在", False), [("东四街道", "street"), ("中关村街道", None), ("区委", "party")])
        body = d.error().to_dict()
        assert body["error"]["status"] == 422
        assert [row["field"] for row in body["detail"]] == ["event_type", "area_streets", "area_streets"]
        assert rules.valid_content(None, [("东四街道", "street")]).allowed


class TestVisibility:
    def kw(self, **over):
        base = dict(public=False, status=Status.PUBLISHED, drafting_unit="区城市管理委", concerned=("区城市管理委", "东四街道"),
                    acting=None, is_approver=False)
        return {**base, **over}

    def test_public_published_is_for_everyone(self):
        assert rules.visible(**self.kw(public=True))

    def test_internal_stays_in_the_industry(self):
        assert not rules.visible(**self.kw())
        assert rules.visible(**self.kw(acting=CGW))
        assert rules.visible(**self.kw(acting=DONGSI))  # a unit concerned
        assert rules.visible(**self.kw(acting=DUTY))
        assert not rules.visible(**self.kw(acting=Acting("department", "景山街道")))

    def test_drafts_stay_with_the_unit_and_approver(self):
        kw = self.kw(status=Status.SUBMITTED)
        assert not rules.visible(**{**kw, "acting": DONGSI})
        assert rules.visible(**{**kw, "acting": as_sun, "is_approver": True})
        assert not rules.visible(**{**kw, "acting": as_li})
