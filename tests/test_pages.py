"""Server-rendered directory and reference pages: each shows the facts a duty officer checks, with its basis."""
from __future__ import annotations

import re

import pytest

from dongcheng.directory import service as directory

from .html import unlinked

HTML = {"Accept": "text/html"}


def page(client, url: str, status: int = 200, **kwargs) -> str:
    r = client.get(url, headers={**HTML, **kwargs.pop("headers", {})}, **kwargs)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return unlinked(r.text)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rows(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<tr class="{css_class}"[^>]*>(.*?)</tr>', html, re.S)


def unit_id(db, name: str) -> int:
    unit = directory.find_unit(db, name)
    assert unit is not None, name
    return unit.id


def person_id(db, name: str) -> int:
    return next(p.id for p in directory.list_people(db) if p.name == name)


class TestUnits:
    def test_index_groups_every_kind_with_basis(self, client, db):
        html = page(client, "/directory/units")
        assert len(rows(html, "unit")) == len(directory.list_units(db))
        for label in ("指挥机构", "区委部门", "区政府部门", "专项指挥部", "街道", "重点地区", "驻区单位"):
            assert f">{label} <span class=\"count\">" in html
        assert "北京市东城区应急管理局" in html
        assert 'class="basis' in html and "东政发〔2022〕3号 §2.2.1" in html

    def test_filter_by_kind(self, client):
        html = page(client, "/directory/units?kind=street")
        streets = rows(html, "unit")
        assert len(streets) == 17
        assert "东四街道" in html and "区应急局</a>" not in html
        assert 'class="on">街道 17' in html

    def test_search_finds_aliases(self, client):
        html = page(client, "/directory/units?q=区应急管理局")
        found = text_of("".join(rows(html, "unit")))
        assert "区应急局" in found and "区财政局" not in found

    def test_unknown_kind_is_a_chinese_404(self, client):
        html = page(client, "/directory/units?kind=nonsense", status=404)
        assert "未找到单位类别" in html

    def test_empty_query_and_kind_mean_all(self, client):
        html = page(client, "/directory/units?kind=&q=")
        assert len(rows(html, "unit")) > 100


class TestUnitPage:
    def test_emergency_bureau_supervised_by_li_yan_assisted_by_sun_yang(self, client, db):
        html = page(client, f"/directory/units/{unit_id(db, '区应急局')}")
        sups = {m.group(1): text_of(m.group(2))
                for m in re.finditer(r'<tr class="sup" data-relation="([^"]+)">(.*?)</tr>', html, re.S)}
        assert "李妍" in sups["分管"] and "常务副区长" in sups["分管"]
        assert "孙扬" in sups["协助分管"]
        assert "东政办发〔2021〕18号" in sups["分管"]
        assert "北京市东城区应急管理局" in html and "区应急办" in html  # full name and aliases
        assert "区应急指挥中心" in html  # its sub-units
        assert "地震灾害" in html and "东城区防汛应急预案" in html  # its §2.3.6 rows and §8.3 plans

    @pytest.mark.parametrize(("day", "holder", "former"), [("2021-10-17", "陈大鹏", "王品军"),
                                                           ("2021-10-18", "王品军", "陈大鹏")])
    def test_water_bureau_head_on_a_date(self, client, db, day, holder, former):
        html = page(client, f"/directory/units/{unit_id(db, '区水务局')}?on={day}")
        holders = text_of(re.search(r'<p class="holders">(.*?)</p>', html, re.S).group(1))
        assert holder in holders and former not in holders
        assert f'value="{day}"' in html
        assert "东政任〔2021〕22号" in html
        # the directory's division of work (东政办发〔2021〕18号) starts 2021-12-24: before it, no leader is recorded
        assert "目录所记区领导分工自2021年12月24日起" in text_of(html) and "须由区应急办指定" not in html
        assert not re.findall(r'<tr class="sup"', html)

    def test_water_bureau_supervised_through_its_parent(self, client, db):
        html = page(client, f"/directory/units/{unit_id(db, '区水务局')}?on=2021-12-24")
        # 区水务局 has no line of its own: its parent 区城市管理委's 分管 leader (孙扬) supervises it
        assert "孙扬" in text_of("".join(re.findall(r'<tr class="sup".*?</tr>', html, re.S)))
        assert "区城市管理委" in html and "目录所记区领导分工自" not in html

    def test_water_bureau_history_shows_both_heads(self, client, db):
        html = page(client, f"/directory/units/{unit_id(db, '区水务局')}")
        history = text_of(re.search(r'<table class="history">(.*?)</table>', html, re.S).group(1))
        assert "陈大鹏" in history and "王品军" in history
        assert "2021年10月18日" in history and "兼" in history

    def test_unit_outside_the_division_of_work_must_be_designated(self, client, db):
        html = page(client, f"/directory/units/{unit_id(db, '京诚集团')}")
        assert "分工未列此单位，须由区应急办指定" in html
        assert "SPEC" not in html  # the basis cites the division of work, never the product spec

    def test_empty_date_means_today(self, client, db):
        page(client, f"/directory/units/{unit_id(db, '区水务局')}?on=")

    def test_bad_date_is_a_chinese_422(self, client, db):
        html = page(client, f"/directory/units/{unit_id(db, '区水务局')}?on=2021-13-40", status=422)
        assert "输入有误" in html and "YYYY-MM-DD" in html

    def test_unknown_unit_is_a_chinese_404(self, client):
        html = page(client, "/directory/units/999999", status=404)
        assert "未找到单位" in html and "返回首页" in html

    def test_non_numeric_id_is_not_a_500(self, client):
        r = client.get("/directory/units/abc", headers=HTML)
        assert r.status_code == 422 and "输入有误" in r.text

    def test_every_unit_page_renders(self, client, db):
        for unit in directory.list_units(db):
            r = client.get(f"/directory/units/{unit.id}", headers=HTML)
            assert r.status_code == 200, (unit.name, r.text[:300])
            assert unit.full_name in r.text


class TestLeaders:
    def test_nine_seats_in_order_with_portfolios(self, client, db):
        html = page(client, "/directory/leaders")
        seats = re.findall(r'<section class="card leader" id="seat-([^"]+)">(.*?)</section>', html, re.S)
        assert len(seats) == 9
        first = text_of(seats[0][1])
        assert first.startswith("区长 周金星")
        executive = dict(seats)["executive-vice-mayor"]
        assert "李妍" in executive
        assert f'href="/directory/units/{unit_id(db, "区应急局")}"' in executive
        assert "协助周金星负责审计" in executive
        for relation in ("负责", "协助负责", "分管", "联系"):
            assert f'<th scope="row" class="c-rel">{relation}</th>' in executive
        sun = dict(seats)["vice-mayor-city-management"]
        assert "协助分管" in sun and "东城交通支队" in sun
        civil = dict(seats)["vice-mayor-civil-affairs"]
        assert 'href="/directory/units?kind=street"' in civil  # 分管 各街道办事处

    def test_holder_links_to_the_person(self, client, db):
        html = page(client, "/directory/leaders")
        assert f'href="/directory/people/{person_id(db, "孙扬")}"' in html


class TestPeople:
    def test_people_list_shows_current_posts(self, client):
        html = page(client, "/directory/people")
        table = text_of(html)
        assert "王品军" in table and "北京市东城区水务局局长" in table
        chen = re.search(r"陈大鹏</a></td>\s*<td>(.*?)</td>", html, re.S).group(1)
        assert "无现任职务" in chen

    def test_seconded_official_shows_secondment_end(self, client, db):
        html = page(client, f"/directory/people/{person_id(db, '康健')}")
        assert "2022年9月30日" in html
        assert "挂职" in html and "东政任〔2021〕22号" in html
        assert "北京市东城区金融服务办公室副主任" in html

    def test_probation_end_shown(self, client, db):
        html = page(client, f"/directory/people/{person_id(db, '刘羽')}")
        assert "2022年11月14日" in html  # 试用期一年 from 2021-11-15

    def test_concurrent_post_marked(self, client, db):
        html = page(client, f"/directory/people/{person_id(db, '王佑明')}")
        row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if "档案局局长" in r)
        assert '<span class="tag">兼</span>' in row

    def test_every_person_page_renders(self, client, db):
        for person in directory.list_people(db):
            r = client.get(f"/directory/people/{person.id}", headers=HTML)
            assert r.status_code == 200 and person.name in r.text

    def test_unknown_person_is_a_chinese_404(self, client):
        html = page(client, "/directory/people/999999", status=404)
        assert "未找到人员" in html


