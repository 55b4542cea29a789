"""The duty officer's incident pages: the board, intake (接报) and the incident page, over the same service as the API."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.pages import clock_text
from tests.html import clause_links, unlinked

BJ = timezone(timedelta(hours=8))
HTML = {"Accept": "text/html"}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def body(minutes_ago: float = 2, **kw) -> dict:
    received = datetime.now(BJ) - timedelta(minutes=minutes_ago)
    base = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (received - timedelta(minutes=3)).isoformat(), "received_at": received.isoformat(),
            "source": "12345", "title": "燃气泄漏", "description": "楼道有燃气味", "grade": None,
            "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0},
            "foreign_related": False, "sensitive": False}
    base.update(kw)
    return base


@pytest.fixture
def duty(login):
    return {**HTML, **login("duty")}


@pytest.fixture
def create(client, duty):
    def _create(**kw) -> dict:
        r = client.post("/api/incidents", json=body(**kw), headers=duty)
        assert r.status_code == 201, r.text
        return r.json()
    return _create


def get(client, url: str, headers: dict, status: int = 200) -> str:
    r = client.get(url, headers=headers)
    assert r.status_code == status, (url, r.status_code, r.text[:800])
    assert r.headers["content-type"].startswith("text/html")
    return unlinked(r.text)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def board_row(html: str, incident_id: int) -> str:
    match = re.search(rf'<tr class="incident[^"]*" data-id="{incident_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"incident {incident_id} is not on the board"
    return match.group(1)


def count_incidents(db) -> int:
    return db.scalar(select(func.count()).select_from(Incident))


class TestBoard:
    def test_lists_an_incident_with_its_next_deadline_and_basis(self, client, duty, create):
        inc = create()
        html = get(client, "/incidents/board", duty)
        row = board_row(html, inc["id"])
        assert f'href="/incidents/{inc["id"]}"' in row and "燃气泄漏" in row
        assert "燃气事故" in row and "事故灾难" in row and "东四街道" in row and "区城市管理委" in row
        assert "初报（10分钟）" in row and "东政发〔2022〕3号 §4.1.5" in row
        due = inc["deadlines"][0]["due_at"]
        assert f'data-due="{due}"' in row
        assert re.search(r'class="countdown" data-due="[^"]+">剩余 0[78]:\d\d<', row)  # due 8 minutes from now
        assert "最后刷新" in html and 'data-rows-url="/incidents/board/rows"' in html
        assert '<a href="/incidents/board" class="active">值班台</a>' in html
        assert '<script src="/static/board.js" defer>' in html

    def test_unknown_type_shows_the_lead_unassigned_in_red(self, client, duty, create):
        inc = create(event_type=None)
        row = board_row(get(client, "/incidents/board", duty), inc["id"])
        assert '<span class="unassigned">主责部门未指定（待区应急委指定 §4.3.5）</span>' in row
        assert "未知/待定" in row

    def test_overdue_deadline_in_red_and_in_the_overdue_panel(self, client, duty, create):
        inc = create(minutes_ago=25, title="井盖缺失致路面塌陷")  # 初报 due 15 minutes ago
        html = get(client, "/incidents/board", duty)
        row = board_row(html, inc["id"])
        assert re.search(r'class="countdown late" data-due="[^"]+">已超时 1[45]:\d\d<', row)
        assert 'class="incident overdue"' in html
        panel = re.search(r'<div id="overdue-panel".*?</div>\s*$', html, re.S | re.M).group(0)
        overdue = re.findall(rf'<tr class="overdue-row" data-incident="{inc["id"]}">(.*?)</tr>', panel, re.S)
        assert len(overdue) == 1
        assert "井盖缺失致路面塌陷" in overdue[0] and "初报（10分钟）" in overdue[0]
        assert "东政发〔2022〕3号 §4.1.5" in overdue[0] and "区城市管理委" in overdue[0]

    def test_most_urgent_first(self, client, duty, create):
        calm = create(minutes_ago=1, title="较晚到期")
        urgent = create(minutes_ago=9, title="即将到期")
        html = get(client, "/incidents/board", duty)
        assert html.index(f'data-id="{urgent["id"]}"') < html.index(f'data-id="{calm["id"]}"')

    def test_drills_are_never_mixed_with_real_incidents(self, client, duty, create):
        real = create(title="真实事件")
        drill = create(title="演练事件", drill=True)
        html = get(client, "/incidents/board", duty)
        assert f'data-id="{real["id"]}"' in html and f'data-id="{drill["id"]}"' not in html
        drills = get(client, "/incidents/board?drill=1", duty)
        assert f'data-id="{drill["id"]}"' in drills and f'data-id="{real["id"]}"' not in drills
        assert "演练" in text_of(drills) and 'data-rows-url="/incidents/board/rows?drill=1"' in drills
        fragment = get(client, "/incidents/board/rows", duty)
        assert f'data-id="{drill["id"]}"' not in fragment

    def test_ended_incidents_leave_the_board(self, client, duty, create):
        inc = create()
        assert client.post(f"/api/incidents/{inc['id']}/end", json={"reason": "处置完毕"}, headers=duty).status_code == 200
        assert f'data-id="{inc["id"]}"' not in get(client, "/incidents/board", duty)

    def test_rows_fragment_for_polling(self, client, duty, create):
        inc = create()
        html = get(client, "/incidents/board/rows", duty)
        assert '<tbody id="board-rows" data-swap>' in html
        assert re.search(r'<span id="refreshed" data-swap data-server-now="\d+">最后刷新 \d\d:\d\d:\d\d</span>', html)
        assert '<div id="overdue-panel" data-swap' in html
        assert "<header" not in html  # a fragment, not a page
        board_row(html, inc["id"])

    def test_anonymous_is_sent_to_sign_in(self, client):
        r = client.get("/incidents/board", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/incidents/board"
        r = client.get("/incidents/board/rows", headers=HTML)
        assert r.status_code == 401 and "请先登录" in r.text

    def test_an_admin_may_read_the_board_but_not_take_intake(self, client, login):
        admin = {**HTML, **login("admin")}
        get(client, "/incidents/board", admin)
        assert "无权执行此操作" in get(client, "/incidents/new", admin, status=403)


def intake_form(html: str, **kw) -> dict:
    now = datetime.now(BJ)
    form = {"csrf_token": csrf(html), "title": "居民楼燃气泄漏", "event_type": "燃气事故", "grade": "",
            "source": "12345", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (now - timedelta(minutes=6)).strftime("%Y-%m-%dT%H:%M"),
            "received_at": (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "description": "三层楼道有燃气味", "dead": "0", "injured": "1", "missing": "0", "trapped": "2"}
    form.update(kw)
    return {k: v for k, v in form.items() if v is not None}


class TestIntake:
    def test_form_offers_the_36_types_the_streets_and_the_sources(self, client, duty):
        html = get(client, "/incidents/new", duty)
        event_types = re.search(r'<select id="event_type".*?</select>', html, re.S).group(0)
        assert len(re.findall(r"<option value=\"[^\"]+\"", event_types)) == 36
        assert '<option value="">未知/待定' in event_types
        streets = re.search(r'<select id="street".*?</select>', html, re.S).group(0)
        assert len(re.findall(r"<option value=\"[^\"]+\"", streets)) == 18 and "王府井地区（重点地区）" in streets
        sources = re.search(r'<select id="source".*?</select>', html, re.S).group(0)
        for label in ("110 报警", "119 火警", "12345 市民服务热线", "网格员", "部门报送", "群众报告"):
            assert label in sources
        for label in ("涉外/涉港澳台", "事件敏感", "特殊时期", "突出情况（不构成突发事件）", "演练"):
            assert label in html
        assert 'type="datetime-local"' in html and 'name="csrf_token"' in html

    def test_round_trip_creates_the_incident_and_redirects_to_it(self, client, duty, db):
        before = count_incidents(db)
        form = intake_form(get(client, "/incidents/new", duty), sensitive="on", grade="一般")
        r = client.post("/incidents/new", data=form, headers=duty, follow_redirects=False)
        assert r.status_code == 303, r.text[:800]
        incident_id = int(re.fullmatch(r"/incidents/(\d+)\?done=intake", r.headers["location"]).group(1))
        assert count_incidents(db) == before + 1
        data = client.get(f"/api/incidents/{incident_id}", headers=duty).json()
        assert data["title"] == "居民楼燃气泄漏" and data["lead_departments"] == ["区城市管理委"]
        assert data["sensitive"] is True and data["grade"] == "一般"
        assert data["casualties"] == {"dead": 0, "injured": 1, "missing": 0, "trapped": 2}
        # datetime-local is Beijing time
        assert data["received_at"] == form["received_at"] + ":00+08:00"
        assert data["proposed_response_level"] == "一级" and "§4.3.1" in data["basis"]  # 一般 + 敏感 → one higher
        page = text_of(get(client, r.headers["location"], duty))
        assert "居民楼燃气泄漏" in page and "详报（1小时）" in page

    def test_unknown_type_and_pending_grade_are_null(self, client, duty):
        form = intake_form(get(client, "/incidents/new", duty), event_type="")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 200
        assert "主责部门未指定（待区应急委指定 §4.3.5）" in r.text and "初报（10分钟）" in r.text

    def test_bad_form_re_renders_with_each_field_message_and_saves_nothing(self, client, duty, db):
        before = count_incidents(db)
        now = datetime.now(BJ)
        form = intake_form(get(client, "/incidents/new", duty), title="", street="", source="",
                           occurred_at=(now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                           injured="-1", address="东四北大街 7 号")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 422
        html = r.text
        messages = dict(re.findall(r'<div class="field-error" data-field="(\w+)">([^<]+)</div>', html))
        assert messages["title"] == "必填" and messages["street"] == "必填" and messages["source"] == "必填"
        assert messages["injured"] == "数值太小"
        assert count_incidents(db) == before
        assert 'value="东四北大街 7 号"' in html  # values kept
        assert '<option value="燃气事故" selected>' in html
        assert "输入有误" in html

    def test_service_field_errors_show_beside_the_field(self, client, duty, db):
        before = count_incidents(db)
        now = datetime.now(BJ)
        form = intake_form(get(client, "/incidents/new", duty),
                           occurred_at=now.strftime("%Y-%m-%dT%H:%M"),
                           received_at=(now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 422
        assert '<div class="field-error" data-field="occurred_at">事发时间不能晚于接报时间</div>' in r.text
        assert count_incidents(db) == before

    def test_a_street_may_not_report_for_another_street(self, client, login, db):
        street = {**HTML, **login("street.dongsi")}
        before = count_incidents(db)
        form = intake_form(get(client, "/incidents/new", street), street="和平里街道")
        r = client.post("/incidents/new", data=form, headers=street)
        assert r.status_code == 403 and "街道只能报送本辖区的事件" in r.text
        assert count_incidents(db) == before

    def test_csrf_is_required(self, client, duty):
        form = intake_form(get(client, "/incidents/new", duty), csrf_token="forged")
        r = client.post("/incidents/new", data=form, headers=duty)
        assert r.status_code == 403 and "页面已过期" in r.text


def report_body(**kw) -> dict:
    base = {"kind": "initial", "time": "刚才", "place": "东四北大街 100 号", "source": "12345 热线",
            "nature": "燃气泄漏", "harm": "无人员伤亡", "trend": "已关阀，趋于稳定", "measures": "疏散 20 户"}
    base.update(kw)
    return base


class TestIncidentPage:
    def test_deadlines_and_a_reports_missing_elements(self, client, duty, create):
        inc = create()
        r = client.post(f"/api/incidents/{inc['id']}/reports", json=report_body(harm="", trend=None), headers=duty)
        assert r.status_code == 201, r.text
        html = get(client, f"/incidents/{inc['id']}", duty)
        deadline = re.search(r'<tr class="deadline[^"]*" data-kind="initial" data-status="(\w+)"[^>]*>(.*?)</tr>',
                             html, re.S)
        assert deadline.group(1) == "met"
        assert "按时" in deadline.group(2) and "东政发〔2022〕3号 §4.1.5" in deadline.group(2)
        assert "区委值班室、区政府值班室、区应急办" in deadline.group(2)
        assert '<span class="missing">缺少：危害程度、发展趋势</span>' in html
        assert "东政发〔2022〕3号 §4.1.8" in html

    def test_header_leads_level_history_and_the_next_countdown(self, client, duty, create):
        inc = create(grade="较大", street="王府井地区", title="商场扶梯事故")
        html = get(client, f"/incidents/{inc['id']}", duty)
        page = text_of(html)
        assert "商场扶梯事故" in page and "王府井地区" in page and "重点地区" in page
        leads = text_of(re.search(r'<div class="card" id="leads">(.*?)</div>', html, re.S).group(1))
        assert "区城市管理委" in leads and "东政发〔2022〕3号 §2.3.6" in leads
        level = text_of(re.search(r'<div class="card" id="level">(.*?)</form>', html, re.S).group(1))
        assert "一级" in level and "§4.3.4(1)" in level and "尚未确认" in level
        assert html.count('class="countdown') >= 1 and 'data-urgency' in html
        assert "续报（每30分钟）" in page and "详报（1小时）" in page
        assert "系统建议" in text_of(re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1))
        for anchor in ("command-post", "checklist", "recovery"):  # the §4.4, §4.5 and §5 sections
            assert f'<section class="response" id="{anchor}">' in html
        assert html.count('name="csrf_token"') >= 6

    def test_file_a_report_through_the_form(self, client, duty, create):
        inc = create()
        html = get(client, f"/incidents/{inc['id']}", duty)
        assert '<option value="initial" selected>' in html  # the next deadline's kind
        assert 'value="东四街道 东四北大街 100 号"' in html  # known facts pre-filled
        form = {"csrf_token": csrf(html), "kind": "initial", "time": "09:00", "place": "东四北大街 100 号",
                "source": "12345", "nature": "燃气泄漏", "harm": "", "trend": "稳定", "measures": "关阀"}
        r = client.post(f"/incidents/{inc['id']}/report", data=form, headers=duty, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/incidents/{inc['id']}?done=report#reports"
        html = get(client, r.headers["location"], duty)
        assert "报告已报送" in html and "缺少：危害程度" in html
        assert 'data-kind="initial" data-status="met"' in html

    def test_confirm_level_needs_a_reason_when_departing_from_the_proposal(self, client, duty, create):
        inc = create(grade="一般")  # proposes 二级
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/level", data={"csrf_token": csrf(html), "level": "一级", "reason": ""},
                        headers=duty)
        assert r.status_code == 422
        assert '<div class="field-error" data-field="reason">与系统建议级别不同，须说明理由</div>' in r.text
        r = client.post(f"/incidents/{inc['id']}/level", data={"csrf_token": csrf(html), "level": "二级", "reason": ""},
                        headers=duty, follow_redirects=False)
        assert r.status_code == 303
        data = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()
        assert data["response_level"] == "二级" and data["status"] == "responding"
        assert "确认响应级别" in get(client, f"/incidents/{inc['id']}", duty)

    def test_grade_designate_handover_and_end(self, client, duty, create):
        inc = create(event_type=None)
        url = f"/incidents/{inc['id']}"
        token = csrf(get(client, url, duty))

        def act(action: str, **form):
            r = client.post(f"{url}/{action}", data={"csrf_token": token, **form}, headers=duty, follow_redirects=False)
            assert r.status_code == 303, (action, r.text[:800])

        act("designate", unit="区应急局", reason="类别未明，由区应急局牵头")
        act("grade", grade="较大", reason="核实后")
        act("handover", reason="市级启动响应")
        html = get(client, url, duty)
        assert "区应急局" in text_of(re.search(r'<div class="card" id="leads">(.*?)</div>', html, re.S).group(1))
        assert "东政发〔2022〕3号 §4.3.5" in html and "移交市级指挥" in html
        act("end", reason="险情消除", confirm="yes")
        html = get(client, url, duty)
        assert "应急已结束（§4.8）" in html and 'id="form-grade"' not in html
        assert [c["what"] for c in client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["level_history"]] == [
            "proposal", "grade", "handover", "end"]

    def test_a_department_gets_a_chinese_403_on_another_departments_incident(self, client, create, login, db):
        inc = create(event_type="火灾事故", title="仓库起火")  # lead: 东城消防救援支队
        cgw = {**HTML, **login("cgw")}
        html = get(client, f"/incidents/{inc['id']}", cgw)
        assert "只有处置主责部门、区应急办和区领导可以办理此事件" in html  # warned before acting
        r = client.post(f"/incidents/{inc['id']}/grade", data={"csrf_token": csrf(html), "grade": "一般", "reason": ""},
                        headers=cgw)
        assert r.status_code == 403
        alert = text_of(re.search(r'<div class="error" role="alert" id="action-error">(.*?)</div>', r.text, re.S).group(1))
        assert "只有处置主责部门、区应急办和区领导可以办理此事件" in alert and "定级/调级" in alert
        assert "<h1>仓库起火" in r.text  # the incident page, not an error page
        assert db.get(Incident, inc["id"]).grade is None

    def test_conflict_is_shown_not_raised(self, client, duty, create):
        inc = create(grade="一般")
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/grade", data={"csrf_token": csrf(html), "grade": "一般"}, headers=duty)
        assert r.status_code == 409 and "事件等级已是一般" in r.text

    def test_unknown_incident_and_action(self, client, duty, create):
        assert "未找到突发事件" in get(client, "/incidents/999999", duty, status=404)
        inc = create()
        html = get(client, f"/incidents/{inc['id']}", duty)
        r = client.post(f"/incidents/{inc['id']}/explode", data={"csrf_token": csrf(html)}, headers=duty)
        assert r.status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, create):
        inc = create()
        r = client.get(f"/incidents/{inc['id']}", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/login?next=/incidents/{inc['id']}"


@pytest.mark.parametrize(("seconds", "text"), [(0, "剩余 00:00"), (0.2, "剩余 00:01"), (599, "剩余 09:59"),
                                               (-0.5, "已超时 00:00"), (-61, "已超时 01:01"),
                                               (3725, "剩余 1:02:05")])
def test_clock_text_matches_board_js(seconds, text):
    assert clock_text(seconds) == text


# --- 现场指挥部 §4.4, 处置清单 §4.5, 恢复重建 §5 on the incident page ------------------------------------------

SET_UP = {"location": "东四北大街 100 号东侧空地", "commander_name": "张三", "commander_post": "区城市管理委主任",
          "executive_name": "李四", "executive_unit": "区城市管理委"}


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section class="response" id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def field_messages(html: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="field-error" data-field="(\w+)">([^<]+)</div>', html))


@pytest.fixture
def page(client, duty):
    """Post one of the incident page's forms with a fresh CSRF token; returns the response (redirects not followed)."""
    def _post(incident_id: int, action: str, status: int = 303, **form):
        token = csrf(get(client, f"/incidents/{incident_id}", duty))
        r = client.post(f"/incidents/{incident_id}/{action}", data={"csrf_token": token, **form}, headers=duty,
                        follow_redirects=False)
        assert r.status_code == status, (action, r.status_code, r.text[:1500])
        return r
    return _post


