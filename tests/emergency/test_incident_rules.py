"""The reporting clock and response levels of 东政发〔2022〕3号, to the second."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dongcheng.emergency.incidents import rules
from dongcheng.emergency.incidents.enums import DeadlineStatus, ResponseLevel
from dongcheng.emergency.incidents.rules import ActorFacts, ClockInput

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
                                       "harm": "", "trend": None, "measures": "已到场"}) == ["危害程度", "发展趋势"]


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
        assert rules.may_act(ActorFacts("department", 5, False), lead_unit_ids=leads, street_unit_id=9, level="二级")
        assert not rules.may_act(ActorFacts("department", 6, False), lead_unit_ids=leads, street_unit_id=9, level="二级")
        assert rules.may_act(ActorFacts("department", 7, True), lead_unit_ids=leads, street_unit_id=9, level="二级")
        assert rules.may_act(ActorFacts("leader", None, False), lead_unit_ids=leads, street_unit_id=9, level=None)
        assert not rules.may_act(ActorFacts("admin", None, False), lead_unit_ids=leads, street_unit_id=9, level=None)

    def test_a_street_acts_on_its_own_level_three_situation_only(self):
        facts = ActorFacts("department", 9, False)
        assert rules.may_act(facts, lead_unit_ids={5}, street_unit_id=9, level="三级")
        assert not rules.may_act(facts, lead_unit_ids={5}, street_unit_id=9, level="二级")
        assert not rules.may_act(facts, lead_unit_ids={5}, street_unit_id=8, level="三级")