class TestEventTypes:
    def test_thirty_six_rows_grouped_like_the_gazette(self, client):
        html = page(client, "/reference/event-types")
        data = rows(html, "et")
        assert len(data) == 36
        numbers = [int(n) for n in re.findall(r'<tr class="et" data-no="(\d+)"', html)]
        assert numbers == list(range(1, 37))
        headings = re.findall(r'<tr class="group"><th colspan="4" scope="rowgroup">(\S+)', html)
        assert [h[:2] for h in headings] == ["自然", "事故", "公共", "社会"]
        assert "东政发〔2022〕3号 §2.3.6" in html

    def test_row_30_has_two_lead_departments_linked_to_their_units(self, client, db):
        html = page(client, "/reference/event-types")
        row30 = re.search(r'<tr class="et" data-no="30"[^>]*>(.*?)</tr>', html, re.S).group(1)
        assert "生活必需品供应事件" in row30
        assert f'href="/directory/units/{unit_id(db, "区商务局")}"' in row30
        assert f'href="/directory/units/{unit_id(db, "东城公安分局")}"' in row30
        row1 = re.search(r'<tr class="et" data-no="1"[^>]*>(.*?)</tr>', html, re.S).group(1)
        assert row1.count('class="lead"') == 7


class TestPlans:
    def test_special_plans_by_category_then_support_plans(self, client, db):
        html = page(client, "/reference/plans")
        special = re.findall(r'<tr class="plan" data-kind="special">(.*?)</tr>', html, re.S)
        support = re.findall(r'<tr class="plan" data-kind="support">(.*?)</tr>', html, re.S)
        assert (len(special), len(support)) == (37, 7)
        assert html.index('data-kind="special"') < html.index('data-kind="support"')
        assert "东城区防汛应急预案" in special[0]
        assert f'href="/directory/units/{unit_id(db, "区应急局")}"' in special[0]
        assert "东城区通信保障应急预案" in support[0]
        assert "§8.3.1(1)" in special[0] and "§8.3.2" in support[0]