def count_rows(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


class TestCommandPostOnThePage:
    def test_set_up_through_the_form_and_see_it(self, client, duty, create, page):
        inc = create(grade="一般")
        html = get(client, f"/incidents/{inc['id']}", duty)
        form = re.search(r'<form class="act grid-form" id="form-command-post".*?</form>', html, re.S).group(0)
        assert 'name="csrf_token"' in form and "设立现场指挥部" in form
        assert 'value="区城市管理委"' in form  # the lead department pre-filled as the executive's unit
        assert "§4.4.1" in form and "§4.3.3, §4.4.1" in form  # who the plan expects, with its clause
        r = page(inc["id"], "command-post", **SET_UP)
        assert r.headers["location"] == f"/incidents/{inc['id']}?done=command-post#command-post"
        html = get(client, r.headers["location"], duty)
        assert "现场指挥部已成立" in html and 'id="form-command-post"' not in html
        post = section(html, "command-post")
        text = text_of(post)
        assert "东四北大街 100 号东侧空地" in text and "张三 （区城市管理委主任）" in text and "李四 （区城市管理委）" in text
        assert "主责部门" in text and "东政发〔2022〕3号 §4.4.1（由处置事件主责部门牵头）" in text
        assert "区城市管理委" in text and "东政发〔2022〕3号 §4.3.3, §4.4.1" in text
        names = re.search(r'<select id="g-name" name="name">(.*?)</select>', post, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)"', names) == [
            "综合协调组", "专业处置组", "宣传信息组", "治安交通组", "事故调查组", "通信保障组", "医疗救护组", "后勤保障组",
            "专家顾问组"]
        assert "成立现场指挥部于东四北大街 100 号东侧空地" in text  # the post's own log
        assert post.count('name="csrf_token"') == 3  # group, check-in, log (tasks need a check-in first)

    def test_required_fields_are_named_and_nothing_is_saved(self, client, duty, create, page, db):
        from dongcheng.emergency.command_posts.models import CommandPost
        inc = create()
        before = count_rows(db, CommandPost)
        r = page(inc["id"], "command-post", status=422, **{**SET_UP, "location": " ", "executive_name": ""})
        assert field_messages(r.text) == {"location": "必填", "executive_name": "必填"}
        assert 'value="张三"' in r.text  # what was typed is kept
        assert "“成立现场指挥部”未办理" in r.text
        assert count_rows(db, CommandPost) == before

    def test_no_lead_department_no_form_but_the_reason(self, client, duty, create):
        inc = create(event_type=None)
        post = text_of(section(get(client, f"/incidents/{inc['id']}", duty), "command-post"))
        assert "尚未明确处置主责部门" in post and "§4.4.1, §4.3.5" in post

    def test_a_working_group_not_in_the_plan_is_refused_in_chinese_and_nothing_saved(self, client, duty, create, page,
                                                                                       db):
        from dongcheng.emergency.command_posts.models import WorkingGroup
        inc = create()
        page(inc["id"], "command-post", **SET_UP)
        before = count_rows(db, WorkingGroup)
        r = page(inc["id"], "group", status=422, name="抢险救援组", leader="王五", contact_person="赵六",
                 contact_means="13800000000")
        message = field_messages(r.text)["name"]
        assert message.startswith("“抢险救援组”不是 §4.4.1 规定的工作组；可选：综合协调组、专业处置组")
        form = re.search(r'<form class="act grid-form" id="form-group".*?</form>', r.text, re.S).group(0)
        assert message in form and 'value="王五"' in form  # beside the form, typed values kept
        assert re.search(r'<details class="add" open><summary>＋ 设置工作组', r.text)  # the form is shown open
        assert 'href="#form-group"' in r.text
        assert count_rows(db, WorkingGroup) == before
        r = page(inc["id"], "group", name="综合协调组", leader="王五", contact_person="赵六", contact_means="13800000000")
        assert r.headers["location"].endswith("?done=group#cp-groups")
        post = section(get(client, f"/incidents/{inc['id']}", duty), "command-post")
        assert re.search(r'<tr data-group="综合协调组"><td><b>综合协调组</b></td><td>王五</td><td>赵六</td>'
                         r'<td>13800000000</td></tr>', post)
        assert '<option value="综合协调组" disabled>综合协调组（已设置）</option>' in post

    def test_check_in_task_done_and_log(self, client, duty, create, page):
        inc = create()
        page(inc["id"], "command-post", **SET_UP)
        r = page(inc["id"], "check-in", status=422, team="", unit="东城消防救援支队", headcount="0")
        assert field_messages(r.text) == {"team": "必填", "headcount": "数值太小"}
        page(inc["id"], "check-in", team="东四消防站", unit="东城消防救援支队", headcount="12")
        post = section(get(client, f"/incidents/{inc['id']}", duty), "command-post")
        check_in_id = re.search(r'<tr data-check-in="(\d+)">', post).group(1)
        assert "1 支 · 12 人" in text_of(post)
        page(inc["id"], "task", check_in_id=check_in_id, text="关闭楼栋燃气总阀")
        post = section(get(client, f"/incidents/{inc['id']}", duty), "command-post")
        task_id = re.search(r'<tr class="task t-open" data-task="(\d+)">', post).group(1)
        assert "进行中" in post and f'id="form-task-done-{task_id}"' in post
        page(inc["id"], "task-done", task_id=task_id, note="已关阀")
        r = page(inc["id"], "task-done", status=409, task_id=task_id)  # a stale page: already done
        assert "该任务已完成" in r.text
        page(inc["id"], "log", text="燃气公司抢修人员到场")
        post = text_of(section(get(client, f"/incidents/{inc['id']}", duty), "command-post"))
        assert "已完成" in post and "已关阀" in post
        for line in ("东城消防救援支队东四消防站（12人）到达现场报到", "东四消防站受领任务：关闭楼栋燃气总阀",
                     "东四消防站完成任务：关闭楼栋燃气总阀（已关阀）", "燃气公司抢修人员到场"):
            assert line in post

    def test_under_city_command_after_handover(self, client, duty, create, page):
        inc = create(grade="较大")
        page(inc["id"], "command-post", **SET_UP)
        page(inc["id"], "handover", reason="市级启动响应")
        html = get(client, f"/incidents/{inc['id']}", duty)
        banner = text_of(re.search(r'<div class="notice warn city-command"[^>]*>(.*?)</div>', html, re.S).group(1))
        assert "已纳入市级现场指挥部统一领导" in banner and "东政发〔2022〕3号 §4.3.4, §4.4.2" in banner


