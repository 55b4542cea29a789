"""The directory as loaded from the gazette: who holds what, when; who supervises whom."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dongcheng.audit.service import SYSTEM
from dongcheng.core.errors import DomainError
from dongcheng.directory import service
from dongcheng.directory.models import Person


def unit(db, name):
    found = service.find_unit(db, name)
    assert found is not None, name
    return found


def holders(db, unit_name, title, on):
    posts = [p for p in service.posts_of_unit(db, unit(db, unit_name)) if p.title == title]
    return sorted(person.name for post in posts for person, _ in service.holders_of(db, post, on))


class TestSupervisingLeader:
    def test_emergency_bureau_is_li_yan_with_sun_yang_assisting(self, db):
        result = service.supervising_leader(db, unit(db, "区应急局"), date(2022, 2, 1))
        assert (result.leader.person, result.leader.relation) == ("李妍", "分管")
        assert [(a.person, a.relation) for a in result.assisting] == [("孙扬", "协助分管")]
        assert str(result.basis).startswith("东政办发〔2021〕18号")

    def test_traffic_detachment_is_sun_yang_liaison(self, db):
        result = service.supervising_leader(db, unit(db, "东城交通支队"))
        assert (result.leader.person, result.leader.relation) == ("孙扬", "联系")

    def test_the_table_name_resolves_to_the_division_name(self, db):
        result = service.supervising_leader(db, unit(db, "区城市管理委"))
        assert (result.leader.person, result.leader.post_title) == ("孙扬", "副区长")

    def test_a_co_located_office_takes_its_parent_organ(self, db):
        result = service.supervising_leader(db, unit(db, "区水务局"))
        assert result.leader.person == "孙扬" and result.leader.via_unit == "区城市管理委"

    def test_every_street_is_supervised_by_zheng_xiaobo(self, db):
        result = service.supervising_leader(db, unit(db, "东四街道"))
        assert (result.leader.person, result.leader.text) == ("郑晓博", "各街道办事处")

    def test_a_unit_no_leader_has_must_be_designated(self, db):
        result = service.supervising_leader(db, unit(db, "京诚集团"))
        assert result.leader is None and result.to_dict()["must_designate"]


class TestWhoHoldsAPost:
    def test_water_bureau_before_and_after_the_132nd_meeting(self, db):
        # 东政任〔2021〕22号: decided 2021-10-18 — 免去陈大鹏 …水务局局长; 任命王品军 …水务局局长（兼）
        assert holders(db, "区水务局", "局长", date(2021, 10, 17)) == ["陈大鹏"]
        assert holders(db, "区水务局", "局长", date(2021, 10, 18)) == ["王品军"]

    def test_dongsi_street_director(self, db):
        # 免去魏搏 (东政任〔2021〕22号, 2021-10-18); 任命薛洪峰 (东政任〔2022〕1号, 2021-11-08)
        assert holders(db, "东四街道", "主任", date(2021, 10, 17)) == ["魏搏"]
        assert holders(db, "东四街道", "主任", date(2021, 11, 7)) == []
        assert holders(db, "东四街道", "主任", date(2021, 11, 8)) == ["薛洪峰"]

    def test_probation_of_one_year(self, db):
        person = db.scalar(select(Person).where(Person.name == "刘羽"))
        [(post, tenure, _)] = service.tenures_of(db, person)
        assert post.full_title == "北京市东城区教育委员会副主任"
        assert tenure.starts_on == date(2021, 11, 15) and tenure.probation_ends_on == date(2022, 11, 14)

    def test_secondment_ends_automatically(self, db):
        # 康健: 挂职一年，挂职期为2021年9月至2022年9月，到期自动免职
        assert "康健" in holders(db, "区金融服务办", "副主任", date(2022, 9, 30))
        assert "康健" not in holders(db, "区金融服务办", "副主任", date(2022, 10, 1))

    def test_a_person_appointed_and_moved_in_one_sentence(self, db):
        # 任命孙明明为…人力资源和社会保障局副局长，免去其…社会保险基金管理中心主任（副处职）职务
        person = db.scalar(select(Person).where(Person.name == "孙明明"))
        rows = {post.full_title: tenure for post, tenure, _ in service.tenures_of(db, person)}
        assert rows["北京市东城区人力资源和社会保障局副局长"].starts_on == date(2021, 11, 15)
        assert rows["北京市东城区社会保险基金管理中心主任"].ends_on == date(2021, 11, 15)
        assert rows["北京市东城区社会保险基金管理中心主任"].rank_note == "副处职"

    def test_leader_seats(self, db):
        seats = {s.code: service.holders_of(db, s)[0][0].name for s in service.leader_seats(db)}
        assert seats["mayor"] == "周金星" and seats["executive-vice-mayor"] == "李妍" and len(seats) == 9


class TestRecordAppointment:
    def test_a_new_mayor_takes_the_seat_and_the_old_one_leaves_it(self, db):
        gov = unit(db, "区政府")
        service.record_appointment(db, actor=SYSTEM, person_name="张三", unit=gov, title="mayor", action="任命",
                                   effective_on=date(2026, 12, 1), document="东政任〔2026〕9号")
        seat = service.find_post(db, "mayor")
        assert [p.name for p, _ in service.holders_of(db, seat, date(2026, 11, 30))] == ["周金星"]
        assert [p.name for p, _ in service.holders_of(db, seat, date(2026, 12, 1))] == ["张三"]

    def test_removing_someone_who_does_not_hold_the_post_is_refused(self, db):
        with pytest.raises(DomainError) as exc:
            service.record_appointment(db, actor=SYSTEM, person_name="李四", unit=unit(db, "区财政局"),
                                       title="副局长", action="免去", effective_on=date(2026, 12, 1),
                                       document="东政任〔2026〕9号")
        assert exc.value.status_code == 422 and exc.value.fields[0].field == "person"