class TestLists:
    def test_index_has_chinese_titles(self, client):
        html = page(client, "/reference/lists")
        for title in ("现场工作组", "蓝色、黄色预警响应措施", "橙色、红色预警响应措施", "预警发布渠道", "信息报送要素",
                      "事件分级", "预警级别", "响应级别", "事件分类", "处置措施：公共卫生事件"):
            assert title in html
        assert "§4.4.1" in html and "§3.2.5(2)" in html

    @pytest.mark.parametrize(("name", "count", "first"), [
        ("working_groups", 9, "综合协调组"),
        ("disposal_measures.natural_and_accident", 13, "组织营救和救治受害人员"),
        ("disposal_measures.public_health", 10, "病原检测"),
        ("disposal_measures.social_security", 7, "法制宣传"),
        ("warning_measures.blue_yellow", 4, "及时收集、报告有关信息"),
        ("warning_measures.orange_red", 8, "待命状态"),
        ("warning_channels", 13, "广播"),
        ("report_elements", 7, "时间"),
        ("grades", 4, "特别重大"),
        ("warning_levels", 4, "一级"),
        ("response_levels", 3, "一级"),
        ("categories", 4, "自然灾害"),
        ("vulnerable_groups", 5, "老"),
        ("special_places", 4, "学校"),
    ])
    def test_each_list(self, client, name, count, first):
        html = page(client, f"/reference/lists/{name}")
        items = rows(html, "item")
        assert len(items) == count
        assert first in items[0]
        assert 'class="basis"' in items[0] and "东政发〔2022〕3号" in items[0]

    def test_warning_levels_show_colours(self, client):
        html = page(client, "/reference/lists/warning_levels")
        assert "红色" in html and "蓝色" in html and "swatch red" in html

    def test_unknown_list_is_a_chinese_404(self, client):
        html = page(client, "/reference/lists/no_such_list", status=404)
        assert "未找到参考列表" in html