class TestChecklistOnThePage:
    def test_create_for_a_gas_accident_shows_the_13_measures_and_tick_one(self, client, duty, create, page):
        inc = create()  # 燃气事故 · 事故灾难 → §4.5.1
        html = get(client, f"/incidents/{inc['id']}", duty)
        form = re.search(r'<form class="act" id="form-checklist".*?</form>', html, re.S).group(0)
        assert "§4.5.1" in form and 'name="list"' not in form  # the category decides
        r = page(inc["id"], "checklist")
        assert r.headers["location"] == f"/incidents/{inc['id']}?done=checklist#checklist"
        checklist = section(get(client, r.headers["location"], duty), "checklist")
        items = re.findall(r'<li class="item" id="item-(\d+)" data-item="\d+" data-done="false">', checklist)
        assert len(items) == 13
        assert "已完成 0/13" in checklist and "事故灾难类事件" in text_of(checklist)
        assert "在确保应急救援人员安全的前提下" in checklist and "有关法律、法规、规章规定的其他应急处置措施" in checklist
        assert checklist.count('name="csrf_token"') == 13

        r = page(inc["id"], "tick", item_id=items[1], note="已划定警戒区")
        assert r.headers["location"].endswith("?done=tick#checklist")
        checklist = section(get(client, f"/incidents/{inc['id']}", duty), "checklist")
        item = re.search(rf'<li class="item done" id="item-{items[1]}".*?</li>', checklist, re.S).group(0)
        assert "✓ duty" in text_of(item) and "备注：已划定警戒区" in item
        assert f'id="form-untick-{items[1]}"' in item and f'id="form-tick-{items[1]}"' not in item
        assert "已完成 1/13" in checklist and '<progress value="1" max="13"' in checklist

        r = page(inc["id"], "untick", status=422, item_id=items[1], note="")  # un-ticking needs a reason
        item = re.search(rf'<li class="item done" id="item-{items[1]}".*?</li>', r.text, re.S).group(0)
        assert '<div class="field-error" data-field="note">取消勾选须说明理由</div>' in item
        assert '<details class="untick" open>' in item and f'href="#form-untick-{items[1]}"' in r.text
        assert client.get(f"/api/incidents/{inc['id']}/checklist", headers=duty).json()["progress"]["done"] == 1
        page(inc["id"], "untick", item_id=items[1], note="误勾")
        assert "已完成 0/13" in section(get(client, f"/incidents/{inc['id']}", duty), "checklist")

    def test_unknown_category_chooses_the_list(self, client, duty, create, page, db):
        from dongcheng.emergency.checklists.models import DisposalChecklist
        inc = create(event_type=None)
        before = count_rows(db, DisposalChecklist)
        html = get(client, f"/incidents/{inc['id']}", duty)
        assert '<select id="cl-list" name="list">' in html
        r = page(inc["id"], "checklist", status=422, list="")
        assert "事件类别未明：请先确定事件类型" in field_messages(r.text)["list"]
        assert count_rows(db, DisposalChecklist) == before
        page(inc["id"], "checklist", list="public_health")
        checklist = section(get(client, f"/incidents/{inc['id']}", duty), "checklist")
        assert "§4.5.2" in checklist and "按指定清单" in checklist


