"""Pure directory rules (SPEC §2.1; 东政办发〔2021〕18号)."""
from __future__ import annotations

from datetime import date

from dongcheng.directory.rules import PortfolioLine, choose_supervisor, holds_on, holds_to_remove, post_found


def line(relation: str, seat: str = "s") -> PortfolioLine:
    return PortfolioLine(seat, "副区长", relation, "某单位", "东政办发〔2021〕18号", "某单位")


class TestHoldsOn:
    def test_from_the_decision_date(self):
        assert not holds_on(date(2021, 10, 18), None, date(2021, 10, 17))
        assert holds_on(date(2021, 10, 18), None, date(2021, 10, 18))

    def test_removed_on_a_date_no_longer_holds_that_day(self):
        assert holds_on(None, date(2021, 10, 18), date(2021, 10, 17))
        assert not holds_on(None, date(2021, 10, 18), date(2021, 10, 18))


class TestChooseSupervisor:
    def test_fenguan_first_with_the_assisting_leader(self):
        choice = choose_supervisor([line("协助分管", "b"), line("联系", "c"), line("分管", "a")])
        assert choice.primary.seat_code == "a"
        assert [a.seat_code for a in choice.assisting] == ["b"]
        assert choice.basis.document == "东政办发〔2021〕18号"

    def test_then_xiezhu_fenguan(self):
        choice = choose_supervisor([line("联系", "c"), line("协助分管", "b")])
        assert choice.primary.seat_code == "b"

    def test_then_lianxi(self):
        assert choose_supervisor([line("联系", "c")]).primary.relation == "联系"

    def test_none_means_the_emergency_office_designates(self):
        choice = choose_supervisor([])
        assert choice.primary is None
        assert "区应急办" in str(choice.basis)


class TestRecordingAnAppointment:
    def test_a_removal_names_the_post_or_the_person_it_cannot_find(self):
        no_post = post_found(False, "区水务局", "总工程师", "东政任〔2021〕22号")
        assert no_post.status == 422 and no_post.field == "title" and str(no_post.basis) == "东政任〔2021〕22号"
        assert post_found(True, "区水务局", "局长", "东政任〔2021〕22号").allowed
        refused = holds_to_remove(False, "陈大鹏", "区水务局", "局长", date(2021, 10, 19), "东政任〔2021〕22号")
        assert refused.field == "person" and refused.zh == "陈大鹏在2021-10-19未担任区水务局局长"
        assert refused.error().to_dict()["detail"][0]["msg_en"] == "陈大鹏 does not hold 区水务局 局长 on 2021-10-19"
