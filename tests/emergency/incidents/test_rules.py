"""The reporting clock and response levels of 东政发〔2022〕3号, to the second."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dongcheng.emergency.incidents import rules
from dongcheng.emergency.incidents.enums import DeadlineStatus, ResponseLevel
from dongcheng.emergency.incidents.rules import ActorFacts, ClockInput, LeadCandidate
from tests.emergency.reference_lists import report_elements

T0 = datetime(2022, 2, 1, 8, 0, 0, tzinfo=UTC)  # received
OCC = datetime(2022, 2, 1, 7, 52, 30, tzinfo=UTC)  # occurred


def clock(**kw) -> ClockInput:
    base = dict(received_at=T0, occurred_at=OCC, grade_at_receipt=None, grade=None)
    base.update(kw)
    return ClockInput(**base)


class TestInitialReport:
    def test_ten_minutes_after_receipt_while_grade_undetermined(self):
        spec = rules.initial_deadline(clock())
        assert spec.due_at == datetime(2022, 2, 1, 8, 10, 0, tzinfo=UTC)
        assert spec.recipients == ("区委值班室", "区政府值班室", "区应急办")
        assert str(spec.basis) == "东政发〔2022〕3号 §4.1.5"

    def test_not_owed_when_the_grade_was_known_at_receipt(self):
        assert rules.initial_deadline(clock(grade_at_receipt="一般", grade="一般")) is None

    def test_foreign_related_adds_the_foreign_and_taiwan_offices(self):
        spec = rules.initial_deadline(clock(foreign_related=True))
        assert spec.recipients[-2:] == ("区外办", "区台办") and "§4.1.6" in str(spec.basis)


class TestDetailedReport:
    def test_one_hour_after_the_event_occurred_for_general_and_above(self):
        spec = rules.detailed_deadline(clock(grade="一般"))
        assert spec.due_at == datetime(2022, 2, 1, 8, 52, 30, tzinfo=UTC)
        assert spec.recipients == ("区委办", "区政府办", "区应急办")
        assert spec.notify == ("区委宣传部", "区委网信办")
        assert str(spec.basis) == "东政发〔2022〕3号 §4.1.4"

    def test_sensitive_or_key_area_or_special_period_without_grade(self):
        assert rules.detailed_deadline(clock()) is None
        for flag in ("sensitive", "key_area", "special_period"):
            assert rules.detailed_deadline(clock(**{flag: True})).due_at == OCC + timedelta(hours=1)

    def test_major_adds_city_level(self):
        spec = rules.detailed_deadline(clock(grade="重大"))
        assert spec.recipients[3:5] == ("市委", "市政府") and "§4.1.7" in str(spec.basis)


class TestFollowUps:
    def test_every_30_minutes_from_the_grading_while_larger_or_above(self):
        graded = T0 + timedelta(minutes=20, seconds=5)
        specs = rules.follow_up_deadlines(clock(grade="较大", follow_up_from=graded), until=graded + timedelta(hours=2))
        assert [s.due_at - graded for s in specs] == [timedelta(minutes=m) for m in (30, 60, 90, 120)]
        assert [s.seq for s in specs] == [1, 2, 3, 4]

    def test_none_for_general(self):
        assert rules.follow_up_deadlines(clock(grade="一般", follow_up_from=T0), until=T0 + timedelta(hours=3)) == []

    def test_stop_when_the_response_ends(self):
        ended = T0 + timedelta(minutes=75)
        specs = rules.follow_up_deadlines(clock(grade="重大", follow_up_from=T0, ended_at=ended),
                                          until=T0 + timedelta(hours=5))
        assert [s.due_at for s in specs] == [T0 + timedelta(minutes=30), T0 + timedelta(minutes=60)]


class TestOutcome:
    def test_on_the_due_second_is_met_one_second_later_is_late(self):
        due = T0 + timedelta(minutes=10)
        assert rules.report_outcome(due, due) == DeadlineStatus.MET
        assert rules.report_outcome(due, due + timedelta(seconds=1)) == DeadlineStatus.LATE

    def test_a_follow_up_is_missed_once_the_next_is_due(self):
        due = T0 + timedelta(minutes=30)
        at = due + timedelta(minutes=29, seconds=59)
        assert rules.status_at("follow_up", due, None, None, "pending", at) == DeadlineStatus.PENDING
        assert rules.status_at("follow_up", due, None, None, "pending", at + timedelta(seconds=1)) == DeadlineStatus.MISSED

    def test_initial_stays_owed_until_filed(self):
        due = T0 + timedelta(minutes=10)
        assert rules.status_at("initial", due, None, None, "pending", due + timedelta(hours=5)) == DeadlineStatus.PENDING


class TestElements:
    def test_missing_elements_are_named(self):
        assert rules.missing_elements({"time": "08:00", "place": "东四", "source": "110", "nature": "火灾",
                                       "harm": "", "trend": None, "measures": "已到场"},
                                      report_elements()) == ["危害程度", "发展趋势"]


class TestResponseLevel:
    def propose(self, **kw):
        base = dict(grade=None, situation_only=False, sensitive=False, key_area=False, special_period=False,
                    needs_other_districts=False)
        base.update(kw)
        return rules.propose_response_level(**base)

    def test_larger_and_above_is_level_one(self):
        p = self.propose(grade="较大")
        assert p.level == ResponseLevel.ONE and str(p.basis) == "东政发〔2022〕3号 §4.3.4(1)"

    def test_general_is_level_two(self):
        assert self.propose(grade="一般").level == ResponseLevel.TWO

    def test_a_situation_is_level_three_started_by_the_street(self):
        p = self.propose(situation_only=True)
        assert p.level == ResponseLevel.THREE and "§4.3.2" in str(p.basis)

    def test_sensitive_key_area_or_special_period_suggest_one_higher(self):
        p = self.propose(grade="一般", key_area=True)
        assert p.level == ResponseLevel.ONE and "§4.3.1" in str(p.basis) and "重点地区" in p.reason
        assert self.propose(situation_only=True, sensitive=True).level == ResponseLevel.TWO

    def test_other_districts_is_level_one(self):
        assert self.propose(grade="一般", needs_other_districts=True).level == ResponseLevel.ONE

    def test_undetermined_grade_proposes_nothing_yet(self):
        assert self.propose().level is None


class TestWhoMayAct:
    def test_lead_department_emergency_office_and_leaders(self):
        leads = {5}

        def act(facts, level="二级"):
            return rules.may_act(facts, lead_unit_ids=leads, street_unit_id=9, level=level)

        lead = act(ActorFacts("department", 5, False))
        assert lead.allowed and lead.basis.clause == "§2.3.6"
        other = act(ActorFacts("department", 6, False))
        assert not other.allowed and other.status == 403 and other.basis.clause == "§2.3.6, §4.3.2"
        assert other.zh == "只有处置主责部门、区应急办和区领导可以办理此事件（街道仅办理本辖区三级响应事项）"
        office = act(ActorFacts("department", 7, True))
        assert office.allowed and office.basis.clause == "§2.2.1"
        assert act(ActorFacts("duty_officer", 7, True)).allowed
        leader = act(ActorFacts("leader", None, False), level=None)
        assert leader.allowed and leader.basis.clause == "§2.1.2"
        admin = act(ActorFacts("admin", None, False), level=None)
        assert not admin.allowed and admin.status == 403

    def test_a_street_acts_on_its_own_level_three_situation_only(self):
        facts = ActorFacts("department", 9, False)
        own = rules.may_act(facts, lead_unit_ids={5}, street_unit_id=9, level="三级")
        assert own.allowed and own.basis.clause == "§4.3.2"
        assert not rules.may_act(facts, lead_unit_ids={5}, street_unit_id=9, level="二级").allowed
        assert not rules.may_act(facts, lead_unit_ids={5}, street_unit_id=8, level="三级").allowed

    def test_the_emergency_committee_designates(self):
        for facts in (ActorFacts("duty_officer", 1, True), ActorFacts("leader", None, False),
                      ActorFacts("department", 7, True)):
            decision = rules.may_designate_lead(facts)
            assert decision.allowed and str(decision.basis) == "东政发〔2022〕3号 §4.3.5"
        refused = rules.may_designate_lead(ActorFacts("department", 5, False))
        assert not refused.allowed and refused.status == 403 and refused.basis.clause == "§4.3.5"
        assert refused.zh == "只有区应急委（区应急办值班员或区领导）可以指定主责部门"

    def test_a_street_reports_for_its_own_area(self):
        street = ActorFacts("department", 9, False)
        assert rules.may_report_intake(street, street_unit_id=9, caller_unit_kind="street").allowed
        other = rules.may_report_intake(street, street_unit_id=8, caller_unit_kind="street")
        assert not other.allowed and other.status == 403 and other.basis.clause == "§4.1.3"
        assert rules.may_report_intake(ActorFacts("department", 5, False), street_unit_id=8,
                                       caller_unit_kind="government").allowed
        assert not rules.may_report_intake(ActorFacts("admin", None, False), street_unit_id=8,
                                           caller_unit_kind=None).allowed

    def test_the_level_follows_city_command_after_handover(self):
        refused = rules.may_set_level(handed_over=True)
        assert not refused.allowed and refused.status == 409 and refused.basis.clause == "§4.3.6"
        assert refused.zh == "已移交市级指挥，区级响应级别随市级指挥调整（§4.3.6）"
        assert rules.may_set_level(handed_over=False).allowed

    def test_intake_names_a_type_of_the_table_or_none(self):
        assert rules.known_event_type("燃气事故", True).allowed
        refused = rules.known_event_type("外星人入侵", False)
        assert (refused.allowed, refused.status, refused.field, refused.basis.clause) == (False, 422, "event_type",
                                                                                         "§2.3.6")


class TestWhoMayLead:
    """§4.3.5 with §2.3: a district department or special HQ, by unit kind (data/directory/units.yaml)."""

    def test_the_kinds_table_2_3_6_names_and_the_special_hqs_may_lead(self):
        for unit in (LeadCandidate("区应急局", "government"), LeadCandidate("区委宣传部", "party"),
                     LeadCandidate("东城公安分局", "police"), LeadCandidate("区环卫中心", "agency"),
                     LeadCandidate("京诚集团", "enterprise"), LeadCandidate("区防汛应急指挥部", "special_hq")):
            decision = rules.may_lead(unit)
            assert decision.allowed and decision.basis.clause == "§4.3.5, §2.3.1, §2.3.6", unit

    def test_a_city_body_a_street_or_the_committee_itself_may_not(self):
        for unit in (LeadCandidate("市委", "city"), LeadCandidate("东四街道", "street"),
                     LeadCandidate("王府井地区", "key_area"), LeadCandidate("区应急委", "command"),
                     LeadCandidate("区政协", "assembly"), LeadCandidate("区总工会", "mass_org"),
                     LeadCandidate("东城海关", "central")):
            decision = rules.may_lead(unit)
            assert (decision.allowed, decision.status, decision.field) == (False, 422, "unit"), unit
            assert unit.name in decision.zh and unit.name in decision.en
            assert decision.basis.clause == "§4.3.5, §2.3.1, §2.3.6"

    def test_a_unit_inside_another_organ_is_not_a_lead_itself(self):
        decision = rules.may_lead(LeadCandidate("区委值班室", "party", parent="区委办"))
        assert (decision.allowed, decision.status, decision.field) == (False, 422, "unit")
        assert decision.zh == "“区委值班室”设在区委办，不是独立的处置主责部门：请指定区委办"