class TestRecoveryOnThePage:
    def test_before_the_end_only_a_note_and_forms_are_refused_with_the_48_message(self, client, duty, create, page,
                                                                                 db):
        from dongcheng.emergency.recovery.models import Recovery
        inc = create()
        recovery = section(get(client, f"/incidents/{inc['id']}", duty), "recovery")
        assert "应急结束后开展（§4.8）" in recovery and "<form" not in recovery
        before = count_rows(db, Recovery)
        message = "应急处置尚未结束：恢复与重建在宣布应急结束后开展（东政发〔2022〕3号 §4.8, §5.1.1）"
        for action, form in (("losses", {"dead": "0", "injured": "0", "missing": "0", "direct_economic_loss_yuan": "1"}),
                             ("relief", {"recipient": "张某", "kind": "临时救助"}),
                             ("close", {})):
            r = page(inc["id"], action, status=409, **form)
            assert message in text_of(section(r.text, "recovery")), action
            assert 'href="#recovery"' in r.text
        assert count_rows(db, Recovery) == before

    def test_after_the_end_losses_relief_merit_evaluation_and_close(self, client, duty, create, page):
        inc = create(grade="一般")
        page(inc["id"], "end", reason="险情消除", confirm="yes")
        recovery = text_of(section(get(client, f"/incidents/{inc['id']}", duty), "recovery"))
        assert "须提交总结评估报告" in recovery and "东政发〔2022〕3号 §5.4.2" in recovery
        assert "事故灾难的损失由应急管理部门（区应急局）牵头统计、核实和上报" in recovery
        r = page(inc["id"], "losses", status=422, dead="0", injured="1", missing="0", direct_economic_loss_yuan="12.345")
        assert "direct_economic_loss_yuan" in field_messages(r.text)
        page(inc["id"], "losses", dead="0", injured="1", missing="0", direct_economic_loss_yuan="120000.5",
             houses_damaged="2")
        page(inc["id"], "relief", recipient="三层住户", kind="临时救助", amount_yuan="2000")
        r = page(inc["id"], "merit", status=422, subject="某物业公司", kind="责令整改", reason="燃气管线巡检缺失")
        assert "§5.5.1 限期整改" in field_messages(r.text)["deadline"]
        page(inc["id"], "merit", subject="东四消防站", kind="表彰", reason="处置及时")
        r = page(inc["id"], "close", status=409)
        assert "一般、较大突发事件须先提交调查评估报告（东政发〔2022〕3号 §5.4.2）" in text_of(
            re.search(r'<form class="card act close-form" id="form-close".*?</form>', r.text, re.S).group(0))
        today = datetime.now(BJ).date().isoformat()
        page(inc["id"], "evaluation", report="处置及时，关阀后险情消除。", date=today)
        page(inc["id"], "close", note="恢复完毕")
        html = get(client, f"/incidents/{inc['id']}", duty)
        recovery = section(html, "recovery")
        text = text_of(recovery)
        assert "120000.50 元" in text and "损毁房屋 2 间" in text and "三层住户" in text and "2000.00" in text
        assert "东四消防站" in text and "处置及时" in text and "已提交" in text and "已结案" in text
        assert "<form" not in recovery and 'id="form-tick-' not in html  # closed: nothing more to enter

    def test_a_refused_close_leaves_no_recovery_record_behind(self, client, duty, create, page, db):
        from dongcheng.emergency.recovery.models import Recovery
        inc = create(grade="较大")
        page(inc["id"], "end", reason="险情消除", confirm="yes")
        before = count_rows(db, Recovery)
        r = page(inc["id"], "close", status=409)  # the service opens the record, then refuses: the savepoint undoes it
        assert "一般、较大突发事件须先提交调查评估报告" in r.text
        assert count_rows(db, Recovery) == before
        assert db.get(Incident, inc["id"]).closed_at is None