PAGES = ["/directory/units", "/directory/leaders", "/directory/people", "/reference/event-types",
         "/reference/plans", "/reference/lists"]


@pytest.mark.parametrize("url", PAGES)
def test_nav_marks_the_current_page_and_needs_no_login(client, url):
    html = page(client, url)
    assert re.search(rf'<a href="{re.escape(url)}" class="active">', html)
    assert "登录" in html


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_header_shows_the_user(client, login, url):
    html = page(client, url, headers=login("duty"))
    assert "区应急办值班员" in html and "退出" in html


class TestHome:
    def test_the_duty_officer_sees_what_is_overdue_in_red(self, client, login):
        from datetime import UTC, datetime, timedelta

        duty = login("duty")
        received = datetime.now(UTC) - timedelta(minutes=30)  # 初报 was due 10 minutes after receipt (§4.1.5)
        r = client.post("/api/incidents", headers=duty, json={
            "event_type": None, "street": "东四街道", "address": "东四北大街", "occurred_at": received.isoformat(),
            "received_at": received.isoformat(), "source": "110", "title": "不明气味", "description": "待核实"})
        assert r.status_code == 201, r.text
        html = page(client, "/", headers=duty)
        cards = dict(re.findall(r'<a class="card stat[^"]*" href="[^"]*" data-label="([^"]+)"><span class="n">(\d+)',
                                html))
        assert int(cards["已超时未报的信息报送"]) >= 1 and int(cards["未结束的突发事件"]) >= 1
        assert 'class="card stat urgent" href="/incidents/board#overdue"' in html

    def test_the_overdue_count_is_what_the_board_lists_with_the_follow_ups_owed_beyond_the_written_slots(
            self, client, login, db):
        from datetime import UTC, datetime, timedelta

        from sqlalchemy import delete, update

        from dongcheng.emergency.incidents.models import Deadline, Incident

        duty = login("duty")
        received = datetime.now(UTC) - timedelta(hours=3)  # 重大: a 续报 every 30 min while the response runs (§4.1.5)
        r = client.post("/api/incidents", headers=duty, json={
            "event_type": "燃气事故", "street": "东四街道", "address": "东四北大街", "grade": "重大",
            "occurred_at": received.isoformat(), "received_at": received.isoformat(), "source": "110",
            "title": "燃气泄漏", "description": "待核实"})
        assert r.status_code == 201, r.text
        # the worker fell behind: the slots are written only up to two hours ago
        behind = datetime.now(UTC) - timedelta(hours=2)
        db.execute(delete(Deadline).where(Deadline.incident_id == r.json()["id"], Deadline.kind == "follow_up",
                                          Deadline.due_at > behind))
        db.execute(update(Incident).where(Incident.id == r.json()["id"]).values(follow_up_until=behind))
        db.commit()
        listed = client.get("/api/reports/overdue", headers=duty).json()
        assert any(row["id"] is None for row in listed)  # the 续报 owed now, beyond the written slots
        html = page(client, "/", headers=duty)
        cards = dict(re.findall(r'<a class="card stat[^"]*" href="[^"]*" data-label="([^"]+)"><span class="n">(\d+)',
                                html))
        assert int(cards["已超时未报的信息报送"]) == len(listed)

    def test_a_leader_sees_the_warnings_waiting_for_approval(self, client, login):
        draft = client.post("/api/warnings", headers=login("cgw"), json={
            "level": "橙色", "event_type": "气象灾害", "title": "大风橙色预警", "starts_at": "2026-07-01T08:00:00+08:00",
            "expected_duration_hours": 6, "area_streets": ["东四街道"], "precautions": "注意", "measures": "加固",
            "public": True}).json()
        assert client.post(f"/api/warnings/{draft['id']}/submit", headers=login("cgw")).status_code == 200
        html = page(client, "/", headers=login("sun.yang"))
        assert re.search(r'data-label="待我办理的预警"><span class="n">([1-9]\d*)', html)

    def test_anonymous_visitors_see_no_counts(self, client):
        assert 'id="waiting"' not in page(client, "/")
