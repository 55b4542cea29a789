"""Which escalation waves are due at an instant (escalation_rules.py), to the second."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dongcheng.emergency.incidents.escalation_rules import (
    ALARM_LEAD,
    OVERDUE_AFTER,
    Audience,
    Clock,
    Wave,
    next_threshold,
    notice_text,
    waves_due,
)

DUE = datetime(2026, 12, 1, 6, 10, 0, tzinfo=UTC)
S = timedelta(seconds=1)
US = timedelta(microseconds=1)


def due_at(t: datetime, clock: Clock | None = None, already=()) -> list[tuple[Wave, Audience]]:
    return [(w.wave, w.audience) for w in waves_due([clock or Clock(1, DUE)], t, already=already)]


class TestThresholds:
    def test_the_defaults_are_five_minutes_before_and_ten_after(self):
        assert ALARM_LEAD.total_seconds() == 300 and OVERDUE_AFTER.total_seconds() == 600

    def test_nothing_before_the_lead_time(self):
        assert due_at(DUE - ALARM_LEAD - US) == []
        assert due_at(DUE - timedelta(hours=1)) == []

    def test_the_lead_wave_at_the_lead_second_goes_to_the_owing_unit(self):
        assert due_at(DUE - ALARM_LEAD) == [(Wave.LEAD, Audience.LEAD_UNIT)]
        assert due_at(DUE - US) == [(Wave.LEAD, Audience.LEAD_UNIT)]

    def test_the_due_second_adds_the_emergency_office(self):
        assert due_at(DUE) == [(Wave.LEAD, Audience.LEAD_UNIT), (Wave.DUE, Audience.EMERGENCY_OFFICE)]

    def test_the_supervising_leader_from_ten_minutes_overdue(self):
        assert due_at(DUE + OVERDUE_AFTER - US)[-1] == (Wave.DUE, Audience.EMERGENCY_OFFICE)
        assert due_at(DUE + OVERDUE_AFTER) == [(Wave.LEAD, Audience.LEAD_UNIT), (Wave.DUE, Audience.EMERGENCY_OFFICE),
                                               (Wave.OVERDUE, Audience.SUPERVISING_LEADER)]

    def test_a_wave_raised_before_is_not_due_again(self):
        assert due_at(DUE, already=[(1, "lead")]) == [(Wave.DUE, Audience.EMERGENCY_OFFICE)]
        assert due_at(DUE + OVERDUE_AFTER, already=[(1, "lead"), (1, "due"), (1, "overdue")]) == []

    def test_other_lead_times(self):
        got = waves_due([Clock(1, DUE)], DUE - timedelta(minutes=2), lead=timedelta(minutes=2))
        assert [w.wave for w in got] == [Wave.LEAD] and got[0].threshold == DUE - timedelta(minutes=2)
        assert waves_due([Clock(1, DUE)], DUE - timedelta(minutes=2) - S, lead=timedelta(minutes=2)) == []


class TestFiledOrClosed:
    def test_a_clock_met_before_the_threshold_raises_nothing(self):
        met = Clock(1, DUE, met_at=DUE - ALARM_LEAD - S)
        assert due_at(DUE + timedelta(hours=1), met) == []

    def test_met_between_waves_stops_the_later_ones(self):
        met = Clock(1, DUE, met_at=DUE + timedelta(minutes=3))
        assert due_at(DUE + timedelta(minutes=2), met) == [(Wave.LEAD, Audience.LEAD_UNIT),
                                                           (Wave.DUE, Audience.EMERGENCY_OFFICE)]
        assert due_at(DUE + timedelta(minutes=3), met) == []  # the second the report is filed
        assert due_at(DUE + OVERDUE_AFTER, met) == []

    def test_a_follow_up_no_longer_owed_once_the_next_is_due(self):
        slot = Clock(1, DUE, owed_until=DUE + timedelta(minutes=30))
        assert len(due_at(DUE + timedelta(minutes=30) - US, slot)) == 3
        assert due_at(DUE + timedelta(minutes=30), slot) == []  # a worker back after a gap does not raise them

    def test_a_closed_clock_is_like_a_met_one(self):
        assert due_at(DUE, Clock(1, DUE, closed_at=DUE - S)) == []


class TestOrderAndNext:
    def test_waves_of_several_clocks_in_threshold_order(self):
        clocks = [Clock(2, DUE + timedelta(minutes=30)), Clock(1, DUE)]
        got = waves_due(clocks, DUE + timedelta(minutes=25))
        assert [(w.deadline_id, w.wave) for w in got] == [(1, Wave.LEAD), (1, Wave.DUE), (1, Wave.OVERDUE),
                                                          (2, Wave.LEAD)]

    def test_the_next_threshold(self):
        assert next_threshold([Clock(1, DUE)], DUE - timedelta(hours=1)) == DUE - ALARM_LEAD
        assert next_threshold([Clock(1, DUE)], DUE) == DUE + OVERDUE_AFTER
        assert next_threshold([Clock(1, DUE)], DUE + OVERDUE_AFTER) is None

    def test_each_wave_carries_its_basis(self):
        lead, due, over = waves_due([Clock(1, DUE)], DUE + OVERDUE_AFTER)
        assert "platform default alarm_lead_time" in str(lead.basis)
        assert "§4.1.4–§4.1.5" in str(due.basis)
        assert str(over.basis).startswith("东政办发〔2021〕18号") and "escalation_overdue_after" in str(over.basis)


def test_the_notice_names_the_clock_its_time_the_unit_and_the_clause():
    text = notice_text(wave=Wave.LEAD, drill=True, incident_id=7, title="燃气泄漏", clock_label="初报",
                       due_local="14:10:00", responsible="区城市管理委", basis="东政发〔2022〕3号 §4.1.5")
    assert text.startswith("【演练】") and "事件#7“燃气泄漏”初报将于14:10:00到期" in text
    assert "区城市管理委" in text and text.endswith("依据：东政发〔2022〕3号 §4.1.5")