class TestResponseFormsAuthority:
    def test_another_department_gets_the_403_beside_the_form_and_csrf_is_checked(self, client, create, login, page,
                                                                                   db):
        from dongcheng.emergency.command_posts.models import CommandPost
        inc = create(event_type="火灾事故", title="仓库起火")  # lead: 东城消防救援支队
        cgw = {**HTML, **login("cgw")}
        html = get(client, f"/incidents/{inc['id']}", cgw)
        before = count_rows(db, CommandPost)
        r = client.post(f"/incidents/{inc['id']}/command-post", data={"csrf_token": csrf(html), **SET_UP}, headers=cgw)
        assert r.status_code == 403
        form = re.search(r'<form class="act grid-form" id="form-command-post".*?</form>', r.text, re.S).group(0)
        assert "只有处置主责部门、区应急办和区领导可以办理此事件" in form
        r = client.post(f"/incidents/{inc['id']}/checklist", data={"csrf_token": "forged"}, headers=cgw)
        assert r.status_code == 403 and "页面已过期" in r.text
        assert count_rows(db, CommandPost) == before


class TestDeadlineTable:
    def test_a_larger_incident_shows_its_next_follow_up_and_folds_the_later_slots(self, client, duty, create):
        """较大: 续报 every 30 min (§4.1.5) are materialised 24 h ahead; the page leads with what is due next."""
        incident = create(minutes_ago=40, grade="较大")
        html = get(client, f"/incidents/{incident['id']}", duty)
        top, _, folded = html.partition('id="later-deadlines"')
        top = top.split('id="deadlines"', 1)[1]
        shown = re.findall(r'data-kind="(\w+)" data-status="(\w+)"', top)
        # the first 续报 (due 30 min after receipt) is overdue and shown; the next one is the single open follow-up
        assert shown.count(("follow_up", "pending")) == 2, shown
        assert ("detailed", "pending") in shown
        later = re.findall(r'data-kind="follow_up" data-status="pending"', folded)
        assert len(later) >= 40  # 24 h of half-hourly slots fold away
        assert f"之后还有 {len(later)} 项待到期" in text_of(html)


class TestStatementsOnThePage:
    """信息发布 §4.7.1 from the incident page: the lead department drafts; casualty figures wait for a leader."""

    def test_draft_then_release_by_a_leader(self, client, login, create):
        incident = create()
        cgw = {**HTML, **login("cgw")}
        page = get(client, f"/incidents/{incident['id']}", cgw)
        r = client.post(f"/incidents/{incident['id']}/statement", headers=cgw, follow_redirects=False,
                        data={"csrf_token": csrf(page), "title": "燃气泄漏情况通报", "body": "事故造成1人受伤。"})
        assert r.status_code == 303, r.text[:800]
        page = get(client, r.headers["location"], cgw)
        section = page.split('id="statements"', 1)[1]
        assert "草稿 · 不公开" in section and "伤亡数字" in section and "批准并发布（须区领导）" in section
        statement_id = re.search(r'name="statement_id" value="(\d+)"', section).group(1)
        refused = client.post(f"/incidents/{incident['id']}/release", headers=cgw,
                              data={"csrf_token": csrf(page), "statement_id": statement_id})
        assert refused.status_code == 403 and "须经应急指挥机构" in refused.text
        leader = {**HTML, **login("sun.yang")}
        page = get(client, f"/incidents/{incident['id']}", leader)
        r = client.post(f"/incidents/{incident['id']}/release", headers=leader, follow_redirects=False,
                        data={"csrf_token": csrf(page), "statement_id": statement_id})
        assert r.status_code == 303
        assert "孙扬（副区长） 批准发布" in text_of(get(client, r.headers["location"], leader))
        public = get(client, "/public/statements", HTML)
        assert "燃气泄漏情况通报" in public and "事故造成1人受伤。" in public

    def test_the_drafter_sees_which_phrases_hold_the_statement(self, client, login, create):
        """⑤ 伤亡数字: a figure written as 1死3伤 holds the draft, and the page quotes it as the reason."""
        incident = create()
        cgw = {**HTML, **login("cgw")}
        page = get(client, f"/incidents/{incident['id']}", cgw)
        r = client.post(f"/incidents/{incident['id']}/statement", headers=cgw, follow_redirects=False,
                        data={"csrf_token": csrf(page), "title": "燃气爆炸情况通报", "body": "事故致1死3伤，另有2人失联。"})
        assert r.status_code == 303, r.text[:800]
        section = get(client, r.headers["location"], cgw).split('id="statements"', 1)[1]
        held = text_of(section.split('class="small held-because"', 1)[1].split("</p>", 1)[0])
        assert "须经区领导批准" in held and "伤亡数字" in held and "1死3伤" in held and "2人失联" in held
        assert "批准并发布（须区领导）" in section

    def test_a_blank_draft_is_refused_beside_its_form(self, client, login, create):
        incident = create()
        cgw = {**HTML, **login("cgw")}
        page = get(client, f"/incidents/{incident['id']}", cgw)
        r = client.post(f"/incidents/{incident['id']}/statement", headers=cgw,
                        data={"csrf_token": csrf(page), "title": "", "body": ""})
        assert r.status_code == 422 and 'data-form="statement"' in r.text and 'data-field="title"' in r.text


def test_every_basis_on_the_incident_page_links_to_its_clause_in_the_gazette(client, duty, create):
    """SPEC §2.7: every rule the platform applies links to its clause."""
    incident = create(minutes_ago=5)
    r = client.get(f"/incidents/{incident['id']}", headers=duty)
    links = clause_links(r.text)
    assert any(link.endswith("#s-4.1.5") for link in links)  # 初报 10 分钟
    assert any(link.endswith("#s-2.3.6") for link in links)  # the lead department from table §2.3.6
    target = client.get(next(link for link in links if link.endswith("#s-4.1.5")).split("#")[0], headers=HTML)
    assert target.status_code == 200 and 'id="s-4.1.5"' in target.text and "10 分钟" in target.text


class TestDesignationForm:
    """§4.3.5: the drop-down offers exactly the units rules.may_lead accepts; a refusal is shown beside the form."""

    def test_the_drop_down_offers_district_departments_and_special_hqs_only(self, client, duty, create, db):
        from dongcheng.directory.models import Unit
        from dongcheng.emergency.incidents import rules, service

        incident = create(event_type=None)
        html = get(client, f"/incidents/{incident['id']}", duty)
        select_html = re.search(r'<select id="d-unit" name="unit">(.*?)</select>', html, re.S).group(1)
        offered = re.findall(r'<option value="([^"]+)"', select_html)
        for name in ("区应急局", "区委宣传部", "东城公安分局", "区环卫中心", "京诚集团", "区防汛应急指挥部"):
            assert name in offered
        for name in ("市委", "东四街道", "王府井地区", "区委值班室", "区政府值班室", "区应急委", "区应急指挥中心", "区政协"):
            assert name not in offered
        names = {u.name: u for u in db.scalars(select(Unit))}
        parents = {u.id: u.name for u in names.values()}
        expected = [u.name for u in sorted(names.values(), key=lambda u: (rules.LEAD_KINDS.index(u.kind)
                                                                          if u.kind in rules.LEAD_KINDS else 99,
                                                                          u.sort_order, u.id))
                    if rules.may_lead(rules.LeadCandidate(u.name, u.kind, parents.get(u.parent_id))).allowed]
        assert offered == expected
        assert [name for _, units in service.designatable_units(db) for name in (u.name for u in units)] == expected

    def test_a_duty_room_is_refused_beside_the_form(self, client, duty, create):
        incident = create(event_type=None)
        url = f"/incidents/{incident['id']}"
        r = client.post(f"{url}/designate", data={"csrf_token": csrf(get(client, url, duty)), "unit": "区委值班室",
                                                  "reason": "类别未明"}, headers=duty, follow_redirects=False)
        assert r.status_code == 422
        form = re.search(r'<form class="act" id="form-designate".*?</form>', r.text, re.S).group(0)
        assert "“区委值班室”设在区委办，不是独立的处置主责部门：请指定区委办" in form
